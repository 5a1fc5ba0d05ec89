"""An import queued on a real Redis broker is run by a Celery worker, as in production."""

from __future__ import annotations

import time

import pytest

from credence.interop import services
from credence.interop.models import ImportStatus
from credence.microcredentials.models import MicroCredential

from .importing import fixture


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
