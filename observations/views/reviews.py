"""Review before it counts: the tests waiting for a manager's (of the test's team) or
leadership's decision, and the decision itself."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asiakaskunto.access import manager_or_leadership_required, visible_teams

from ..forms import ReviewForm
from ..models import MysteryTest, ReviewStatus
from ..services import AlreadyReviewed, approve_test, reject_test
from .mystery import get_plan_for_user, plan_detail_page


@manager_or_leadership_required
def review_list(request):
    tests = (
        MysteryTest.objects.for_teams(visible_teams(request.user))
        .waiting_for_review()
        .select_related("plan__team", "plan__scenario", "salesperson")
        .order_by("visited_at", "id")
    )
    page = Paginator(tests, 25).get_page(request.GET.get("page"))
    return render(request, "observations/review_list.html", {"page": page, "query": ""})


@require_POST
@manager_or_leadership_required
def review_test(request, pk):
    plan = get_plan_for_user(request, pk)
    test = MysteryTest.objects.filter(plan=plan).first()
    if test is None or test.review_status != ReviewStatus.PENDING:
        messages.info(request, _("This test is not waiting for review."))
        return redirect(plan)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return plan_detail_page(request, plan, review_form=form, status=400)
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == ReviewForm.APPROVE:
            approve_test(test, reviewer=request.user, now=now)
            messages.success(request, _("Test approved; it counts in the grades now."))
        else:
            reject_test(test, reviewer=request.user, reason=form.cleaned_data["reason"], now=now)
            messages.success(request, _("Test rejected; it does not count."))
    except AlreadyReviewed:
        messages.info(request, _("This test was reviewed meanwhile."))
    return redirect(plan)
