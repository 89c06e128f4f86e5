"""Background work of observations: the mystery-shopper link by e-mail (Django's tasks API)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asiakaskunto.links import absolute_url


@task
def send_mystery_link(plan_id: int, language: str = "fi", base: str = "") -> bool:
    """Send the plan's link to its shopper; False when the plan has no open link or address.
    ``base``: the site's address as the request that asked for the e-mail saw it."""
    from .models import MysteryPlan, PlanStatus

    plan = (
        MysteryPlan.objects.select_related("organisation", "team", "scenario")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not plan.shopper_email or plan.status != PlanStatus.PLANNED:
        return False
    with translation.override(language):
        subject = _("Mystery-shopper visit: %(organisation)s") % {
            "organisation": plan.organisation.name
        }
        body = render_to_string(
            "observations/email/mystery_link.txt",
            {"plan": plan, "url": absolute_url(plan.public_path, base=base)},
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [plan.shopper_email])
    type(plan).objects.filter(pk=plan.pk).update(emailed_at=timezone.now())
    return True


@task
def generate_scheduled_plans(today: str = "") -> int:
    """The missing plans of every active mystery-shop schedule for the current period (``today``
    as an ISO date; default: the site's today). Idempotent; the daily job enqueues it."""
    from datetime import date

    from .schedules import generate_all

    day = date.fromisoformat(today) if today else timezone.localdate()
    return generate_all(today=day)
