"""The mystery shopper's form, reached by a single-use link without an account.

GET never uses the link up (mail scanners open links first); the POST that stores the test
uses it up in the same transaction.
"""

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from photos.services import apply_photo_changes, files_kept_only_on_commit
from surveys import throttle

from ..forms import MysteryTestForm
from ..models import MysteryPlan, PlanStatus
from ..scenarios import questions_for_plan
from ..services import LinkNotUsable, MysteryInput, complete_mystery_test

CLOSED_PAGES = {
    PlanStatus.DONE: "observations/public/link_used.html",
    PlanStatus.EXPIRED: "observations/public/link_expired.html",
    PlanStatus.CANCELLED: "observations/public/link_cancelled.html",
}


# Posts per client address and window: plenty for a shopper, a wall for a script.
RATE_LIMIT_POSTS = 20
RATE_LIMIT_SECONDS = 600


def rate_limited(request) -> bool:
    """Count this post against the client's address; True when over the limit."""
    return throttle.rate_limited(
        request, scope="mystery", limit=RATE_LIMIT_POSTS, window=RATE_LIMIT_SECONDS
    )


def find_plan(token: str) -> MysteryPlan | None:
    if not token or len(token) > 64:
        return None
    return (
        MysteryPlan.objects.select_related("organisation", "team", "salesperson", "scenario")
        .filter(token=token)
        .first()
    )


def closed_page(request, plan):
    status = plan.status_at(timezone.now())
    return render(request, CLOSED_PAGES[status], {"plan": plan}, status=410)


@never_cache
def mystery_form(request, token):
    if request.method == "POST" and rate_limited(request):
        return render(request, "observations/public/rate_limited.html", status=429)
    plan = find_plan(token)
    if plan is None:
        return render(request, "observations/public/link_invalid.html", status=404)
    if plan.status_at(timezone.now()) != PlanStatus.PLANNED:
        return closed_page(request, plan)
    questions = questions_for_plan(plan)
    if request.method == "POST":
        form = MysteryTestForm(request.POST, request.FILES, plan=plan, questions=questions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The test and its photos, all or nothing (no file left behind either).
                with files_kept_only_on_commit() as written, transaction.atomic():
                    test = complete_mystery_test(
                        plan,
                        data=MysteryInput(
                            visited_at=data["visited_at"],
                            description=data["description"].strip(),
                            answers=form.answers(),
                            salesperson=data.get("met_salesperson"),
                            salesperson_description=data.get("met_description", "").strip(),
                        ),
                        now=timezone.now(),
                    )
                    apply_photo_changes(form.photo_changes(), written=written, mystery_test=test)
            except LinkNotUsable:
                plan.refresh_from_db()
                if plan.status_at(timezone.now()) == PlanStatus.PLANNED:  # pragma: no cover
                    raise
                return closed_page(request, plan)
            return redirect("observations_public:thanks")
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = MysteryTestForm(initial={"visited_at": now}, plan=plan, questions=questions)
    return render(request, "observations/public/mystery_form.html", {"form": form, "plan": plan})


def thanks(request):
    return render(request, "observations/public/thanks.html")
