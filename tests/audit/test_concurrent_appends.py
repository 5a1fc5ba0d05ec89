from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from credence.audit.models import AuditEvent
from credence.audit.services import record_event, verify_chain


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                record_event(actor=None, action="test.append", object_type="t", object_id=f"{n}-{i}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert AuditEvent.objects.count() == 40
    assert verify_chain() == [], connection.vendor
