from django.contrib import messages
from django.shortcuts import redirect, render
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
