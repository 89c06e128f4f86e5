"""Factories for the organisation core and the evidence (Submission + Answer)."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from asiakaskunto.models import (
    Answer,
    Method,
    Organisation,
    Profile,
    Role,
    Salesperson,
    Submission,
    Team,
)
from asiakaskunto.questions import questions_by_code

PASSWORD = "test-password-123"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(organisation, role, **fields):
    user = UserFactory(**fields)
    Profile.objects.create(user=user, organisation=organisation, role=role)
    return user


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.managers.add(*extracted)


class SalespersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Salesperson

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    name = factory.Faker("name")


def submit(salesperson, method, values, *, answered_at=None, team=None, why=None):
    """One Submission of ``method`` for ``salesperson`` with {question code: value} answers."""
    team = team or salesperson.team
    submission = Submission.objects.create(
        organisation=team.organisation,
        method=method,
        salesperson=salesperson,
        team=team,
        answered_at=answered_at or timezone.now(),
    )
    questions = questions_by_code(team.organisation_id, values)
    Answer.objects.bulk_create(
        Answer.for_question(
            questions[code], value, (why or {}).get(code, ""), submission=submission
        )
        for code, value in values.items()
    )
    return submission


__all__ = ["Method", "Role", "submit", "make_user", "PASSWORD"]
