from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Uploading packs and choosing which packs apply to the organisation's micro-credentials.
    "frameworks.manage_packs": frozenset({Role.ORG_ADMIN, Role.QA_OFFICER}),
    # Running the machine checks on a version (the readiness panel, the API): any member.
    "frameworks.run_checks": frozenset(Role),
}

register_permissions(PERMISSIONS)
