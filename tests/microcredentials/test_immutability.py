from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from credence.microcredentials import services as mc
from credence.microcredentials.models import FrozenVersionError, LearningOutcome, VersionStatus

from ..factories import make_version

FROZEN = [VersionStatus.IN_REVIEW, VersionStatus.APPROVED, VersionStatus.PUBLISHED, VersionStatus.RETIRED]


@pytest.mark.parametrize("status", FROZEN)
def test_the_service_refuses_to_edit_a_version_that_left_draft(world, status):
    version = make_version(world.home, status=status, title="Frozen")
    with pytest.raises(ValidationError) as error:
        mc.update_draft(
            actor=world.user("proposer"),
            version=version,
            data={"title": "Changed"},
            lock_version=version.lock_version,
        )
    assert "new version" in error.value.message_dict["status"][0]
    version.refresh_from_db()
    assert version.title == "Frozen"


@pytest.mark.parametrize("status", FROZEN)
def test_the_model_refuses_to_save_a_changed_description(world, status):
    version = make_version(world.home, status=status, title="Frozen")
    version.title = "Changed behind the service's back"
    with pytest.raises(FrozenVersionError):
        version.save()
    version.refresh_from_db()
    assert version.title == "Frozen"


def test_the_parts_of_a_frozen_version_cannot_change(world):
    version = make_version(world.home, status=VersionStatus.APPROVED)
    outcome = version.learning_outcomes.first()
    outcome.text = "Sneaky"
    with pytest.raises(FrozenVersionError):
        outcome.save()
    with pytest.raises(FrozenVersionError):
        outcome.delete()
    with pytest.raises(FrozenVersionError):
        LearningOutcome.objects.create(version=version, text="New")
    quiz = version.assessments.get(order=2)  # aligned to LO1 only
    with pytest.raises(FrozenVersionError), transaction.atomic():
        quiz.outcomes.add(version.learning_outcomes.get(order=2))
    assert quiz.outcomes.count() == 1
    assert LearningOutcome.objects.get(pk=outcome.pk).text != "Sneaky"


def test_editing_an_approved_micro_credential_starts_a_new_draft_copied_from_it(world):
    approved = make_version(world.home, status=VersionStatus.PUBLISHED, title="Original")
    draft = mc.start_new_version(actor=world.user("proposer"), micro_credential=approved.micro_credential)
    assert draft.number == approved.number + 1
    assert draft.status == VersionStatus.DRAFT
    assert draft.title == "Original"
    assert [o.text for o in draft.learning_outcomes.all()] == [
        o.text for o in approved.learning_outcomes.all()
    ]
    assert [o.key for o in draft.learning_outcomes.all()] == [o.key for o in approved.learning_outcomes.all()]
    first_assessment = draft.assessments.first()
    assert {o.version_id for o in first_assessment.outcomes.all()} == {draft.pk}
    mc.update_draft(
        actor=world.user("proposer"),
        version=draft,
        data={"title": "Revised"},
        lock_version=draft.lock_version,
    )
    approved.refresh_from_db()
    assert approved.title == "Original"


def test_there_is_only_one_draft_at_a_time(world):
    version = make_version(world.home, status=VersionStatus.PUBLISHED)
    mc.start_new_version(actor=None, micro_credential=version.micro_credential)
    with pytest.raises(ValidationError, match="already a draft"):
        mc.start_new_version(actor=None, micro_credential=version.micro_credential)
