"""The immediate e-mail goes through a real Celery worker on a real Redis broker, as in production."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from credence.celery import app
from credence.notifications import services
from credence.notifications.models import Notification

BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture
def real_broker():
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    app._pool = None
    app.amqp._producer_pool = None
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_email_queued_after_commit(world, real_broker):
    reviewer = world.user("reviewer")

    services.notify(recipients=[reviewer], event="task.assigned", subject="Review it", organisation=world.home)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert Notification.objects.get(recipient=reviewer).emailed_at is not None
