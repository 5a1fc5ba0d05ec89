"""Bulk issuing through a real Celery worker and a real Redis broker, as it runs in production."""

from __future__ import annotations

import json
import time

import pytest
from celery.contrib.testing.worker import start_worker

from credence.celery import app
from credence.issuance import services
from credence.issuance.models import IssuedCredential, RunStatus
from credence.issuance.verification import verify

from .conftest import LEARNERS

BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture
def real_broker():
    """Point the Celery app at the local Redis and run a worker thread on it for the test."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    _forget_connections()
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.update(saved)
        _forget_connections()


def _forget_connections() -> None:
    """Celery caches its connection and producer pools on first use, with the broker URL of that
    moment; drop them so the next message goes to the broker configured now."""
    app._pool = None
    app.amqp._producer_pool = None


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
