from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # A QA agency's organisation admins run its part of the register.
    "register.manage_agency": frozenset({Role.ORG_ADMIN}),
    "register.submit_report": frozenset({Role.ORG_ADMIN}),
    "register.withdraw_report": frozenset({Role.ORG_ADMIN}),
    # The jurisdictions table is kept by the register operator (platform admins).
    "register.manage_jurisdictions": frozenset(),
}

register_permissions(PERMISSIONS)
