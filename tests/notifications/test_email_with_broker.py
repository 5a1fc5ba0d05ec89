"""The immediate e-mail goes through a real Celery worker on a real Redis broker, as in production."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from credence.notifications import services
from credence.notifications.models import Notification


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_email_queued_after_commit(world, real_broker):
    reviewer = world.user("reviewer")

    services.notify(recipients=[reviewer], event="task.assigned", subject="Review it", organisation=world.home)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert Notification.objects.get(recipient=reviewer).emailed_at is not None
