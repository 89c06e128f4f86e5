from django.conf import settings

from .access import role_of
from .models import Role


def roles(request):
    """The user's role for the navigation: each role sees what it may use."""
    role = role_of(request.user) if hasattr(request, "user") else None
    return {
        "user_role": role,
        "is_leadership": role == Role.LEADERSHIP,
        "is_manager": role == Role.MANAGER,
        "is_salesperson": role == Role.SALESPERSON,
    }


def language_menu(request):
    """The language menu names each language in itself (Suomi, Svenska, English), whatever the
    page's language: a reader looks for their own language's name, not a translation of it."""
    return {"language_menu": settings.LANGUAGES}
