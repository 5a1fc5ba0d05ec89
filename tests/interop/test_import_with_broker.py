"""An import queued on a real Redis broker is run by a Celery worker, as in production."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from credence.celery import app
from credence.interop import services
from credence.interop.models import ImportStatus
from credence.microcredentials.models import MicroCredential

from .importing import fixture

BROKER = "redis://127.0.0.1:6379/14"


def _forget_connections() -> None:
    """Celery caches its pools with the broker URL of first use; drop them (see tests/issuance)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker():
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


@pytest.mark.django_db(transaction=True)
def test_an_import_queued_on_redis_is_run_by_a_worker(world, real_broker):
    proposer = world.user("proposer")
    job = services.start_import(actor=proposer, organisation=world.home, upload=fixture("short_courses.csv"))
    job = services.set_mapping(actor=proposer, job=job, columns=job.mapping)
    job = services.queue_import(actor=proposer, job=job)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.status == ImportStatus.DONE, job.message
    assert job.progress == 100
    assert MicroCredential.objects.filter(organisation=world.home).count() == 4
