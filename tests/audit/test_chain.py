from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from credence.audit.models import AppendOnlyError, AuditEvent
from credence.audit.services import verify_chain
from credence.microcredentials import services as mc

from ..factories import make_version


@pytest.fixture
def history(world):
    version = make_version(world.home, title="Audited course")
    mc.update_draft(
        actor=world.user("proposer"),
        version=version,
        data={"title": "Audited course v1"},
        lock_version=version.lock_version,
    )
    return version


def test_every_service_write_is_recorded_with_actor_and_field_diff(world, history):
    event = AuditEvent.objects.filter(action="version.updated").first()
    assert event is not None
    assert event.actor == world.user("proposer")
    assert event.organisation == world.home
    assert event.changes["title"] == ["Audited course", "Audited course v1"]
    assert event.object_type == "microcredentials.microcredentialversion"
    assert event.object_id == str(history.pk)


def test_events_are_chained_by_hash(world, history):
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert verify_chain() == []


def test_verify_audit_passes_on_an_intact_log(history, capsys):
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_verify_audit_fails_after_a_row_is_edited_in_sql(history):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = %s WHERE sequence = %s", ["version.approved", 3])
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_audit")
    assert any(p.sequence == 3 and "changed" in p.reason for p in verify_chain())


def test_verify_audit_fails_after_a_diff_is_edited_in_sql(history):
    table = AuditEvent._meta.db_table
    last = AuditEvent.objects.order_by("-sequence").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET changes = %s WHERE sequence = %s", ['{"title": ["a", "b"]}', last.sequence]
        )
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_verify_audit_fails_after_a_row_is_deleted_in_sql(history):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE sequence = %s", [2])
    problems = verify_chain()
    assert any("missing" in p.reason for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_the_orm_refuses_to_change_or_delete_events(history):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert verify_chain() == []


def test_events_of_one_request_share_the_request_id(world, client):
    from credence.audit.context import reset_request_id, set_request_id

    token = set_request_id("req-123")
    try:
        make_version(world.home)
    finally:
        reset_request_id(token)
    assert AuditEvent.objects.filter(request_id="req-123").count() >= 1
