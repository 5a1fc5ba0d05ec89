"""Cycle-time figures on a generated history, against figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from credence.errors import NotVisible
from credence.workflows import history, selectors
from credence.workflows.selectors import Figure

from .conftest import APPROVAL, make_proposal, make_template

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# (submitted, days at stage A, days at stage B): end to end is A + B.
HISTORY = [
    (dt.datetime(2026, 1, 5, 9, tzinfo=UTC), 2, 4),  # Q1: A 2, B 4, total 6
    (dt.datetime(2026, 2, 1, 9, tzinfo=UTC), 4, 10),  # Q1: A 4, B 10, total 14
    (dt.datetime(2026, 2, 10, 9, tzinfo=UTC), 6, 1),  # Q1: A 6, B 1, total 7
    (dt.datetime(2026, 4, 1, 9, tzinfo=UTC), 10, 2),  # Q2: A 10, B 2, total 12
]


@pytest.fixture
def generated(world, approvers):
    make_template(
        world.home,
        [{**APPROVAL, "name": "Faculty", "order": 1}, {**APPROVAL, "name": "Quality office", "order": 2}],
    )
    for submitted, a, b in HISTORY:
        history.play(proposal=make_proposal(world, submit=False), submitted_at=submitted, stage_days=[a, b])
    # A proposal still running and one rejected count in no end-to-end figure.
    history.play(proposal=make_proposal(world, submit=False), submitted_at=HISTORY[0][0], stage_days=[3])
    history.play(
        proposal=make_proposal(world, submit=False),
        submitted_at=HISTORY[0][0],
        stage_days=[1, 5],
        final="reject",
    )


def test_median_and_90th_percentile_per_stage_and_end_to_end_by_quarter(world, generated):
    figures = selectors.cycle_times(user=world.user("qa_officer"), organisation=world.home, period="quarter")

    assert figures.periods == ["2026-Q1", "2026-Q2"]
    faculty, quality = figures.stages
    assert faculty.label == "Faculty" and quality.label == "Quality office"
    # Faculty in Q1: the four from HISTORY's first quarter [2, 4, 6] plus the running one [3] and the
    # rejected one [1] -> [1, 2, 3, 4, 6].
    assert faculty.by_period["2026-Q1"] == Figure(5, 3.0, 6.0)
    assert faculty.by_period["2026-Q2"] == Figure(1, 10.0, 10.0)
    assert faculty.overall == Figure(6, 3.5, 10.0)
    # Quality office: [4, 10, 1] in Q1 (the rejected one is closed, not completed), [2] in Q2.
    assert quality.by_period["2026-Q1"] == Figure(3, 4.0, 10.0)
    assert quality.overall == Figure(4, 3.0, 10.0)
    # End to end: [6, 14, 7] in Q1 and [12] in Q2.
    assert figures.end_to_end.by_period["2026-Q1"] == Figure(3, 7.0, 14.0)
    assert figures.end_to_end.by_period["2026-Q2"] == Figure(1, 12.0, 12.0)
    assert figures.end_to_end.overall == Figure(4, 9.5, 14.0)


def test_by_month(world, generated):
    figures = selectors.cycle_times(user=world.user("proposer"), organisation=world.home, period="month")
    assert figures.end_to_end.by_period["2026-01"] == Figure(1, 6.0, 6.0)
    assert figures.end_to_end.by_period["2026-02"] == Figure(2, 10.5, 14.0)
    assert figures.end_to_end.by_period["2026-03"] is None


def test_the_90th_percentile_is_the_nearest_rank():
    assert selectors.p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 9
    assert selectors.p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) == 10
    assert selectors.p90([5]) == 5


def test_outsiders_cannot_read_the_figures(world, generated):
    with pytest.raises(NotVisible):
        selectors.cycle_times(user=world.outsider, organisation=world.home)
