from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

EDITORS = frozenset({Role.PROPOSER, Role.QA_OFFICER, Role.ORG_ADMIN})

PERMISSIONS = {
    # Any member of the owning organisation may read its unpublished micro-credentials.
    "microcredentials.view_unpublished": frozenset(Role),
    "microcredentials.add_microcredential": EDITORS,
    "microcredentials.change_draft": EDITORS,
    "microcredentials.manage_partners": EDITORS,
    "microcredentials.start_new_version": EDITORS,
    "microcredentials.submit_version": EDITORS,
    "microcredentials.approve_version": frozenset({Role.APPROVER}),
    "microcredentials.publish_version": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "microcredentials.retire_version": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
