"""The workflows part of the permission matrix: every workflows API operation x every role, on the own
organisation's objects and on another's. Expectations come from the registered permission tables
(see matrix.py); each call is rolled back, so every principal meets the same state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User
from credence.workflows import services
from credence.workflows.models import Proposal, StageRun, Task, WorkflowTemplate

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db

CASE = {"rationale": "Employers ask for it.", "demand_evidence": "Letters.", "target_learners": "Analysts."}
# The approval stage gives its tasks to organisation admins, so 'return' is for managers alone.
STAGES = [{"name": "Admin approval", "kind": "approval", "role": "org_admin"}]


@dataclass
class Holdings:
    organisation: Organisation
    template: WorkflowTemplate
    fresh: Any  # a micro-credential with a draft and no proposal
    draft: Proposal  # by the organisation's proposer
    running: Proposal
    stage_run: StageRun
    approved: Proposal
    condition: Task  # assigned to another proposer (not a principal)


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _proposal(organisation: Organisation, proposer: User, code: str, submit: bool = True) -> Proposal:
    version = make_version(organisation, code=code)
    proposal = services.create_proposal(
        actor=None, micro_credential=version.micro_credential, kind="new", proposer=proposer, **CASE
    )
    return services.submit_proposal(actor=None, proposal=proposal) if submit else proposal


def _holdings(organisation: Organisation, proposer: User, author: User, admin: User, tag: str) -> Holdings:
    template = services.save_template(
        actor=None, organisation=organisation, proposal_kind="new", name="New", stages=STAGES
    )
    running = _proposal(organisation, author, f"{tag}-RUN")
    approved = _proposal(organisation, author, f"{tag}-APP")
    services.decide(actor=admin, stage_run=approved.runs.get().stage_runs.get(), action="approve")
    conditioned = _proposal(organisation, author, f"{tag}-CON")
    services.decide(
        actor=admin,
        stage_run=conditioned.runs.get().stage_runs.get(),
        action="approve_with_conditions",
        conditions=["Publish the rubric."],
    )
    approved.refresh_from_db()
    return Holdings(
        organisation=organisation,
        template=template,
        fresh=make_version(organisation, code=f"{tag}-NEW").micro_credential,
        draft=_proposal(organisation, proposer, f"{tag}-DRAFT", submit=False),
        running=running,
        stage_run=running.runs.get().stage_runs.get(),
        approved=approved,
        condition=Task.objects.get(proposal=conditioned, kind="condition"),
    )


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        own = make_organisation("Workflow Own University")
        other = make_organisation("Workflow Other University")
        users = {role.value: make_user(own, [role.value], username=f"wfmatrix_{role.value}") for role in Role}
        users["nobody"] = make_user(None, username="wfmatrix_nobody")
        users["platform_admin"] = make_platform_admin("wfmatrix_admin")
        own_author = make_user(own, ["proposer"], username="wfmatrix_author")
        other_proposer = make_user(other, ["proposer"], username="wfmatrix_other_proposer")
        other_admin = make_user(other, ["org_admin"], username="wfmatrix_other_admin")
        built = Scene(
            holdings={
                "own": _holdings(own, users["proposer"], own_author, users["org_admin"], "WOWN"),
                "other": _holdings(other, other_proposer, other_proposer, other_admin, "WOTH"),
            },
            users=users,
        )
        yield built
        transaction.set_rollback(True)


READ = {"signed_in": True}
SEES = {"sees": "workflows.view_proposals", "signed_in": True}

ENDPOINTS = [
    Endpoint("GET /api/proposals/", lambda h: "/api/proposals/", **READ),
    Endpoint("GET /api/proposals/{id}/", lambda h: f"/api/proposals/{h.running.pk}/", **SEES),
    Endpoint(
        "POST /api/proposals/",
        lambda h: "/api/proposals/",
        lambda h: {"micro_credential": h.fresh.pk, "kind": "new", **CASE},
        needs="workflows.create_proposal",
        sees="workflows.view_proposals",
        success=201,
    ),
    Endpoint(
        "POST /api/proposals/{id}/submit/",
        lambda h: f"/api/proposals/{h.draft.pk}/submit/",
        lambda h: {},
        needs="workflows.create_proposal",
        sees="workflows.view_proposals",
    ),
    Endpoint(
        "POST /api/proposals/{id}/decide/",
        lambda h: f"/api/proposals/{h.running.pk}/decide/",
        lambda h: {"stage_run": h.stage_run.pk, "action": "return", "comment": "Add an employer letter."},
        needs="workflows.manage_proposals",
        sees="workflows.view_proposals",
    ),
    Endpoint(
        "POST /api/proposals/{id}/withdraw/",
        lambda h: f"/api/proposals/{h.draft.pk}/withdraw/",
        lambda h: {"reason": "Funding fell through."},
        needs="workflows.withdraw_proposal",
        sees="workflows.view_proposals",
    ),
    Endpoint(
        "POST /api/proposals/{id}/publish/",
        lambda h: f"/api/proposals/{h.approved.pk}/publish/",
        lambda h: {},
        needs="workflows.publish_proposal",
        sees="workflows.view_proposals",
    ),
    Endpoint("GET /api/workflow-templates/", lambda h: "/api/workflow-templates/", **READ),
    Endpoint(
        "GET /api/workflow-templates/{id}/", lambda h: f"/api/workflow-templates/{h.template.pk}/", **SEES
    ),
    Endpoint(
        "POST /api/workflow-templates/",
        lambda h: "/api/workflow-templates/",
        lambda h: {
            "organisation": h.organisation.pk,
            "proposal_kind": "minor_change",
            "name": "Minor changes",
            "stages": [{"name": "Approval", "kind": "approval", "role": "approver"}],
        },
        needs="workflows.manage_templates",
        sees="workflows.view_proposals",
        success=201,
    ),
    Endpoint("GET /api/tasks/", lambda h: "/api/tasks/", **READ),
    Endpoint("GET /api/tasks/{id}/", lambda h: f"/api/tasks/{h.condition.pk}/", **SEES),
    Endpoint(
        "POST /api/tasks/{id}/complete/",
        lambda h: f"/api/tasks/{h.condition.pk}/complete/",
        lambda h: {"note": "Done."},
        needs="workflows.manage_proposals",
        sees="workflows.view_proposals",
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_workflows_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None

    with transaction.atomic():
        response = call(client, endpoint.method, endpoint.url(holdings), body)
        transaction.set_rollback(True)

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's object: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_the_table_uses_every_workflows_permission_the_api_checks():
    used = {e.needs for e in ENDPOINTS} | {e.sees for e in ENDPOINTS}
    workflows = {p for p in REGISTERED if p.startswith("workflows.")}
    # Recording a committee outcome and opening a cyclic review are called by the committees and
    # monitoring apps (their own APIs and pages), not by a workflows endpoint.
    assert workflows - used == {"workflows.record_committee_outcome", "workflows.open_cyclic_review"}
