"""Reads of the audit log, scoped to what the user may see.

Platform admins see every event. A person holding `audit.view_events` in an organisation (QA officers
and organisation admins) sees the events recorded for that organisation. Nobody else sees any.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from credence.organisations.authorization import can, is_platform_admin, organisation_ids_of
from credence.organisations.models import Organisation

from .models import AuditEvent


def organisations_audited_by(user: Any) -> list[int] | None:
    """The ids of the organisations whose events `user` may read; None means every event."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if is_platform_admin(user):
        return None
    return [
        org_id
        for org_id in organisation_ids_of(user)
        if can(user, "audit.view_events", Organisation(pk=org_id))
    ]


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.select_related("actor", "organisation")
    org_ids = organisations_audited_by(user)
    if org_ids is None:
        return queryset
    return queryset.filter(organisation_id__in=org_ids)
