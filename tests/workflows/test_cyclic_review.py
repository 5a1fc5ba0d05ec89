"""The contract monitoring relies on: opening a cyclic review of a published micro-credential."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.microcredentials.models import VersionStatus
from credence.workflows import services
from credence.workflows.models import Proposal, ProposalStatus

from ..factories import make_version
from .conftest import APPROVAL, active, make_template

pytestmark = pytest.mark.django_db

EVIDENCE = {"completion_rate": 0.41, "threshold": 0.6, "flags": ["Completion below 60 % for two cohorts"]}


@pytest.fixture
def published(world):
    make_template(world.home, [APPROVAL], kind="cyclic_review", name="Cyclic review")
    return make_version(world.home, status=VersionStatus.PUBLISHED)


def test_it_opens_a_proposal_with_the_evidence_and_starts_the_workflow(world, published):
    proposal = services.open_cyclic_review(
        actor=world.user("qa_officer"),
        micro_credential=published.micro_credential,
        evidence=EVIDENCE,
        reason="Completion fell below the threshold.",
    )

    assert proposal.kind == "cyclic_review" and proposal.status == ProposalStatus.IN_WORKFLOW
    assert proposal.evidence == EVIDENCE and proposal.rationale == "Completion fell below the threshold."
    assert proposal.version == published  # the published version, as it is
    assert [sr.stage.name for sr in active(proposal)] == ["Dean's approval"]


def test_approving_it_renews_the_micro_credential_without_a_new_version(world, published):
    proposal = services.open_cyclic_review(
        actor=world.user("qa_officer"),
        micro_credential=published.micro_credential,
        evidence=EVIDENCE,
        reason="Due for its three-year review.",
    )
    services.decide(actor=world.user("approver"), stage_run=active(proposal)[0], action="approve")

    proposal.refresh_from_db()
    published.refresh_from_db()
    assert proposal.status == ProposalStatus.RENEWED
    assert published.status == VersionStatus.PUBLISHED
    assert published.micro_credential.versions.count() == 1


def test_returned_for_changes_the_proposer_makes_a_new_version(world, published):
    proposal = services.open_cyclic_review(
        actor=world.user("qa_officer"),
        micro_credential=published.micro_credential,
        evidence=EVIDENCE,
        reason="Completion fell.",
    )
    services.decide(
        actor=world.user("approver"), stage_run=active(proposal)[0], action="return", comment="Shorten it."
    )
    revised = services.revise_proposal(actor=world.user("qa_officer"), proposal=proposal)

    assert revised.status == ProposalStatus.DRAFT
    assert revised.version.number == 2 and revised.version.status == VersionStatus.DRAFT


@pytest.mark.parametrize("role", ["proposer", "reviewer", "approver", "committee_secretary"])
def test_only_qa_officers_and_admins_open_one(world, published, role):
    with pytest.raises(PermissionDenied):
        services.open_cyclic_review(
            actor=world.user(role), micro_credential=published.micro_credential, evidence=EVIDENCE, reason="x"
        )
    assert not Proposal.objects.exists()


def test_it_needs_a_reason_and_plain_evidence(world, published):
    with pytest.raises(ValidationError) as caught:
        services.open_cyclic_review(
            actor=world.user("qa_officer"),
            micro_credential=published.micro_credential,
            evidence=[1],
            reason=" ",
        )
    assert set(caught.value.message_dict) == {"evidence", "reason"}
    assert not Proposal.objects.exists()


def test_it_refuses_without_a_workflow_for_cyclic_reviews_and_writes_nothing(world):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    with pytest.raises(ValidationError) as caught:
        services.open_cyclic_review(
            actor=world.user("org_admin"),
            micro_credential=version.micro_credential,
            evidence={},
            reason="Due.",
        )
    assert "no workflow for cyclic review proposals" in caught.value.message_dict["template"][0]
    assert not Proposal.objects.exists()


def test_a_draft_only_micro_credential_cannot_be_cyclically_reviewed(world, published):
    draft = make_version(world.home)
    with pytest.raises(ValidationError) as caught:
        services.open_cyclic_review(
            actor=world.user("qa_officer"),
            micro_credential=draft.micro_credential,
            evidence={},
            reason="Due.",
        )
    assert "no published version" in caught.value.message_dict["micro_credential"][0]
