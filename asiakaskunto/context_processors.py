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
