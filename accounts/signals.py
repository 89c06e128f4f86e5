from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import two_factor


@receiver(user_logged_in)
def owe_the_second_factor(sender, request, user, **kwargs):
    """Right after the password: decide once what this session still owes."""
    if request is not None and hasattr(request, "session"):
        request.session[two_factor.STATE_KEY] = two_factor.state_for(user)
