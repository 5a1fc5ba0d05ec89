"""Publishing an approved proposal: now or on a date; its conditions first; a retirement retires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from credence.microcredentials.models import VersionStatus
from credence.workflows import services
from credence.workflows.models import ProposalStatus, Task, TaskStatus

from ..factories import make_version
from .conftest import APPROVAL, active, make_proposal, make_template

pytestmark = pytest.mark.django_db


def _approved(world, **kwargs):
    make_template(world.home, [APPROVAL], kind=kwargs.get("kind", "new"))
    proposal = make_proposal(world, **kwargs)
    services.decide(actor=world.user("approver"), stage_run=active(proposal)[0], action="approve")
    proposal.refresh_from_db()
    return proposal


def test_publishing_makes_it_the_current_public_version(world):
    proposal = _approved(world)
    assert Task.objects.filter(proposal=proposal, kind="publish", assignee=world.user("qa_officer")).exists()

    services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)

    proposal.refresh_from_db()
    proposal.micro_credential.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED
    assert proposal.micro_credential.published_version == proposal.version
    assert not Task.objects.filter(proposal=proposal, kind="publish", status=TaskStatus.OPEN).exists()


def test_a_change_supersedes_the_published_version(world):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    make_template(world.home, [APPROVAL], kind="major_change")
    proposal = services.create_proposal(
        actor=world.user("proposer"),
        micro_credential=version.micro_credential,
        kind="major_change",
        rationale="Employers asked for a module on dashboards.",
    )
    proposal = services.submit_proposal(actor=world.user("proposer"), proposal=proposal)
    services.decide(actor=world.user("approver"), stage_run=active(proposal)[0], action="approve")
    proposal.refresh_from_db()

    services.publish_proposal(actor=world.user("org_admin"), proposal=proposal)

    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED
    assert version.micro_credential.versions.get(number=2).status == VersionStatus.PUBLISHED


def test_open_conditions_hold_publication_back(world):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    services.decide(
        actor=world.user("approver"),
        stage_run=active(proposal)[0],
        action="approve_with_conditions",
        conditions=["Add an employer to the advisory panel."],
    )
    proposal.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)
    assert "not met yet" in caught.value.message_dict["conditions"][0]

    services.complete_task(actor=world.user("proposer"), task=Task.objects.get(kind="condition"))
    services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED


def test_publishing_on_a_date_waits_for_publish_due(world):
    proposal = _approved(world)
    today = dt.date.today()

    services.publish_proposal(
        actor=world.user("qa_officer"), proposal=proposal, on=today + dt.timedelta(days=3)
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.publish_on == today + dt.timedelta(days=3)

    assert services.publish_due(today=today + dt.timedelta(days=2)) == []
    call_command("publish_due", "--date", (today + dt.timedelta(days=3)).isoformat())

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED
    assert proposal.version.status == VersionStatus.PUBLISHED


def test_a_date_in_the_past_is_refused(world):
    proposal = _approved(world)
    with pytest.raises(ValidationError) as caught:
        services.publish_proposal(
            actor=world.user("qa_officer"), proposal=proposal, on=dt.date.today() - dt.timedelta(days=1)
        )
    assert "on" in caught.value.message_dict


@pytest.mark.parametrize("role", ["proposer", "reviewer", "approver", "committee_secretary"])
def test_only_qa_officers_and_admins_publish(world, role):
    proposal = _approved(world)
    with pytest.raises(PermissionDenied):
        services.publish_proposal(actor=world.user(role), proposal=proposal)


def test_publishing_twice_is_refused(world):
    proposal = _approved(world)
    services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)
    with pytest.raises(ValidationError) as caught:
        services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)
    assert "only an approved one is published" in caught.value.message_dict["status"][0]


def test_an_approved_retirement_retires_the_version_with_its_teach_out(world):
    proposal = _approved(world, kind="retirement")
    assert proposal.version.status == VersionStatus.PUBLISHED  # still on offer until it is carried out

    services.publish_proposal(actor=world.user("qa_officer"), proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETIRED
    assert proposal.version.status == VersionStatus.RETIRED
    assert proposal.micro_credential.published_version is None
