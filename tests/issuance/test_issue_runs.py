"""Bulk issuing as a background job: validated whole first, issued in chunks, progress recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.issuance import services
from credence.issuance.models import IssuedCredential, IssueRun, RunStatus

from .conftest import LEARNERS

pytestmark = pytest.mark.django_db


def test_a_run_issues_in_chunks_and_records_its_progress(world, offering, monkeypatch):
    monkeypatch.setattr(services, "RUN_CHUNK", 2)
    run = services.start_issue_run(
        actor=world.user("qa_officer"),
        offering=offering,
        rows=[{"email": r["email"]} for r in LEARNERS],
        send_emails=False,
    )
    assert run.status == RunStatus.QUEUED

    services.perform_issue_run(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.processed, run.total, run.issued_count) == (RunStatus.DONE, 3, 3, 3)
    assert IssuedCredential.objects.filter(offering=offering).count() == 3


def test_a_bad_list_never_becomes_a_run(world, offering):
    with pytest.raises(ValidationError):
        services.start_issue_run(actor=None, offering=offering, rows=[{"email": "nobody@example.org"}])
    assert not IssueRun.objects.exists()


def test_a_run_started_again_issues_nothing_twice(offering):
    rows = [{"email": r["email"]} for r in LEARNERS]
    first = services.start_issue_run(actor=None, offering=offering, rows=rows, send_emails=False)
    services.perform_issue_run(run_id=first.pk)
    second = services.start_issue_run(actor=None, offering=offering, rows=rows, send_emails=False)

    done = services.perform_issue_run(run_id=second.pk)

    assert (done.issued_count, done.already_count) == (0, 3)


def test_a_run_whose_requester_lost_the_right_stops_with_the_reason(world, offering):
    from credence.organisations.models import Membership

    qa = world.user("qa_officer")
    run = services.start_issue_run(
        actor=qa, offering=offering, rows=[{"email": LEARNERS[0]["email"]}], send_emails=False
    )
    Membership.objects.filter(user=qa).update(roles=["proposer"])
    if hasattr(qa, "_credence_roles"):
        del qa._credence_roles

    done = services.perform_issue_run(run_id=run.pk)

    assert done.status == RunStatus.FAILED
    assert "permission" in done.error
    assert not IssuedCredential.objects.exists()


def test_only_issuers_start_runs(world, offering):
    with pytest.raises(PermissionDenied):
        services.start_issue_run(
            actor=world.user("proposer"), offering=offering, rows=[{"email": LEARNERS[0]["email"]}]
        )
