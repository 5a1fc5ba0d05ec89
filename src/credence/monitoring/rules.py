from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Offerings, learners and enrolments hold personal data: only the people who run offerings see them.
    "monitoring.view_offerings": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "monitoring.manage_offerings": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
