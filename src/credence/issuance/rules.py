from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

ISSUERS = frozenset({Role.QA_OFFICER, Role.ORG_ADMIN})

PERMISSIONS = {
    "issuance.view_credentials": ISSUERS,
    "issuance.issue_credentials": ISSUERS,
    "issuance.change_credential_status": ISSUERS,
    "issuance.manage_keys": frozenset({Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
