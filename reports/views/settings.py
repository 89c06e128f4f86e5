from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from asiakaskunto.access import leadership_required, organisation_of

from ..forms import ScoringSettingsForm
from ..scoring import ScoringSettings
from ..services import save_scoring_settings, scoring_settings_for


@leadership_required
def scoring_settings(request):
    """Leadership changes the numbers of the scoring rules; grades move with them."""
    organisation = organisation_of(request.user)
    current = scoring_settings_for(organisation)
    if request.method == "POST":
        if "reset" in request.POST and request.POST.get("confirm") != "yes":
            # Every number at once, in one tap: ask first (a page, no JavaScript needed).
            return render(
                request,
                "confirm.html",
                {
                    "confirm_title": _("Reset every scoring setting?"),
                    "confirm_text": _(
                        "Every weight, threshold and evidence rule returns to the product's "
                        "default (the target level stays), and every grade is recomputed with "
                        "them. Your own numbers are not kept."
                    ),
                    "confirm_button": _("Reset to defaults"),
                    "confirm_action": reverse("reports:settings"),
                    "confirm_fields": [("reset", "1")],
                    "cancel_url": reverse("reports:settings"),
                },
            )
        if "reset" in request.POST:
            save_scoring_settings(
                organisation, ScoringSettings(target_level=current.target_level), user=request.user
            )
            messages.success(request, _("Scoring settings reset to the defaults."))
            return redirect("reports:settings")
        form = ScoringSettingsForm(request.POST)
        if form.is_valid():
            scoring = form.scoring_settings(current)
            problems = scoring.validate()
            if not problems:
                save_scoring_settings(organisation, scoring, user=request.user)
                messages.success(
                    request, _("Scoring settings saved. Grades are recomputed with them.")
                )
                return redirect("reports:settings")
            for problem in problems:  # a backstop: the form's own checks speak the user's language
                form.add_error(None, problem)
    else:
        form = ScoringSettingsForm(initial=ScoringSettingsForm.initial_from(current))
    return render(
        request,
        "reports/settings.html",
        {"form": form, "defaults": ScoringSettings(), "organisation": organisation},
    )
