from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

EDITORS = frozenset({Role.PROPOSER, Role.QA_OFFICER, Role.ORG_ADMIN})

PERMISSIONS = {
    # Importing a catalogue writes draft micro-credentials: the roles that may write drafts.
    "interop.import_catalogue": EDITORS,
    # Recording versions as approved elsewhere (a migration) is a QA decision.
    "interop.import_approved": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "interop.manage_mappings": EDITORS,
}

register_permissions(PERMISSIONS)
