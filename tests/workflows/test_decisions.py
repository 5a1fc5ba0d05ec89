"""Running a proposal through its stages: tasks for the right people, quorum, parallel and conditional
stages, returning and resubmitting, and the refusals (not your task, twice, moved on)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.microcredentials.models import VersionStatus
from credence.notifications.models import Notification
from credence.reviews import services as review_services
from credence.reviews.models import Review
from credence.workflows import services
from credence.workflows.models import Decision, ProposalStatus, StageRunStatus, Task, TaskStatus

from ..factories import make_user
from .conftest import APPROVAL, REVIEW, active, make_proposal, make_template

pytestmark = pytest.mark.django_db


def test_submitting_freezes_the_version_and_gives_each_approver_a_task(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)

    assert proposal.status == ProposalStatus.IN_WORKFLOW
    assert proposal.version.status == VersionStatus.IN_REVIEW
    tasks = Task.objects.filter(proposal=proposal, kind="approve")
    assert {t.assignee.username for t in tasks} == {"home_approver", "approver_two", "approver_three"}
    assert all(t.due_at == active(proposal)[0].due_at for t in tasks)
    assert Notification.objects.filter(recipient=approvers.second, event="task.assigned").exists()


def test_any_one_approval_completes_the_stage_and_approves_the_version(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)

    services.decide(actor=approvers.second, stage_run=active(proposal)[0], action="approve", comment="Good.")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.version.status == VersionStatus.APPROVED
    assert Task.objects.filter(proposal=proposal, kind="approve", status=TaskStatus.CANCELLED).count() == 2
    assert Notification.objects.filter(recipient=world.user("proposer"), event="proposal.decided").exists()


def test_all_of_them_must_approve_when_the_quorum_is_all(world, approvers):
    make_template(world.home, [{**APPROVAL, "quorum": "all"}])
    proposal = make_proposal(world)
    stage_run = active(proposal)[0]

    services.decide(actor=approvers.first, stage_run=stage_run, action="approve")
    services.decide(actor=approvers.second, stage_run=stage_run, action="approve")
    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.ACTIVE

    services.decide(actor=approvers.third, stage_run=stage_run, action="approve")
    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.COMPLETED


def test_n_of_m_completes_at_the_nth_approval(world, approvers):
    make_template(
        world.home,
        [
            {
                **APPROVAL,
                "quorum": "n",
                "quorum_n": 2,
                "assignees": ["home_approver", "approver_two", "approver_three"],
            }
        ],
    )
    proposal = make_proposal(world)
    stage_run = active(proposal)[0]

    services.decide(actor=approvers.first, stage_run=stage_run, action="approve")
    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.ACTIVE
    services.decide(
        actor=approvers.third,
        stage_run=stage_run,
        action="approve_with_conditions",
        conditions=["Name a second assessor."],
    )

    stage_run.refresh_from_db()
    assert stage_run.status == StageRunStatus.COMPLETED
    assert stage_run.outcome == "approved_with_conditions"
    assert Task.objects.get(proposal=proposal, kind="condition").assignee == world.user("proposer")
    # The third approver's task went away with the stage; acting on it now is refused.
    with pytest.raises(ValidationError) as caught:
        services.decide(actor=approvers.second, stage_run=stage_run, action="approve")
    assert "no longer in progress" in caught.value.message_dict["stage_run"][0]


def test_approving_twice_is_refused_and_nothing_changes(world, approvers):
    make_template(world.home, [{**APPROVAL, "quorum": "all"}])
    proposal = make_proposal(world)
    stage_run = active(proposal)[0]
    services.decide(actor=approvers.first, stage_run=stage_run, action="approve")
    count = Decision.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.decide(actor=approvers.first, stage_run=stage_run, action="approve")

    assert "already decided" in caught.value.message_dict["action"][0]
    assert Decision.objects.count() == count


def test_acting_without_a_task_is_refused(world, approvers):
    make_template(world.home, [{**APPROVAL, "assignees": ["approver_two"]}])
    proposal = make_proposal(world)

    for person in (approvers.first, world.user("qa_officer"), world.user("reviewer"), world.outsider):
        with pytest.raises(PermissionDenied):
            services.decide(actor=person, stage_run=active(proposal)[0], action="approve")
    assert active(proposal)[0].status == StageRunStatus.ACTIVE


def test_a_reassigned_task_is_no_longer_yours(world, approvers):
    make_template(world.home, [{**APPROVAL, "assignees": ["approver_two"]}])
    proposal = make_proposal(world)
    task = Task.objects.get(proposal=proposal, kind="approve")

    services.reassign_task(
        actor=world.user("qa_officer"), task=task, assignee=approvers.third, reason="On leave"
    )

    with pytest.raises(PermissionDenied):
        services.decide(actor=approvers.second, stage_run=active(proposal)[0], action="approve")
    services.decide(actor=approvers.third, stage_run=active(proposal)[0], action="approve")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert Notification.objects.filter(recipient=approvers.third, event="task.assigned").exists()


def test_only_managers_reassign(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    task = Task.objects.filter(proposal=proposal).first()
    with pytest.raises(PermissionDenied):
        services.reassign_task(actor=approvers.first, task=task, assignee=approvers.second)
    with pytest.raises(ValidationError) as caught:
        services.reassign_task(actor=world.user("org_admin"), task=task, assignee=world.outsider)
    assert "assignee" in caught.value.message_dict


def test_parallel_stages_run_together_and_the_next_waits_for_both(world, approvers):
    dean = {**APPROVAL, "name": "Dean", "order": 2, "assignees": ["approver_two"]}
    finance = {**APPROVAL, "name": "Finance", "order": 2, "assignees": ["approver_three"]}
    provost = {**APPROVAL, "name": "Provost", "order": 3, "assignees": ["home_approver"]}
    make_template(world.home, [dean, finance, provost])
    proposal = make_proposal(world)

    assert [sr.stage.name for sr in active(proposal)] == ["Dean", "Finance"]
    services.decide(actor=approvers.second, stage_run=active(proposal)[0], action="approve")
    assert [sr.stage.name for sr in active(proposal)] == ["Finance"]
    services.decide(actor=approvers.third, stage_run=active(proposal)[0], action="approve")
    assert [sr.stage.name for sr in active(proposal)] == ["Provost"]


@pytest.mark.parametrize(("credits", "applies"), [("5", False), ("20", True)])
def test_a_stage_conditional_on_credits_runs_only_above_the_threshold(world, approvers, credits, applies):
    senate = {**APPROVAL, "name": "Senate", "order": 3, "condition": "credits_above", "condition_value": "10"}
    make_template(world.home, [APPROVAL, senate])
    proposal = make_proposal(world, credits=credits, notional_hours=500 if applies else 125)

    services.decide(actor=approvers.first, stage_run=active(proposal)[0], action="approve")

    proposal.refresh_from_db()
    if applies:
        assert [sr.stage.name for sr in active(proposal)] == ["Senate"]
    else:
        assert proposal.status == ProposalStatus.APPROVED
        assert proposal.runs.get().stage_runs.get(stage__name="Senate").status == StageRunStatus.SKIPPED


def test_a_stage_conditional_on_an_external_partner(world, approvers):
    from credence.microcredentials import services as mc

    partner = {**APPROVAL, "name": "Partnerships office", "order": 1, "condition": "external_partner"}
    make_template(world.home, [partner])
    proposal = make_proposal(world, submit=False)
    mc.add_partner(
        actor=None, micro_credential=proposal.micro_credential, organisation=world.other, role="co-provider"
    )
    proposal = services.submit_proposal(actor=world.user("proposer"), proposal=proposal)

    assert [sr.stage.name for sr in active(proposal)] == ["Partnerships office"]


def test_a_review_stage_opens_reviews_and_completes_when_they_are_submitted(world, approvers):
    make_template(world.home, [REVIEW, APPROVAL])
    second_reviewer = make_user(world.home, ["reviewer"], username="reviewer_two")
    proposal = make_proposal(world)
    reviews = Review.objects.filter(version=proposal.version)
    assert {r.reviewer for r in reviews} == {world.user("reviewer"), second_reviewer}
    assert all(r.packs == [["eu-council-2022", r.packs[0][1]]] for r in reviews)

    review = reviews.get(reviewer=world.user("reviewer"))
    review_services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="eu-council-2022",
        criterion_id="eu.p1",
        verdict="met",
    )
    review_services.submit_review(actor=world.user("reviewer"), review=review, recommendation="approve")

    assert Task.objects.get(review=review).status == TaskStatus.DONE
    assert [sr.stage.name for sr in active(proposal)] == ["Dean's approval"]
    assert Task.objects.get(review__reviewer=second_reviewer).status == TaskStatus.CANCELLED


VAGUE = [{"text": "Understand statistics."}, {"text": "Know about data."}]


def test_a_failing_quality_gate_refuses_approval_with_the_reason(world, approvers):
    gate = {**APPROVAL, "packs": ["ecampusontario-checklist"], "quality_gate": ["measurable_outcomes"]}
    make_template(world.home, [gate])
    proposal = make_proposal(world, learning_outcomes=VAGUE)

    with pytest.raises(ValidationError) as caught:
        services.decide(actor=approvers.first, stage_run=active(proposal)[0], action="approve")

    assert "quality gate of 'Dean's approval' is not passed" in caught.value.message_dict["quality_gate"][0]
    assert active(proposal)[0].status == StageRunStatus.ACTIVE
    assert not Decision.objects.exists()


def test_a_passing_quality_gate_lets_approval_through(world, approvers):
    gate = {**APPROVAL, "packs": ["ecampusontario-checklist"], "quality_gate": ["measurable_outcomes"]}
    make_template(world.home, [gate])
    proposal = make_proposal(world)

    services.decide(actor=approvers.first, stage_run=active(proposal)[0], action="approve")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_return_for_changes_then_a_new_version_then_resubmit(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    first_version = proposal.version

    with pytest.raises(ValidationError) as caught:
        services.decide(actor=approvers.first, stage_run=active(proposal)[0], action="return")
    assert "comment" in caught.value.message_dict
    services.decide(
        actor=approvers.first,
        stage_run=active(proposal)[0],
        action="return",
        comment="Add a module on ethics.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    assert Notification.objects.filter(recipient=world.user("proposer"), event="proposal.returned").exists()
    assert Task.objects.get(proposal=proposal, kind="revise", status=TaskStatus.OPEN)

    proposal = services.revise_proposal(actor=world.user("proposer"), proposal=proposal)
    assert proposal.version.number == first_version.number + 1
    assert proposal.version.status == VersionStatus.DRAFT
    proposal = services.submit_proposal(actor=world.user("proposer"), proposal=proposal)

    assert [s.version.number for s in proposal.submissions.all()] == [1, 2]
    assert proposal.runs.count() == 2
    assert not Task.objects.filter(proposal=proposal, kind="revise", status=TaskStatus.OPEN).exists()
    assert active(proposal)[0].run.template == proposal.template


def test_reject_ends_it(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    services.decide(
        actor=world.user("qa_officer"), stage_run=active(proposal)[0], action="reject", comment="No."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert not Task.objects.filter(proposal=proposal, status=TaskStatus.OPEN).exists()


def test_the_proposer_withdraws_their_own_proposal(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    other_proposer = make_user(world.home, ["proposer"], username="proposer_two")

    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=other_proposer, proposal=proposal)
    services.withdraw_proposal(
        actor=world.user("proposer"), proposal=proposal, reason="Funding fell through."
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert not Task.objects.filter(proposal=proposal, status=TaskStatus.OPEN).exists()
    with pytest.raises(ValidationError):
        services.decide(
            actor=approvers.first, stage_run=proposal.runs.get().stage_runs.get(), action="approve"
        )


def test_a_proposer_cannot_approve_their_own_proposal(world):
    both = make_user(world.home, ["proposer", "approver"], username="both")
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world, proposer=both)

    assert not Task.objects.filter(assignee=both).exists()
    with pytest.raises(PermissionDenied):
        services.decide(actor=both, stage_run=active(proposal)[0], action="approve")


def test_submitting_an_incomplete_business_case_names_the_fields(world):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world, submit=False)
    services.update_business_case(
        actor=world.user("proposer"), proposal=proposal, data={"demand_evidence": "", "target_learners": ""}
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_proposal(actor=world.user("proposer"), proposal=proposal)
    assert set(caught.value.message_dict) == {"demand_evidence", "target_learners"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT and proposal.version.status == VersionStatus.DRAFT


def test_a_second_open_proposal_for_the_same_micro_credential_is_refused(world):
    proposal = make_proposal(world, submit=False)
    with pytest.raises(ValidationError) as caught:
        services.create_proposal(
            actor=world.user("proposer"), micro_credential=proposal.micro_credential, kind="new"
        )
    assert "already has an open proposal" in caught.value.message_dict["micro_credential"][0]


def test_a_change_proposal_starts_a_new_draft_version(world):
    from ..factories import make_version

    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    proposal = services.create_proposal(
        actor=world.user("proposer"),
        micro_credential=version.micro_credential,
        kind="minor_change",
        rationale="Fix a typo in outcome 2.",
    )
    assert proposal.version.number == 2 and proposal.version.status == VersionStatus.DRAFT


@pytest.mark.parametrize("role", ["reviewer", "approver", "committee_secretary", "committee_member"])
def test_roles_that_do_not_propose_cannot_create_proposals(world, role):
    from ..factories import make_version

    version = make_version(world.home)
    with pytest.raises(PermissionDenied):
        services.create_proposal(
            actor=world.user(role), micro_credential=version.micro_credential, kind="new"
        )
