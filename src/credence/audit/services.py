"""Writing to and verifying the audit log. Every service in every app calls `record_event`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_request_id
from .models import AuditEvent

if TYPE_CHECKING:
    from credence.organisations.models import Organisation, User

GENESIS_HASH = "0" * 64
# Any constant: PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x637265646E6365


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_jsonable(v) for v in value]
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field-level difference as {field: [old, new]}, only for fields that changed."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(key)), _jsonable(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    organisation: Organisation | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call inside the service's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:300]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=(actor.get_username() if actor is not None and actor.pk else "system")[:300],
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label[:300],
            changes=_jsonable(changes or {}),
            request_id=current_request_id(),
            previous_hash=last.hash if last else GENESIS_HASH,
        )
        # Round-trip the payload through JSON so the hash covers exactly what the database stores.
        event.changes = json.loads(json.dumps(event.changes))
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class PendingEvent:
    """One event for `record_events`: what `record_event` takes, for many objects at once."""

    action: str
    obj: models.Model
    changes: Mapping[str, Any]
    organisation: Organisation | None = None


def record_events(*, actor: User | None, events: Iterable[PendingEvent], batch_size: int = 1000) -> int:
    """Append many events in one go (a bulk import): one chain lock, hashes linked in order, bulk inserts.
    Call inside the service's transaction. Returns how many were written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "hash").first()
        sequence, previous = (last.sequence, last.hash) if last else (0, GENESIS_HASH)
        now, request_id = timezone.now(), current_request_id()
        actor_id = actor if actor is not None and actor.pk else None
        label = (actor.get_username() if actor is not None and actor.pk else "system")[:300]
        built: list[AuditEvent] = []
        for pending in events:
            sequence += 1
            event = AuditEvent(
                sequence=sequence,
                occurred_at=now,
                actor=actor_id,
                actor_label=label,
                organisation=pending.organisation,
                action=pending.action,
                object_type=pending.obj._meta.label_lower,
                object_id=str(pending.obj.pk),
                object_label=str(pending.obj)[:300],
                changes=json.loads(json.dumps(_jsonable(pending.changes or {}))),
                request_id=request_id,
                previous_hash=previous,
            )
            event.hash = event.compute_hash()
            previous = event.hash
            built.append(event)
        AuditEvent.objects.bulk_create(built, batch_size=batch_size)
    return len(built)


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    reason: str


def verify_chain(batch_size: int = 2000) -> list[ChainProblem]:
    """Recompute every hash and link; return each place where the chain is broken."""
    problems: list[ChainProblem] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    queryset = AuditEvent.objects.order_by("sequence")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    event.sequence,
                    f"events {expected_sequence} to {event.sequence - 1} are missing (deleted)",
                )
            )
        if event.previous_hash != expected_previous:
            problems.append(ChainProblem(event.sequence, "does not link to the event before it"))
        if event.compute_hash() != event.hash:
            problems.append(ChainProblem(event.sequence, "its content was changed after it was written"))
        expected_previous = event.hash
        expected_sequence = event.sequence + 1
    return problems


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance` (foreign keys as ids), for `field_changes`."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    )
    return {name: getattr(instance, name) for name in names}
