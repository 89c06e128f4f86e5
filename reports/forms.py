from django import forms
from django.utils.translation import gettext_lazy as _

from asiakaskunto.models import Area, Level, Method

from .scoring import RULED_LEVELS, ScoringSettings


def _weight(label):
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, decimal_places=3, max_digits=7, localize=True
    )


def _threshold(label):
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, decimal_places=2, max_digits=5, localize=True
    )


class ScoringSettingsForm(forms.Form):
    """Leadership's form for every number of the scoring rules (DESIGN.md "Scoring engine")."""

    target_level = forms.ChoiceField(label=_("Target level"), choices=Level.choices)
    window_days = forms.IntegerField(label=_("Window (days)"), min_value=1, max_value=3650)
    half_life_days = forms.IntegerField(
        label=_("Half-life of an answer's weight (days)"),
        min_value=0,
        max_value=3650,
        help_text=_("0 switches weighting off: every answer in the window weighs the same."),
    )
    min_customer_surveys = forms.IntegerField(
        label=_("Customer surveys needed for a grade"), min_value=0, max_value=1000
    )
    min_methods = forms.IntegerField(
        label=_("Methods needed for a grade"), min_value=0, max_value=3
    )
    min_n_for_metrics = forms.IntegerField(
        label=_("Answers needed to show NPS, CSAT or CES"), min_value=0, max_value=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for method in Method:
            self.fields[f"method_{method.value}"] = _weight(
                _("Weight of %(method)s") % {"method": method.label}
            )
        for area in Area:
            self.fields[f"area_{area.value}"] = _weight(
                _("Weight of %(area)s") % {"area": area.label}
            )
        for code in RULED_LEVELS:
            name = Level(code).label
            self.fields[f"index_{code}"] = _threshold(
                _("%(level)s: index at least") % {"level": name}
            )
            self.fields[f"floor_{code}"] = _threshold(
                _("%(level)s: no area below") % {"level": name}
            )

    @classmethod
    def initial_from(cls, scoring: ScoringSettings) -> dict:
        initial = {
            "target_level": scoring.target_level,
            "window_days": int(scoring.window_days),
            "half_life_days": int(scoring.half_life_days),
            "min_customer_surveys": scoring.min_customer_surveys,
            "min_methods": scoring.min_methods,
            "min_n_for_metrics": scoring.min_n_for_metrics,
        }
        for method in Method:
            initial[f"method_{method.value}"] = scoring.method_weights[method.value]
        for area in Area:
            initial[f"area_{area.value}"] = scoring.area_weights[area.value]
        for code in RULED_LEVELS:
            initial[f"index_{code}"] = scoring.levels[code].index_at_least
            initial[f"floor_{code}"] = scoring.levels[code].no_area_below
        return initial

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if sum(data[f"method_{m.value}"] for m in Method) <= 0:
            self.add_error(None, _("At least one method needs a weight above zero."))
        if sum(data[f"area_{a.value}"] for a in Area) <= 0:
            self.add_error(None, _("At least one area needs a weight above zero."))
        for prefix, what in (("index", _("index thresholds")), ("floor", _("area floors"))):
            values = [data[f"{prefix}_{code}"] for code in RULED_LEVELS]
            if not values[0] >= values[1] >= values[2]:
                self.add_error(
                    f"{prefix}_{RULED_LEVELS[0]}",
                    _("The %(what)s must be ordered: %(best)s ≥ %(excellent)s ≥ %(good)s.")
                    % {
                        "what": what,
                        "best": Level.IHAN_PARAS.label,
                        "excellent": Level.ERINOMAINEN.label,
                        "good": Level.HYVA.label,
                    },
                )
        return data

    def scoring_settings(self, base: ScoringSettings) -> ScoringSettings:
        """The settings this valid form describes, other fields as in ``base``."""
        data = self.cleaned_data
        values = base.to_dict()
        values.update(
            target_level=data["target_level"],
            window_days=float(data["window_days"]),
            half_life_days=float(data["half_life_days"]),
            min_customer_surveys=data["min_customer_surveys"],
            min_methods=data["min_methods"],
            min_n_for_metrics=data["min_n_for_metrics"],
            method_weights={m.value: float(data[f"method_{m.value}"]) for m in Method},
            area_weights={a.value: float(data[f"area_{a.value}"]) for a in Area},
            levels={
                code: {
                    "index_at_least": float(data[f"index_{code}"]),
                    "no_area_below": float(data[f"floor_{code}"]),
                }
                for code in RULED_LEVELS
            },
        )
        return ScoringSettings.from_dict(values)
