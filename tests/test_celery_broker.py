"""Parallel test processes must not share a Redis database: each one's worker thread would run the
other's tasks against the wrong test database."""

from __future__ import annotations

from .celery_broker import broker_url


def test_each_xdist_worker_has_its_own_redis_database(monkeypatch):
    urls = set()
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        urls.add(broker_url())
    assert urls == {"redis://127.0.0.1:6379/10", "redis://127.0.0.1:6379/11", "redis://127.0.0.1:6379/12"}
