"""The contract the committees app relies on: which proposals wait at a committee stage, and recording
the committee's outcome on one of them (it moves the workflow on; committees never move runs)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.microcredentials.models import VersionStatus
from credence.workflows import selectors, services
from credence.workflows.models import Decision, ProposalStatus, StageRunStatus, Task, TaskStatus

from .conftest import COMMITTEE, active, make_proposal, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_committee(world):
    make_template(world.home, [COMMITTEE])
    return make_proposal(world)


def test_it_lists_proposals_waiting_at_a_committee_stage(world, at_committee):
    waiting = list(
        selectors.awaiting_committee(user=world.user("committee_secretary"), organisation=world.home)
    )

    assert [sr.run.proposal for sr in waiting] == [at_committee]
    assert waiting[0].stage.committee_slug == "academic-board"
    assert (
        list(
            selectors.awaiting_committee(
                user=world.user("committee_secretary"), organisation=world.home, committee_slug="other-board"
            )
        )
        == []
    )


def test_outsiders_see_nothing_waiting(world, at_committee):
    assert list(selectors.awaiting_committee(user=world.outsider, organisation=world.home)) == []


def test_the_secretary_gets_a_task_to_put_it_on_an_agenda(world, at_committee):
    task = Task.objects.get(proposal=at_committee, assignee=world.user("committee_secretary"))
    assert task.kind == "committee" and task.status == TaskStatus.OPEN


def test_approved_with_conditions_completes_the_stage_and_gives_the_proposer_condition_tasks(
    world, at_committee
):
    stage_run = active(at_committee)[0]

    decision = services.record_committee_outcome(
        actor=world.user("committee_secretary"),
        stage_run=stage_run,
        outcome="approved_with_conditions",
        conditions=["Add an employer to the advisory panel.", "Publish the assessment rubric."],
        note="Discussed at length.",
    )

    stage_run.refresh_from_db()
    at_committee.refresh_from_db()
    assert decision.action == "approve_with_conditions" and decision.conditions[0].startswith(
        "Add an employer"
    )
    assert stage_run.status == StageRunStatus.COMPLETED and stage_run.outcome == "approved_with_conditions"
    assert at_committee.status == ProposalStatus.APPROVED
    assert at_committee.version.status == VersionStatus.APPROVED
    conditions = Task.objects.filter(proposal=at_committee, kind="condition")
    assert {t.assignee for t in conditions} == {world.user("proposer")}
    assert sorted(t.subject for t in conditions)[0].endswith("Add an employer to the advisory panel.")
    assert not Task.objects.filter(stage_run=stage_run, status=TaskStatus.OPEN).exists()


def test_deferred_leaves_the_stage_waiting_for_a_later_meeting(world, at_committee):
    stage_run = active(at_committee)[0]

    services.record_committee_outcome(
        actor=world.user("committee_secretary"), stage_run=stage_run, outcome="deferred", conditions=[]
    )

    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.ACTIVE
    assert list(selectors.awaiting_committee(user=world.user("committee_secretary"), organisation=world.home))


def test_rejected_ends_the_proposal(world, at_committee):
    services.record_committee_outcome(
        actor=world.user("org_admin"),
        stage_run=active(at_committee)[0],
        outcome="rejected",
        conditions=[],
        note="No evidence of demand.",
    )

    at_committee.refresh_from_db()
    assert at_committee.status == ProposalStatus.REJECTED


def test_an_outcome_for_a_stage_that_has_moved_on_is_refused_and_nothing_changes(world, at_committee):
    stage_run = active(at_committee)[0]
    secretary = world.user("committee_secretary")
    services.record_committee_outcome(actor=secretary, stage_run=stage_run, outcome="approved", conditions=[])
    decisions = Decision.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.record_committee_outcome(
            actor=secretary, stage_run=stage_run, outcome="rejected", conditions=[]
        )

    assert "no longer in progress" in caught.value.message_dict["stage_run"][0]
    assert Decision.objects.count() == decisions
    at_committee.refresh_from_db()
    assert at_committee.status == ProposalStatus.APPROVED


@pytest.mark.parametrize(
    ("outcome", "conditions", "field"),
    [
        ("postponed", [], "outcome"),
        ("approved_with_conditions", [], "conditions"),
        ("approved", ["Something"], "conditions"),
    ],
)
def test_bad_outcomes_name_the_field(world, at_committee, outcome, conditions, field):
    with pytest.raises(ValidationError) as caught:
        services.record_committee_outcome(
            actor=world.user("committee_secretary"),
            stage_run=active(at_committee)[0],
            outcome=outcome,
            conditions=conditions,
        )
    assert field in caught.value.message_dict


@pytest.mark.parametrize("role", ["committee_member", "approver", "proposer"])
def test_only_the_secretary_or_an_admin_records_outcomes(world, at_committee, role):
    with pytest.raises(PermissionDenied):
        services.record_committee_outcome(
            actor=world.user(role), stage_run=active(at_committee)[0], outcome="approved", conditions=[]
        )


def test_another_organisations_secretary_is_refused(world, at_committee):
    from tests.factories import make_user

    theirs = make_user(world.other, ["committee_secretary"], username="other_secretary")
    with pytest.raises(PermissionDenied):
        services.record_committee_outcome(
            actor=theirs, stage_run=active(at_committee)[0], outcome="approved", conditions=[]
        )


def test_completing_a_condition_task(world, at_committee):
    services.record_committee_outcome(
        actor=world.user("committee_secretary"),
        stage_run=active(at_committee)[0],
        outcome="approved_with_conditions",
        conditions=["Publish the rubric."],
    )
    task = Task.objects.get(proposal=at_committee, kind="condition")

    with pytest.raises(PermissionDenied):
        services.complete_task(actor=world.user("reviewer"), task=task)
    done = services.complete_task(actor=world.user("proposer"), task=task, note="Rubric is on the page.")

    assert done.status == TaskStatus.DONE and done.completed_by == world.user("proposer")
    with pytest.raises(ValidationError) as caught:
        services.complete_task(actor=world.user("proposer"), task=task)
    assert "already done" in caught.value.message_dict["status"][0]
