from __future__ import annotations

from typing import Any

from django.http import HttpRequest

SECTIONS = (
    ("/micro-credentials/", "microcredentials"),
    ("/versions/", "microcredentials"),
    ("/audit/", "audit"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the top bar needs: the user's organisations, the active one, their roles there, the section."""
    section = next((name for prefix, name in SECTIONS if request.path.startswith(prefix)), "")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_memberships": [],
            "active_membership": None,
            "nav_section": section,
            "nav_can_audit": False,
        }
    from credence.audit.selectors import organisations_audited_by
    from credence.organisations.selectors import memberships_of

    memberships = list(memberships_of(user))
    active_id = request.session.get("active_organisation")
    active = next((m for m in memberships if m.organisation_id == active_id), None)
    if active is None and memberships:
        # Until they switch, people act in the organisation they joined first (their home organisation).
        active = min(memberships, key=lambda m: (m.created_at, m.pk))
    can_audit = organisations_audited_by(user) != []
    return {
        "nav_memberships": memberships,
        "active_membership": active,
        "nav_section": section,
        "nav_can_audit": can_audit,
    }
