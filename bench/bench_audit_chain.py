"""How fast the audit log appends (every service write pays this) and how fast verify_audit reads."""

from __future__ import annotations

import time
from typing import Any

NAME = "audit_chain"
PARAMS = {"events": 2000}


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    from credence.audit.services import record_event, verify_chain

    n = int(params["events"])
    start = time.perf_counter()
    for i in range(n):
        record_event(
            actor=None,
            action="bench.event",
            object_type="bench.thing",
            object_id=str(i),
            changes={"title": ["old", f"new {i}"]},
        )
    append = time.perf_counter() - start
    start = time.perf_counter()
    problems = verify_chain()
    verify = time.perf_counter() - start
    assert not problems, problems
    return {
        "append_ms_per_event": (round(append / n * 1000, 3), "ms", "< 5 ms per event"),
        "verify_events_per_second": (round(n / verify), "events/s", "> 10000 events/s"),
    }
