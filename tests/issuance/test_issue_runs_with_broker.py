"""Bulk issuing through a real Celery worker and a real Redis broker, as it runs in production."""

from __future__ import annotations

import json
import time

import pytest

from credence.issuance import services
from credence.issuance.models import IssuedCredential, RunStatus
from credence.issuance.verification import verify

from .conftest import LEARNERS


@pytest.mark.django_db(transaction=True)
def test_a_run_queued_on_redis_is_issued_by_a_worker(world, offering, real_broker):
    run = services.start_issue_run(
        actor=world.user("qa_officer"),
        offering=offering,
        rows=[{"email": learner["email"]} for learner in LEARNERS],
        send_emails=False,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            break
        time.sleep(0.2)
    assert run.status == RunStatus.DONE, run.error
    assert (run.processed, run.issued_count) == (3, 3)
    credential = IssuedCredential.objects.filter(offering=offering).first()
    report = verify(json.loads(credential.signed_json))
    assert report.valid, report.reason
