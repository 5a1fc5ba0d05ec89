"""The business case: its files (checked, and visible only to those who may see the proposal), its
edits while a draft, and the stage condition on stacking into a larger award."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credence.files.models import Attachment
from credence.workflows import services
from credence.workflows.models import ProposalStatus

from ..factories import PASSWORD
from .conftest import APPROVAL, active, make_proposal, make_template

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% letter of support\n%%EOF\n"


def test_the_proposer_attaches_evidence_that_members_can_download_and_outsiders_cannot(world):
    proposal = make_proposal(world, submit=False)
    attachment = services.attach_to_proposal(
        actor=world.user("proposer"), proposal=proposal, upload=SimpleUploadedFile("support.pdf", PDF)
    )

    member = Client()
    member.login(username="home_reviewer", password=PASSWORD)
    assert member.get(f"/files/{attachment.pk}/").status_code == 200
    outsider = Client()
    outsider.login(username="other_proposer", password=PASSWORD)
    assert outsider.get(f"/files/{attachment.pk}/").status_code == 404


def test_a_file_that_is_not_what_its_name_says_is_refused(world):
    proposal = make_proposal(world, submit=False)
    with pytest.raises(ValidationError) as caught:
        services.attach_to_proposal(
            actor=world.user("proposer"),
            proposal=proposal,
            upload=SimpleUploadedFile("data.pdf", b"just text"),
        )
    assert "file" in caught.value.message_dict
    assert not Attachment.objects.exists()


def test_only_the_proposer_or_a_manager_attaches(world):
    proposal = make_proposal(world, submit=False)
    with pytest.raises(PermissionDenied):
        services.attach_to_proposal(
            actor=world.user("approver"), proposal=proposal, upload=SimpleUploadedFile("s.pdf", PDF)
        )


def test_the_business_case_is_frozen_once_submitted(world):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    with pytest.raises(ValidationError) as caught:
        services.update_business_case(
            actor=world.user("proposer"), proposal=proposal, data={"pricing": "Free"}
        )
    assert "frozen" in caught.value.message_dict["status"][0]


def test_unknown_and_bad_business_case_fields_are_named(world):
    proposal = make_proposal(world, submit=False)
    with pytest.raises(ValidationError) as caught:
        services.update_business_case(
            actor=world.user("proposer"),
            proposal=proposal,
            data={"budget": "1", "first_offering": "next spring", "risks": 5},
        )
    assert set(caught.value.message_dict) == {"budget", "first_offering", "risks"}
    proposal.refresh_from_db()
    assert proposal.risks == "" and proposal.status == ProposalStatus.DRAFT


@pytest.mark.parametrize("stacks", [True, False])
def test_a_stage_conditional_on_stacking_into_a_larger_award(world, stacks):
    degree = {**APPROVAL, "name": "Programme board", "order": 1, "condition": "stacks_into_award"}
    make_template(world.home, [degree, {**APPROVAL, "name": "Dean", "order": 2}])
    pathways = (
        [{"kind": "stacks into", "external_award": "MSc Data Analytics", "external_provider": "Home"}]
        if stacks
        else []
    )
    proposal = make_proposal(world, pathways=pathways)
    assert [sr.stage.name for sr in active(proposal)] == (["Programme board"] if stacks else ["Dean"])
