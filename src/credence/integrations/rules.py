from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # An organisation's admins connect it to other systems: API tokens and webhook endpoints.
    "integrations.manage_tokens": frozenset({Role.ORG_ADMIN}),
    "integrations.manage_webhooks": frozenset({Role.ORG_ADMIN}),
    # Platform admins only: an identity provider vouches for e-mail addresses, and a person may belong
    # to several organisations, so one organisation's admin must not choose what signs its members in.
    "integrations.manage_sso": frozenset(),
}

register_permissions(PERMISSIONS)
