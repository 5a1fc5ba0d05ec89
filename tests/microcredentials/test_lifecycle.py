from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.microcredentials import services as mc
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus

from ..factories import make_version


def test_a_new_micro_credential_starts_as_draft_version_1(world):
    version = mc.create_micro_credential(
        actor=world.user("proposer"), organisation=world.home, code="DA-1", title="Data analysis"
    )
    assert version.number == 1
    assert version.status == VersionStatus.DRAFT
    assert version.created_by == world.user("proposer")
    assert AuditEvent.objects.filter(action="microcredential.created", actor=world.user("proposer")).exists()


def test_it_moves_through_review_approval_and_publication(world):
    version = make_version(world.home)
    version = mc.submit_version(actor=world.user("proposer"), version=version)
    assert version.status == VersionStatus.IN_REVIEW
    assert version.submitted_by == world.user("proposer")
    version = mc.approve_version(actor=world.user("approver"), version=version)
    assert version.status == VersionStatus.APPROVED
    version = mc.publish_version(actor=world.user("qa_officer"), version=version)
    assert version.status == VersionStatus.PUBLISHED
    version.micro_credential.refresh_from_db()
    assert version.micro_credential.published_version == version
    actions = list(AuditEvent.objects.filter(object_id=str(version.pk)).values_list("action", flat=True))
    assert {"version.submitted", "version.approved", "version.published"} <= set(actions)


def test_publishing_a_new_version_supersedes_the_old_one(world):
    first = make_version(world.home, status=VersionStatus.PUBLISHED)
    second = mc.start_new_version(actor=world.user("proposer"), micro_credential=first.micro_credential)
    for step in (mc.submit_version, mc.approve_version, mc.publish_version):
        second = step(actor=None, version=second)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED
    assert second.status == VersionStatus.PUBLISHED
    second.micro_credential.refresh_from_db()
    assert second.micro_credential.published_version == second


def test_retiring_takes_it_out_of_publication_and_needs_a_reason(world):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        mc.retire_version(actor=world.user("qa_officer"), version=version, reason="  ")
    assert "retirement_reason" in error.value.message_dict
    version = mc.retire_version(actor=world.user("qa_officer"), version=version, reason="No demand.")
    assert version.status == VersionStatus.RETIRED
    version.micro_credential.refresh_from_db()
    assert version.micro_credential.published_version is None


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (VersionStatus.DRAFT, mc.approve_version),
        (VersionStatus.DRAFT, mc.publish_version),
        (VersionStatus.IN_REVIEW, mc.publish_version),
        (VersionStatus.IN_REVIEW, mc.submit_version),
        (VersionStatus.APPROVED, mc.approve_version),
        (VersionStatus.PUBLISHED, mc.submit_version),
        (VersionStatus.RETIRED, mc.publish_version),
    ],
)
def test_it_refuses_transitions_out_of_order(world, status, step):
    version = make_version(world.home, status=status)
    with pytest.raises(ValidationError) as error:
        step(actor=None, version=version)
    assert "status" in error.value.message_dict
    version.refresh_from_db()
    assert version.status == status


def test_submission_needs_outcomes_a_summary_and_weights_making_100(world):
    version = make_version(
        world.home,
        summary="",
        learning_outcomes=[],
        assessments=[{"type": "project", "weight": "70"}, {"type": "essay", "weight": "20"}],
        modules=[],
    )
    with pytest.raises(ValidationError) as error:
        mc.submit_version(actor=world.user("proposer"), version=version)
    problems = error.value.message_dict
    assert set(problems) == {"summary", "learning_outcomes", "assessments"}
    assert "90" in problems["assessments"][0]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_weights_not_making_100_are_a_warning_while_in_draft(world):
    version = make_version(world.home, assessments=[{"type": "project", "weight": "70", "outcomes": [1]}])
    assert version.status == VersionStatus.DRAFT
    warnings = mc.draft_warnings(version)
    assert "70" in warnings["assessments"][0]


@pytest.mark.parametrize("role", ["reviewer", "committee_member", "committee_secretary", "approver"])
def test_roles_that_do_not_edit_cannot_change_a_draft(world, role):
    version = make_version(world.home)
    with pytest.raises(PermissionDenied):
        mc.update_draft(actor=world.user(role), version=version, data={"title": "x"}, lock_version=1)
    version.refresh_from_db()
    assert version.title != "x"


def test_only_an_approver_approves(world):
    version = make_version(world.home, status=VersionStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        mc.approve_version(actor=world.user("proposer"), version=version)
    with pytest.raises(PermissionDenied):
        mc.approve_version(actor=world.outsider, version=version)
    assert mc.approve_version(actor=world.user("approver"), version=version).status == VersionStatus.APPROVED


def test_an_outsider_cannot_create_in_another_organisation(world):
    with pytest.raises(PermissionDenied):
        mc.create_micro_credential(actor=world.outsider, organisation=world.home, code="X", title="X")
    assert not MicroCredentialVersion.objects.exists()


def test_code_is_unique_within_an_organisation_but_not_across(world):
    make_version(world.home, code="SHARED-1")
    with pytest.raises(ValidationError) as error:
        mc.create_micro_credential(actor=None, organisation=world.home, code="SHARED-1", title="Again")
    assert "already has" in error.value.message_dict["code"][0]
    other = mc.create_micro_credential(actor=None, organisation=world.other, code="SHARED-1", title="Theirs")
    assert other.micro_credential.code == "SHARED-1"


def test_saving_a_draft_without_changes_is_not_a_revision(world):
    version = make_version(world.home, title="Same")
    events = AuditEvent.objects.count()
    again = mc.update_draft(
        actor=world.user("proposer"),
        version=version,
        data={"title": "Same"},
        lock_version=version.lock_version,
    )
    assert again.lock_version == version.lock_version
    assert AuditEvent.objects.count() == events
