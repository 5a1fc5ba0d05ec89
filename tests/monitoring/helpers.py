"""Building offerings with results for the monitoring tests, through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from credence.monitoring import services
from credence.monitoring.models import Offering

from ..factories import make_version

_codes = itertools.count(1)
HEADER = ["offering", "student_id", "name", "email", "status", "passed", "completed_on", "started_on"]
MAPPING = {
    "offering": "offering",
    "student_id": "external_id",
    "name": "name",
    "email": "email",
    "status": "status",
    "passed": "passed",
    "completed_on": "completed_on",
    "started_on": "started_on",
}


def make_offering(organisation: Any, version: Any = None, *, ended: bool = True, code: str = "") -> Offering:
    version = version or make_version(organisation, status="published")
    if ended:
        starts, ends = dt.date(2025, 2, 3), dt.date(2025, 5, 30)
    else:
        today = dt.date.today()
        starts, ends = today - dt.timedelta(days=10), today + dt.timedelta(days=60)
    return services.create_offering(
        actor=None,
        version=version,
        code=code or f"OFF-{next(_codes)}",
        starts_on=starts,
        ends_on=ends,
    )


def result_rows(
    offering: Offering, statuses: list[tuple[str, bool | None]], prefix: str = "S"
) -> list[list[Any]]:
    """One row per (status, passed): student ids {prefix}1, {prefix}2, ..."""
    rows = []
    for number, (status, passed) in enumerate(statuses, start=1):
        rows.append(
            [
                offering.code,
                f"{prefix}{number}",
                f"Learner {prefix}{number}",
                f"{prefix.lower()}{number}@learners.test",
                status,
                "" if passed is None else ("yes" if passed else "no"),
                "2025-05-30" if status == "completed" else "",
                "2025-02-03" if status in ("started", "completed") else "",
            ]
        )
    return rows


def import_statuses(
    offering: Offering, statuses: list[tuple[str, bool | None]], prefix: str = "S", actor: Any = None
) -> Any:
    return services.import_results(
        actor=actor,
        organisation=offering.organisation,
        header=HEADER,
        rows=result_rows(offering, statuses, prefix),
        mapping=MAPPING,
    )
