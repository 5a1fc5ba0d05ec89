from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    "audit.view_events": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
