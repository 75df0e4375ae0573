from fazhi.org.permissions import roles_of


def navigation(request):
    """Roles of the signed-in user, so the menu shows only what they may open."""
    user = getattr(request, "user", None)
    return {"user_roles": roles_of(user) if user is not None and user.is_authenticated else set()}
