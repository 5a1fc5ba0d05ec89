"""The governance pages as people use them: inbox, proposal page and actions, pipeline, cycle times and
the template configuration, with their permissions (outsiders get 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from credence.workflows.models import Proposal, ProposalStatus, Task, WorkflowTemplate

from ..factories import PASSWORD, make_version
from .conftest import APPROVAL, COMMITTEE, REVIEW, active, make_proposal, make_template

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def running(world):
    make_template(world.home, [REVIEW, APPROVAL, COMMITTEE])
    return make_proposal(world)


def test_the_inbox_lists_my_open_tasks_and_highlights_overdue_ones(world, running):
    import datetime as dt

    Task.objects.filter(assignee=world.user("reviewer")).update(due_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = client_as(world.user("reviewer")).get("/inbox/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Review " + running.micro_credential.code in text
    assert "task--overdue" in text and "1 overdue" in text
    assert "Nothing is waiting for you." in client_as(world.user("approver")).get("/inbox/").content.decode()


def test_the_proposal_page_shows_the_business_case_stages_and_timeline(world, running):
    page = client_as(world.user("committee_member")).get(f"/proposals/{running.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Regional employers need analysts" in text
    assert "Peer review" in text and "Dean&#x27;s approval" in text and "Academic board" in text
    assert "workflows.proposal_submitted" in text


def test_outsiders_get_404_everywhere(world, running):
    client = client_as(world.outsider)
    for url in (
        f"/proposals/{running.pk}/",
        f"/proposals/{running.pk}/edit/",
        f"/workflows/templates/{running.template_id}/",
    ):
        assert client.get(url).status_code == 404, url
    stage_run = active(running)[0]
    assert client.post(f"/stages/{stage_run.pk}/decide/", {}).status_code == 404


def test_an_approver_decides_on_the_page(world):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    stage_run = active(proposal)[0]
    client = client_as(world.user("approver"))
    assert "Your decision: Dean" in client.get(f"/proposals/{proposal.pk}/").content.decode()

    refused = client.post(
        f"/stages/{stage_run.pk}/decide/", {f"sr{stage_run.pk}-action": "approve_with_conditions"}
    )
    assert refused.status_code == 422 and "State at least one condition" in refused.content.decode()

    response = client.post(
        f"/stages/{stage_run.pk}/decide/",
        {
            f"sr{stage_run.pk}-action": "approve_with_conditions",
            f"sr{stage_run.pk}-conditions": "Add a rubric.\nName a moderator.",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert Task.objects.filter(proposal=proposal, kind="condition").count() == 2

    again = client.post(
        f"/stages/{stage_run.pk}/decide/", {f"sr{stage_run.pk}-action": "approve"}, follow=True
    )
    assert "no longer in progress" in again.content.decode()


def test_a_proposer_drafts_and_submits_a_proposal_through_the_pages(world):
    make_template(world.home, [APPROVAL])
    version = make_version(world.home, code="NEW-1")
    client = client_as(world.user("proposer"))
    assert client.get("/proposals/new/").status_code == 200

    bad = client.post(
        "/proposals/new/",
        {"kind": "new", "micro_credential": version.micro_credential_id, "first_offering": "soon"},
    )
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()

    response = client.post(
        "/proposals/new/",
        {
            "kind": "new",
            "micro_credential": version.micro_credential_id,
            "rationale": "Employers ask for it.",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Describe the evidence of demand before submitting." in page

    client.post(
        f"/proposals/{proposal.pk}/edit/",
        {
            "demand_evidence": "Three letters.",
            "target_learners": "Analysts.",
            "rationale": "Employers ask for it.",
        },
    )
    followed = client.post(f"/proposals/{proposal.pk}/submit/", follow=True)
    assert "Submitted." in followed.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_WORKFLOW


def test_the_pipeline_board_and_cycle_times_render(world, running):
    client = client_as(world.user("qa_officer"))
    board = client.get("/proposals/pipeline/").content.decode()
    assert "Peer review" in board and running.title in board
    assert client.get("/proposals/analytics/?period=month").status_code == 200
    assert client.get("/proposals/?status=in_workflow").status_code == 200


def test_an_admin_configures_a_template_in_the_ui(world):
    client = client_as(world.user("org_admin"))
    assert client.get("/workflows/templates/new/").status_code == 200
    form = {
        "proposal_kind": "minor_change",
        "name": "Minor changes",
        "stages-TOTAL_FORMS": "3",
        "stages-INITIAL_FORMS": "0",
        "stages-0-name": "Head of school",
        "stages-0-kind": "approval",
        "stages-0-role": "approver",
        "stages-0-quorum": "any",
        "stages-0-due_days": "5",
        "stages-1-name": "Quality office",
        "stages-1-kind": "approval",
        "stages-1-quorum": "any",
        "stages-1-due_days": "5",
    }
    refused = client.post("/workflows/templates/new/", form)
    assert refused.status_code == 422
    assert "Stage 2: say who acts at this stage" in refused.content.decode()
    assert not WorkflowTemplate.objects.exists()

    form["stages-1-role"] = "qa_officer"
    saved = client.post("/workflows/templates/new/", form)
    template = WorkflowTemplate.objects.get()
    assert saved.status_code == 302 and [s.name for s in template.stages.all()] == [
        "Head of school",
        "Quality office",
    ]
    assert "Quality office" in client.get(f"/workflows/templates/{template.pk}/").content.decode()


@pytest.mark.parametrize("role", ["proposer", "qa_officer", "approver"])
def test_only_admins_reach_the_template_editor(world, role):
    assert client_as(world.user(role)).get("/workflows/templates/new/").status_code == 403
    assert client_as(world.user(role)).get("/workflows/templates/").status_code == 200
