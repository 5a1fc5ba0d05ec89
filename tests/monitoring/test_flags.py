"""Thresholds raise flags after imports and survey closes, tell the owner and the QA office, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.monitoring import services
from credence.monitoring.models import Flag
from credence.notifications.models import Notification

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


def _defaults(organisation, actor=None):
    for key, comparison, value in services.DEFAULT_THRESHOLDS:
        services.set_threshold(
            actor=actor, organisation=organisation, indicator=key, comparison=comparison, value=value
        )


def test_low_completion_raises_one_flag_and_notifies_owner_and_qa_office(world):
    _defaults(world.home, world.user("qa_officer"))
    offering = make_offering(world.home)
    # 5 of 10 completed: 50 %, below 60 %
    report = import_statuses(offering, [("completed", True)] * 5 + [("withdrawn", None)] * 5)

    flags = [f for f in report.flags if f.indicator == "completion_rate"]
    assert len(flags) == 1
    assert (
        flags[0].message
        == f"Completion in {offering.code} is 50.0 % (n = 10), below the threshold of 60.0 %."
    )
    told = set(
        Notification.objects.filter(event="monitoring.flag_raised").values_list(
            "recipient__username", flat=True
        )
    )
    assert "home_qa_officer" in told

    again = import_statuses(offering, [("completed", True)] * 5 + [("withdrawn", None)] * 5)
    assert [f for f in again.flags if f.indicator == "completion_rate"] == []
    assert Flag.objects.filter(indicator="completion_rate").count() == 1


def test_good_results_raise_no_flag(world):
    _defaults(world.home)
    offering = make_offering(world.home)
    report = import_statuses(offering, [("completed", True)] * 9 + [("withdrawn", None)])
    assert [f for f in report.flags if f.offering_id == offering.pk] == []


def test_closing_a_survey_checks_satisfaction_and_response_rate(world):
    _defaults(world.home)
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 10)
    survey = services.open_survey(actor=world.user("qa_officer"), offering=offering, kind="learner")
    tokens = services.invite(actor=world.user("qa_officer"), survey=survey, send_emails=False).tokens
    services.submit_response(token=tokens[0], answers={"satisfaction": "2"})

    raised = services.close_survey(actor=world.user("qa_officer"), survey=survey)

    assert {f.indicator for f in raised} >= {"learner_satisfaction", "response_rate"}
    assert any("Survey response rate" in f.message and "10.0 %" in f.message for f in raised)


def test_thresholds_are_validated_and_kept_to_their_managers(world):
    with pytest.raises(ValidationError) as caught:
        services.set_threshold(
            actor=None, organisation=world.home, indicator="completion_rate", comparison="below", value="120"
        )
    assert caught.value.message_dict == {"value": ["A percentage is between 0 and 100."]}
    with pytest.raises(PermissionDenied):
        services.set_threshold(
            actor=world.user("proposer"),
            organisation=world.home,
            indicator="completion_rate",
            comparison="below",
            value=60,
        )


def test_a_flag_is_resolved_with_what_was_done(world):
    _defaults(world.home)
    offering = make_offering(world.home)
    flag = import_statuses(offering, [("withdrawn", None)] * 10).flags[0]
    with pytest.raises(ValidationError):
        services.resolve_flag(actor=world.user("qa_officer"), flag=flag, resolution=" ")
    services.resolve_flag(
        actor=world.user("qa_officer"), flag=flag, resolution="Cohort moved to the spring run."
    )
    flag.refresh_from_db()
    assert (flag.status, flag.resolution) == ("resolved", "Cohort moved to the spring run.")
