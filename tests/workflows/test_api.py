"""The workflows API as a client uses it: a proposal from draft to approval, and clear refusals."""

from __future__ import annotations

import pytest

from credence.workflows.models import Decision, Proposal

from ..api.conftest import client_for
from ..factories import make_version
from .conftest import APPROVAL, CASE, make_template

pytestmark = pytest.mark.django_db


def test_a_proposal_from_draft_to_approval_with_conditions(world):
    make_template(world.home, [APPROVAL])
    version = make_version(world.home, code="API-1")
    proposer = client_for(world.user("proposer"))

    created = proposer.post(
        "/api/proposals/",
        {"micro_credential": version.micro_credential_id, "kind": "new", **CASE},
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    submitted = proposer.post(f"/api/proposals/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.data["status"] == "in_workflow"
    stage = submitted.data["stages"][0]
    assert stage["stage"] == "Dean's approval" and stage["status"] == "active"

    tasks = client_for(world.user("approver")).get("/api/tasks/").data["results"]
    assert [t["kind"] for t in tasks] == ["approve"]

    decided = client_for(world.user("approver")).post(
        f"/api/proposals/{pk}/decide/",
        {"stage_run": stage["id"], "action": "approve_with_conditions", "conditions": ["Add a rubric."]},
        format="json",
    )
    assert decided.status_code == 200 and decided.data["conditions"] == ["Add a rubric."]
    assert client_for(world.user("proposer")).get(f"/api/proposals/{pk}/").data["status"] == "approved"

    again = client_for(world.user("approver")).post(
        f"/api/proposals/{pk}/decide/", {"stage_run": stage["id"], "action": "approve"}, format="json"
    )
    assert again.status_code == 400
    assert "no longer in progress" in again.json()["errors"]["stage_run"][0]
    assert Decision.objects.count() == 1

    condition = client_for(world.user("proposer")).get("/api/tasks/").data["results"][0]
    done = client_for(world.user("proposer")).post(
        f"/api/tasks/{condition['id']}/complete/", {}, format="json"
    )
    assert done.status_code == 200 and done.data["status"] == "done"
    published = client_for(world.user("qa_officer")).post(f"/api/proposals/{pk}/publish/", {}, format="json")
    assert published.status_code == 200 and published.data["status"] == "published"


def test_bad_input_names_the_field_and_writes_nothing(world):
    version = make_version(world.home, code="API-2")
    response = client_for(world.user("proposer")).post(
        "/api/proposals/",
        {"micro_credential": version.micro_credential_id, "kind": "merger", "first_offering": "soon"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "first_offering"}
    assert not Proposal.objects.exists()


def test_a_template_with_a_bad_stage_is_refused_with_its_path(world):
    response = client_for(world.user("org_admin")).post(
        "/api/workflow-templates/",
        {"proposal_kind": "new", "name": "New", "stages": [{"name": "Board", "kind": "committee"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "stages[0].committee_slug" in response.json()["errors"]
