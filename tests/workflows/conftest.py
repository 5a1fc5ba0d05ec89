"""Shared by the workflow tests: a configured template and proposals moved along it by the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from credence.microcredentials.models import VersionStatus
from credence.organisations.models import Organisation, User
from credence.workflows import services
from credence.workflows.models import Proposal, StageRun, StageRunStatus, WorkflowTemplate

from ..conftest import World
from ..factories import make_user, make_version

REVIEW = {
    "name": "Peer review",
    "kind": "review",
    "order": 1,
    "packs": ["eu-council-2022"],
    "role": "reviewer",
}
APPROVAL = {"name": "Dean's approval", "kind": "approval", "order": 2, "role": "approver", "quorum": "any"}
COMMITTEE = {"name": "Academic board", "kind": "committee", "order": 3, "committee_slug": "academic-board"}

CASE = {
    "rationale": "Regional employers need analysts who can work with data.",
    "demand_evidence": "Letters from three employers; 240 vacancies asking for these skills last year.",
    "target_learners": "People at work who use spreadsheets.",
}


def make_template(
    organisation: Organisation, stages: list[dict[str, Any]], kind: str = "new", name: str = "New courses"
) -> WorkflowTemplate:
    return services.save_template(
        actor=None, organisation=organisation, proposal_kind=kind, name=name, stages=stages
    )


def make_proposal(
    world: World, *, kind: str = "new", submit: bool = True, proposer: User | None = None, **fields: Any
) -> Proposal:
    proposer = proposer or world.user("proposer")
    status = VersionStatus.DRAFT if kind == "new" else VersionStatus.PUBLISHED
    version = make_version(world.home, status=status, **fields)
    proposal = services.create_proposal(
        actor=proposer,
        micro_credential=version.micro_credential,
        kind=kind,
        **CASE,
        teach_out="Enrolled learners finish in the spring cohort." if kind == "retirement" else "",
    )
    if submit:
        proposal = services.submit_proposal(actor=proposer, proposal=proposal)
    return proposal


def active(proposal: Proposal) -> list[StageRun]:
    return list(
        StageRun.objects.filter(run__proposal=proposal, status=StageRunStatus.ACTIVE)
        .select_related("stage")
        .order_by("stage__order", "stage__pk")
    )


@dataclass
class Approvers:
    first: User
    second: User
    third: User


@pytest.fixture
def approvers(world: World) -> Approvers:
    return Approvers(
        world.user("approver"),
        make_user(world.home, ["approver"], username="approver_two"),
        make_user(world.home, ["approver"], username="approver_three"),
    )
