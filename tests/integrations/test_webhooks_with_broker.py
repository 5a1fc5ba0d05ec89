"""A webhook delivery queued on a real Redis broker and sent by a real Celery worker."""

from __future__ import annotations

import json
import time

import pytest
from celery.contrib.testing.worker import start_worker

from credence.celery import app
from credence.integrations import services
from credence.integrations.models import DeliveryStatus, WebhookDelivery

BROKER = "redis://127.0.0.1:6379/14"


def _forget_connections() -> None:
    """Celery caches its connection pools with the broker URL of first use; start afresh."""
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
def test_a_test_event_is_delivered_by_a_worker(world, receiver, real_broker):
    endpoint = services.register_webhook(
        actor=world.user("org_admin"), organisation=world.home, url=receiver.url, events=["version.published"]
    )

    event_id = services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not WebhookDelivery.objects.filter(endpoint=endpoint).exists():
        time.sleep(0.2)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [json.loads(r.body)["id"] for r in receiver.received] == [str(event_id)]
