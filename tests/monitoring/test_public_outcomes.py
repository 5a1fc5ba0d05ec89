"""The figures the public catalogue shows: aggregated over ended offerings, suppressed below 10 people."""

from __future__ import annotations

import pytest

from credence.monitoring import selectors

from ..factories import make_version
from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


def test_outcomes_are_computed_over_ended_offerings(world):
    offering = make_offering(world.home)
    # 12 enrolled: 9 completed (8 passed, 1 failed), 2 withdrawn, 1 still enrolled
    import_statuses(
        offering,
        [("completed", True)] * 8 + [("completed", False)] + [("withdrawn", None)] * 2 + [("enrolled", None)],
    )
    running = make_offering(world.home, offering.version, ended=False)
    import_statuses(running, [("enrolled", None)] * 5, prefix="R")

    outcomes = selectors.public_outcomes(offering.version.micro_credential)

    assert outcomes["completion_rate"] == {"value": 75.0, "n": 12, "period": "2025", "suppressed": False}
    # 8 of 9 completed passed: 9 people behind it, so it is suppressed
    assert outcomes["pass_rate"] == {"value": None, "n": 9, "period": "2025", "suppressed": True}
    assert outcomes["learner_satisfaction"]["suppressed"] is True
    assert outcomes["learner_satisfaction"]["n"] == 0


def test_a_micro_credential_without_offerings_shows_nothing(world):
    other = make_version(world.home, status="published").micro_credential

    assert selectors.public_outcomes(other)["completion_rate"] == {
        "value": None,
        "n": 0,
        "period": "",
        "suppressed": True,
    }


def test_next_review_due_follows_the_schedule(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 3)
    mc = offering.version.micro_credential

    due = selectors.next_review_due(mc)

    # the offering ended on 30 May 2025: a review falls due 60 days later, before the five-yearly one
    import datetime as dt

    assert due == dt.date(2025, 5, 30) + dt.timedelta(days=60)
