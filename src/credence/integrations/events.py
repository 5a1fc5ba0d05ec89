"""Webhook events from the audit log: every service records an audit event, so a saved AuditEvent whose
action is in EVENTS becomes a webhook event once its transaction commits. No other app calls us."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from credence.audit.models import AuditEvent

logger = logging.getLogger(__name__)

# audit action -> webhook event. Apps that record these actions feed webhooks without knowing of them.
EVENTS: dict[str, str] = {
    "version.published": "version.published",
    "version.retired": "version.retired",
    "credentials.issued": "credential.issued",
    "workflows.proposal_approved": "proposal.decided",
    "workflows.proposal_rejected": "proposal.decided",
    # Recorded by monitoring's daily check, once per due date, on the micro-credential.
    "monitoring.review_due": "review.due",
}
# Where an API client reads the object of an event.
API_PATHS: dict[str, str] = {
    "microcredentials.microcredentialversion": "/api/versions/{id}/",
    "monitoring.offering": "/api/offerings/{id}/",
}


def _subject(event: AuditEvent) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": event.object_type, "id": event.object_id, "label": event.object_label}
    path = API_PATHS.get(event.object_type)
    if path and event.object_id:
        subject["url"] = settings.CREDENCE_PUBLIC_URL + path.format(id=event.object_id)
    if event.object_type == "microcredentials.microcredentialversion" and event.object_id.isdigit():
        from credence.microcredentials.models import MicroCredentialVersion

        version = MicroCredentialVersion.objects.filter(pk=int(event.object_id)).select_related(
            "micro_credential"
        )
        found = version.first()
        if found is not None:
            subject["code"] = found.micro_credential.code
            subject["version"] = found.number
    elif event.object_type == "monitoring.offering" and event.object_id.isdigit():
        from credence.monitoring.models import Offering

        offering = Offering.objects.filter(pk=int(event.object_id)).first()
        if offering is not None:
            subject["code"] = offering.code
    return subject


def _publish(event_pk: int) -> None:
    from .services import publish_event

    try:
        event = AuditEvent.objects.select_related("organisation").get(pk=event_pk)
        if event.organisation is None:
            return
        data = (
            {"changes": event.changes}
            if event.action != "credentials.issued"
            else {"issued": (event.changes.get("issued") or [None, 0])[1]}
        )
        publish_event(
            organisation=event.organisation,
            event_type=EVENTS[event.action],
            occurred_at=event.occurred_at,
            subject=_subject(event),
            data=data,
        )
    except Exception:  # the write that caused the event has committed; never let webhooks undo it
        logger.exception("Could not publish webhook event for audit event %s", event_pk)


def _on_audit_event(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.action in EVENTS and instance.organisation_id is not None:
        pk = instance.pk
        transaction.on_commit(lambda: _publish(pk))


def connect() -> None:
    post_save.connect(_on_audit_event, sender=AuditEvent, dispatch_uid="integrations-webhook-events")
