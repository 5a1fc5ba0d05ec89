"""The review schedule and cyclic reviews opened in the governance workflow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from credence.monitoring import selectors, services
from credence.monitoring.models import Flag, ReviewSchedule
from credence.workflows import services as workflows
from credence.workflows.models import Proposal

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


CYCLIC_REVIEW_STAGE = {
    "name": "QA approval",
    "kind": "approval",
    "order": 1,
    "role": "approver",
    "quorum": "any",
}


def _flagged(world):
    workflows.save_template(
        actor=None,
        organisation=world.home,
        proposal_kind="cyclic_review",
        name="Cyclic review",
        stages=[CYCLIC_REVIEW_STAGE],
    )
    services.set_threshold(
        actor=None, organisation=world.home, indicator="completion_rate", comparison="below", value=60
    )
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 4 + [("withdrawn", None)] * 6)
    return offering.version.micro_credential


def test_a_flag_brings_the_review_forward_and_an_overdue_review_is_flagged(world):
    services.set_threshold(
        actor=None, organisation=world.home, indicator="review_overdue", comparison="above", value=0
    )
    mc = _flagged(world)
    schedule = ReviewSchedule.objects.get(micro_credential=mc)
    raised = Flag.objects.get(indicator="completion_rate")
    # the offering ended in May 2025, so the post-offering review (60 days) is the earliest and overdue
    assert schedule.next_due == dt.date(2025, 7, 29)
    assert schedule.due_reason == "an offering has ended"
    assert raised.micro_credential == mc
    overdue = Flag.objects.get(indicator="review_overdue")
    assert overdue.value == (timezone.localdate() - dt.date(2025, 7, 29)).days


def test_starting_a_cyclic_review_opens_a_proposal_with_the_evidence(world):
    mc = _flagged(world)
    qa = world.user("qa_officer")

    review = services.start_cyclic_review(actor=qa, micro_credential=mc, reason="Completion fell to 40 %.")

    proposal = Proposal.objects.get(pk=review.proposal_id)
    assert proposal.micro_credential_id == mc.pk
    assert proposal.evidence["open_flags"][0]["indicator"] == "completion_rate"
    completion = [
        i
        for i in proposal.evidence["indicators"]
        if i["indicator"] == "completion_rate" and i["period"] == "all"
    ]
    assert completion == [
        {"indicator": "completion_rate", "label": "Completion", "period": "all", "value": 40.0, "n": 10}
    ]
    assert Flag.objects.get(indicator="completion_rate").status == "in_review"
    with pytest.raises(ValidationError):
        services.start_cyclic_review(actor=qa, micro_credential=mc, reason="Again.")


def test_the_outcome_resolves_the_flags_and_resets_the_schedule(world):
    mc = _flagged(world)
    qa = world.user("qa_officer")
    review = services.start_cyclic_review(actor=qa, micro_credential=mc, reason="Low completion.")

    services.record_review_outcome(actor=qa, review=review, outcome="change", notes="Shorter units.")

    flag = Flag.objects.get(indicator="completion_rate")
    assert (flag.status, flag.resolution) == ("resolved", "Cyclic review: change.")
    schedule = ReviewSchedule.objects.get(micro_credential=mc)
    assert schedule.last_done == timezone.localdate()
    assert selectors.next_review_due(mc) == schedule.next_due > timezone.localdate()
    with pytest.raises(ValidationError):
        services.record_review_outcome(actor=qa, review=review, outcome="retire")


def test_only_the_qa_office_starts_reviews(world):
    mc = _flagged(world)
    for actor in (world.user("proposer"), world.outsider_qa):
        with pytest.raises(PermissionDenied):
            services.start_cyclic_review(actor=actor, micro_credential=mc, reason="Why not.")


def test_the_daily_check_flags_reviews_that_fell_due(world):
    from django.core.management import call_command

    services.set_threshold(
        actor=None, organisation=world.home, indicator="review_overdue", comparison="above", value=0
    )
    make_offering(world.home)  # ended in May 2025, no results imported: nothing has looked at it yet
    assert not Flag.objects.exists()

    call_command("check_reviews")

    assert Flag.objects.get().indicator == "review_overdue"
    call_command("check_reviews")
    assert Flag.objects.count() == 1

