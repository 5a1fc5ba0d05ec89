"""A webhook delivery queued on a real Redis broker and sent by a real Celery worker."""

from __future__ import annotations

import json
import time

import pytest

from credence.integrations import services
from credence.integrations.models import DeliveryStatus, WebhookDelivery


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
