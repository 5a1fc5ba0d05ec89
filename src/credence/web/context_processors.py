from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the top bar needs: the user's organisations, the active one, and their roles there."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_memberships": [], "active_membership": None}
    from credence.organisations.selectors import memberships_of

    memberships = list(memberships_of(user))
    active_id = request.session.get("active_organisation")
    active = next((m for m in memberships if m.organisation_id == active_id), None)
    if active is None and memberships:
        active = memberships[0]
    return {"nav_memberships": memberships, "active_membership": active}
