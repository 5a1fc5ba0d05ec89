"""The workflow's clock. Services read the time here so that a generated history (the demo, the
cycle-time tests) can be played at past dates through the same services people use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_override: ContextVar[dt.datetime | None] = ContextVar("workflow_clock", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the code inside as if it were `moment` (an aware datetime)."""
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
