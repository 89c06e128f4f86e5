"""Background work of surveys, through Django's tasks API (TASKS_BACKEND)."""

from django.tasks import task
from django.utils import timezone

from .models import Invitation


@task
def send_invitation_email(invitation_id: int, reminder: bool = False, base: str = "") -> bool:
    """``base``: the site's address as the request that created the invitation saw it (none for
    reminders: SITE_URL or the served address, see asiakaskunto.links)."""
    from .invitations import send_invitation

    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    return send_invitation(invitation, reminder=reminder, now=timezone.now(), base=base)


@task
def alert_follow_up(submission_id: int, base_url: str = "") -> int:
    """E-mail the team's managers about the follow-up this answer opened (once)."""
    from .alerts import send_follow_up_alert

    return send_follow_up_alert(submission_id, base_url=base_url or None)
