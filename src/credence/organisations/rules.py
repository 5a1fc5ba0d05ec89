from __future__ import annotations

from .authorization import register_permissions
from .models import Role

PERMISSIONS = {
    "organisations.change_organisation": frozenset({Role.ORG_ADMIN}),
    "organisations.manage_memberships": frozenset({Role.ORG_ADMIN}),
    "organisations.view_memberships": frozenset({Role.ORG_ADMIN, Role.QA_OFFICER}),
    # Creating organisations is for platform admins only (an empty role set).
    "organisations.add_organisation": frozenset(),
}

register_permissions(PERMISSIONS)
