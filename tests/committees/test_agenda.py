"""Building the agenda from proposals waiting at the committee's stage, and recording outcomes, which
move the workflow on through the workflows service. Refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from credence.committees import selectors, services
from credence.committees.models import AgendaItem
from credence.workflows.models import ProposalStatus, StageRunStatus, Task

from .conftest import waiting_stage_run

pytestmark = pytest.mark.django_db


def test_the_secretary_allocates_a_waiting_proposal(world, board, template):
    stage_run = waiting_stage_run(world)
    secretary = world.user("committee_secretary")
    assert selectors.awaiting(secretary, board.committee) == [stage_run]

    item = services.allocate(actor=secretary, meeting=board.meeting, stage_run=stage_run)

    assert item.order == 1 and item.title == stage_run.run.proposal.title
    assert selectors.awaiting(secretary, board.committee) == []  # no longer offered


def test_allocating_twice_is_refused(world, board, template):
    stage_run = waiting_stage_run(world)
    services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)
    start = timezone.now() + dt.timedelta(days=30)
    later = services.schedule_meeting(actor=None, committee=board.committee, start=start, end=start + dt.timedelta(hours=1), place="Room 2")

    with pytest.raises(ValidationError) as error:
        services.allocate(actor=None, meeting=later, stage_run=stage_run)
    assert "is already on the agenda of the meeting of" in error.value.message_dict["stage_run"][0]
    assert not later.items.exists()


def test_a_member_cannot_allocate(world, board, template):
    with pytest.raises(PermissionDenied):
        services.allocate(actor=world.user("committee_member"), meeting=board.meeting, stage_run=waiting_stage_run(world))


def test_approved_with_conditions_moves_the_workflow_and_makes_condition_tasks(world, board, template):
    stage_run = waiting_stage_run(world)
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)

    services.record_outcome(
        actor=world.user("committee_secretary"), meeting=board.meeting, item=item,
        outcome="approved_with_conditions", conditions="Add an employer to the advisory panel.\n\nPublish the rubric.",
    )

    item.refresh_from_db()
    stage_run.refresh_from_db()
    assert item.outcome == "approved_with_conditions"
    assert item.conditions == ["Add an employer to the advisory panel.", "Publish the rubric."]
    assert item.recorded_by == world.user("committee_secretary")
    assert stage_run.status == StageRunStatus.COMPLETED
    assert stage_run.run.proposal.status == ProposalStatus.APPROVED
    condition_tasks = Task.objects.filter(proposal=stage_run.run.proposal, kind="condition", status="open")
    assert sorted(t.subject.split(": ", 1)[1] for t in condition_tasks) == [
        "Add an employer to the advisory panel.",
        "Publish the rubric.",
    ]
    assert {t.assignee for t in condition_tasks} == {world.user("proposer")}


def test_deciding_twice_is_refused(world, board, template):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="approved")

    with pytest.raises(ValidationError) as error:
        services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="rejected")
    assert "was already decided at this meeting (Approved)" in error.value.message_dict["item"][0]


def test_an_item_of_another_meeting_is_refused(world, board, template):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    start = timezone.now() + dt.timedelta(days=30)
    other = services.schedule_meeting(actor=None, committee=board.committee, start=start, end=start + dt.timedelta(hours=1), place="Room 2")

    with pytest.raises(ValidationError) as error:
        services.record_outcome(actor=world.user("committee_secretary"), meeting=other, item=item, outcome="approved")
    assert error.value.message_dict["item"] == ["That item is not on the agenda of this meeting."]
    item.refresh_from_db()
    assert item.outcome == ""


def test_a_stage_that_has_moved_on_is_refused(world, board, template):
    from credence.workflows import services as workflows

    stage_run = waiting_stage_run(world)
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)
    workflows.withdraw_proposal(actor=world.user("proposer"), proposal=stage_run.run.proposal, reason="Not this year.")

    with pytest.raises(ValidationError) as error:
        services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="approved")
    assert "has moved on from Academic board" in error.value.message_dict["item"][0]
    item.refresh_from_db()
    assert item.outcome == ""


def test_a_deferred_proposal_can_go_to_a_later_meeting(world, board, template):
    stage_run = waiting_stage_run(world)
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)
    services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="deferred", note="Need costs.")
    start = timezone.now() + dt.timedelta(days=30)
    later = services.schedule_meeting(actor=None, committee=board.committee, start=start, end=start + dt.timedelta(hours=1), place="Room 2")

    again = services.allocate(actor=None, meeting=later, stage_run=stage_run)

    assert again.meeting == later and stage_run.run.proposal.status != ProposalStatus.APPROVED


def test_conditions_go_with_approved_with_conditions_only(world, board, template):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    with pytest.raises(ValidationError) as error:
        services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="approved_with_conditions")
    assert "at least one condition" in error.value.message_dict["conditions"][0]
    assert AgendaItem.objects.get(pk=item.pk).outcome == ""


@pytest.mark.parametrize("role", ["committee_member", "reviewer", "proposer"])
def test_members_and_others_cannot_record(world, board, template, role):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    with pytest.raises(PermissionDenied):
        services.record_outcome(actor=world.user(role), meeting=board.meeting, item=item, outcome="approved")


def test_the_chair_records_an_outcome_though_they_hold_no_secretary_role(world, board, template):
    """The chair of the committee the stage names may record its outcome (they hold the approver role only)."""
    stage_run = waiting_stage_run(world)
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)
    chair = world.user("approver")

    services.record_outcome(actor=chair, meeting=board.meeting, item=item, outcome="approved")

    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.COMPLETED
    assert stage_run.run.proposal.status == ProposalStatus.APPROVED


def test_a_plain_member_cannot_record_an_outcome(world, board, template):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    with pytest.raises(PermissionDenied):
        services.record_outcome(actor=world.user("committee_member"), meeting=board.meeting, item=item, outcome="approved")
    item.refresh_from_db()
    assert item.outcome == ""
