"""Indicator computations against hand-computed cases."""

from __future__ import annotations

import pytest

from credence.monitoring import indicators, selectors, services
from credence.monitoring.indicators import Tally, Value
from credence.monitoring.models import IndicatorValue

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


def test_rates_from_counts():
    # 20 enrolled, 4 withdrawn (1 of them after starting), 15 started or beyond, 12 completed, 9 passed
    computed = indicators.compute(Tally(enrolled=20, started=15, withdrawn=4, completed=12, passed=9))

    assert computed["retention_rate"] == Value(80.0, 20)  # (20 - 4) / 20
    assert computed["progression_rate"] == Value(75.0, 20)  # 15 / 20
    assert computed["completion_rate"] == Value(60.0, 20)  # 12 / 20
    assert computed["pass_rate"] == Value(75.0, 12)  # 9 / 12
    assert computed["learner_satisfaction"] == Value(None, 0)


def test_means_and_graduate_outcomes():
    computed = indicators.compute(
        Tally(
            learner_sum=41,
            learner_count=11,
            graduates_positive=2,
            graduates_answering=3,
            invitations=40,
            responses=11,
        )
    )

    assert computed["learner_satisfaction"] == Value(3.73, 11)  # 41 / 11 = 3.727...
    assert computed["graduate_outcomes"] == Value(66.7, 3)  # 2 / 3
    assert computed["response_rate"] == Value(27.5, 40)  # 11 / 40


def test_suppression_below_ten():
    assert indicators.suppressed(Value(55.5, 9), "2025") == {
        "value": None,
        "n": 9,
        "period": "2025",
        "suppressed": True,
    }
    assert indicators.suppressed(Value(55.5, 10), "2025") == {
        "value": 55.5,
        "n": 10,
        "period": "2025",
        "suppressed": False,
    }


def test_import_stores_offering_and_yearly_values(world):
    offering = make_offering(world.home)
    # 10 enrolled: 6 completed (5 passed), 1 started, 2 withdrawn (not started), 1 enrolled
    import_statuses(
        offering,
        [("completed", True)] * 5
        + [
            ("completed", False),
            ("started", None),
            ("withdrawn", None),
            ("withdrawn", None),
            ("enrolled", None),
        ],
    )
    second = make_offering(world.home, offering.version)
    import_statuses(second, [("completed", True)] * 2 + [("withdrawn", None)] * 2, prefix="T")

    own = {v.indicator: v for v in IndicatorValue.objects.filter(offering=offering)}
    assert (own["completion_rate"].value, own["completion_rate"].n) == (60.0, 10)
    assert (own["pass_rate"].value, own["pass_rate"].n) == (83.3, 6)  # 5 / 6
    assert own["progression_rate"].value == 70.0  # 6 completed + 1 started of 10
    assert own["retention_rate"].value == 80.0
    overall = {
        v.indicator: v
        for v in IndicatorValue.objects.filter(
            micro_credential=offering.version.micro_credential, offering__isnull=True, period="all"
        )
    }
    # both offerings: 14 enrolled, 8 completed, 7 passed, 4 withdrawn
    assert (overall["completion_rate"].value, overall["completion_rate"].n) == (57.1, 14)
    assert (overall["pass_rate"].value, overall["pass_rate"].n) == (87.5, 8)
    assert overall["retention_rate"].value == 71.4  # 10 / 14
    assert (
        IndicatorValue.objects.filter(offering__isnull=True, period="2025", indicator="enrolled").get().value
        == 14
    )


def test_survey_results_join_the_indicators(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 4)
    survey = services.open_survey(actor=None, offering=offering, kind="learner")
    tokens = services.invite(actor=None, survey=survey, send_emails=False).tokens
    for token, score in zip(tokens[:3], ["5", "4", "2"], strict=True):
        services.submit_response(token=token, answers={"satisfaction": score})
    services.close_survey(actor=None, survey=survey)

    tally = selectors.offering_tallies([offering.pk])[offering.pk]
    computed = indicators.compute(tally)
    assert computed["learner_satisfaction"] == Value(3.67, 3)  # 11 / 3
    assert computed["response_rate"] == Value(75.0, 4)  # 3 of 4 invited
