from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Writing comments on the organisation's own work (a subject type may ask for this one or its own).
    "comments.add_comment": frozenset(Role),
    # Resolving or reopening any thread; the author of a thread may always resolve their own.
    "comments.resolve_any": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
