"""Background work of surveys, through Django's tasks API (TASKS_BACKEND)."""

from django.tasks import task
from django.utils import timezone

from .models import Invitation


@task
def send_invitation_email(invitation_id: int, reminder: bool = False) -> bool:
    from .invitations import send_invitation

    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    return send_invitation(invitation, reminder=reminder, now=timezone.now())
