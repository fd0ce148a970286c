from django.http import HttpRequest

from accounts.selectors import Roles, user_roles


def roles(request: HttpRequest) -> dict[str, Roles]:
    """Every template can shape navigation by role."""
    return {"roles": user_roles(request.user)}
