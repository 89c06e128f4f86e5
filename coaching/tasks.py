"""Background work of coaching: the weekly digest e-mails (Django's tasks API)."""

from django.tasks import task


@task
def send_digest(user_id: int, base: str = "") -> bool:
    """Send one user's weekly digest now; False when they no longer get one (inactive, no
    address, switched off, or no longer a manager or leader)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from .digests import digest_email, digest_readers

    user = get_user_model().objects.filter(pk=user_id).select_related("profile").first()
    if user is None or not hasattr(user, "profile"):
        return False
    for reader, role, preference in digest_readers(user.profile.organisation):
        if reader.pk == user_id and preference.weekly_digest:
            digest_email(reader, role, preference, now=timezone.now(), base=base).send()
            return True
    return False
