"""A cached standing link (surveys.services.active_link) is forgotten when it, or the
organisation, team or salesperson it carries, changes; a team link also when any salesperson of
the organisation changes (it carries the team's members, and a salesperson may change teams)."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from asiakaskunto.models import Organisation, Salesperson, Team

from .models import SurveyLink
from .services import forget_links


def _forget(tokens) -> None:
    """Forget now and once more when the change commits: a survey request in between would
    cache what the database still showed it (the old row) for a minute."""
    tokens = list(tokens)
    forget_links(tokens)
    transaction.on_commit(lambda: forget_links(tokens))


@receiver([post_save, post_delete], sender=SurveyLink)
def link_changed(sender, instance, **kwargs):
    _forget([instance.token])


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    _forget(SurveyLink.objects.filter(organisation=instance).values_list("token", flat=True))


@receiver(post_save, sender=Team)
def team_changed(sender, instance, **kwargs):
    links = SurveyLink.objects.filter(Q(team=instance) | Q(salesperson__team=instance))
    _forget(links.values_list("token", flat=True))


@receiver([post_save, post_delete], sender=Salesperson)
def salesperson_changed(sender, instance, **kwargs):
    links = SurveyLink.objects.filter(
        Q(salesperson_id=instance.pk)
        | Q(organisation_id=instance.organisation_id, salesperson__isnull=True)
    )
    _forget(links.values_list("token", flat=True))
