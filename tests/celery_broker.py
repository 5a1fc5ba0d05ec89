"""The real Redis broker and a Celery worker thread, for the tests that run tasks as production does.

Each pytest-xdist worker gets its own Redis database (10 + its number): a worker thread consumes every
message on its broker, so two test processes sharing one database would run each other's tasks against
the wrong test database, and one's FLUSHDB would drop the other's queue.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from credence.celery import app


def broker_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return f"redis://127.0.0.1:6379/{10 + number % 6}"


def _forget_connections() -> None:
    """Celery caches its connection and producer pools on first use, with the broker URL of that
    moment; drop them so the next message goes to the broker configured now."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker() -> Iterator[str]:
    """Point the Celery app at the local Redis (emptied first) and run a worker thread on it for the test."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    url = broker_url()
    app.conf.update(broker_url=url, task_always_eager=False, result_backend=None)
    _forget_connections()
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield url
    finally:
        app.conf.update(saved)
        _forget_connections()
