from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Offerings, learners and enrolments hold personal data: only the people who run offerings see them.
    "monitoring.view_offerings": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "monitoring.manage_offerings": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    # Aggregated figures (indicators, flags, dashboards, review schedule, annual report): every role of the
    # provider, since they answer for the quality of what it offers.
    "monitoring.view_monitoring": frozenset(Role),
    "monitoring.manage_surveys": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "monitoring.moderate_comments": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "monitoring.manage_thresholds": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    "monitoring.resolve_flags": frozenset({Role.QA_OFFICER}),
    "monitoring.manage_reviews": frozenset({Role.QA_OFFICER}),
    "monitoring.erase_learners": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)
