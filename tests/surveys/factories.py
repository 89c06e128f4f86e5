"""Factories of the surveys app and a helper that builds a valid survey POST."""

from datetime import timedelta

import factory
from django.utils import timezone

from surveys.models import Invitation, SurveyLink


class SurveyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyLink

    team = None
    salesperson = None
    organisation = factory.LazyAttribute(lambda o: (o.team or o.salesperson.team).organisation)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("team") is None and kwargs.get("salesperson") is not None:
            kwargs["team"] = kwargs["salesperson"].team
        return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    salesperson = None
    team = factory.LazyAttribute(lambda o: o.salesperson.team)
    organisation = factory.LazyAttribute(lambda o: o.salesperson.organisation)
    email = factory.Sequence(lambda n: f"asiakas{n}@example.com")
    language = "fi"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    sent_at = factory.LazyFunction(timezone.now)


def survey_post(**overrides):
    """A complete, valid answer (a happy customer) with the given fields replaced; a value of
    None drops the field."""
    data = {
        "q_CUS1": "5",
        "why_CUS1": "Löysin heti oikean tuotteen.",
        "q_CUS2": "4",
        "why_CUS2": "",
        "q_CUS3": "9",
        "why_CUS3": "Asiantunteva palvelu.",
        "q_CSAT": "5",
        "q_CES": "4",
        "free_text": "",
        "contact": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
