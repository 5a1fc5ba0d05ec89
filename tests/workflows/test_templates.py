"""Configuring workflow templates: validation that names the stage and field, versioning of templates in
use (running proposals keep theirs), and who may configure them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.workflows import services
from credence.workflows.models import Stage, WorkflowTemplate

from .conftest import APPROVAL, COMMITTEE, REVIEW, active, make_proposal, make_template

pytestmark = pytest.mark.django_db


def test_an_admin_configures_ordered_parallel_and_conditional_stages(world):
    template = services.save_template(
        actor=world.user("org_admin"),
        organisation=world.home,
        proposal_kind="new",
        name="New micro-credentials",
        stages=[
            REVIEW,
            {**APPROVAL, "order": 2, "name": "Dean"},
            {**APPROVAL, "order": 2, "name": "Finance", "quorum": "all"},
            {**APPROVAL, "order": 3, "name": "Senate", "condition": "credits_above", "condition_value": "10"},
            COMMITTEE | {"order": 4, "due_days": 30},
        ],
    )

    stages = list(template.stages.order_by("order", "pk"))
    assert [(s.order, s.name) for s in stages] == [
        (1, "Peer review"),
        (2, "Dean"),
        (2, "Finance"),
        (3, "Senate"),
        (4, "Academic board"),
    ]
    assert stages[3].condition_label() == "Only when the credits exceed 10"
    assert stages[4].committee_slug == "academic-board" and stages[4].due_days == 30
    assert template.version == 1 and template.active


def test_bad_stages_are_refused_with_the_stage_and_field_named(world):
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            actor=world.user("org_admin"),
            organisation=world.home,
            proposal_kind="new",
            name="",
            stages=[
                {"name": "", "kind": "vote"},
                {"name": "Review", "kind": "review", "packs": ["no-such-pack"], "role": "reviewer"},
                {"name": "Approve", "kind": "approval", "quorum": "n", "quorum_n": 0, "role": "approver"},
                {"name": "Board", "kind": "committee", "due_days": 0},
                {"name": "Gate", "kind": "approval", "role": "dean", "quality_gate": ["no_such_check"]},
                {"name": "Senate", "kind": "approval", "role": "approver", "condition": "credits_above"},
                {"name": "Ann", "kind": "approval", "assignees": ["other_proposer"]},
            ],
        )
    errors = caught.value.message_dict
    assert errors["name"] == ["Give the template a name."]
    assert "Stage 1: give the stage a name." in errors["stages[0].name"]
    assert "stages[0].kind" in errors
    assert "no such pack: no-such-pack" in errors["stages[1].packs"][0]
    assert "stages[2].quorum_n" in errors
    assert "stages[3].due_days" in errors and "stages[3].committee_slug" in errors
    assert "stages[4].role" in errors and "no_such_check" in errors["stages[4].quality_gate"][0]
    assert "stages[5].condition_value" in errors
    assert "is not an active member" in errors["stages[6].assignees[0]"][0]
    assert not WorkflowTemplate.objects.exists() and not Stage.objects.exists()


def test_a_template_needs_a_stage(world):
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            actor=world.user("org_admin"),
            organisation=world.home,
            proposal_kind="new",
            name="Empty",
            stages=[],
        )
    assert "stages" in caught.value.message_dict


def test_a_template_not_yet_used_is_edited_in_place(world):
    template = make_template(world.home, [APPROVAL])
    edited = services.save_template(
        actor=world.user("org_admin"),
        organisation=world.home,
        proposal_kind="new",
        name="Renamed",
        stages=[REVIEW, APPROVAL],
        template=template,
    )
    assert edited.pk == template.pk and edited.version == 1
    assert edited.stages.count() == 2


def test_a_template_in_use_changes_as_a_new_version_and_running_proposals_keep_theirs(world):
    template = make_template(world.home, [APPROVAL])
    running = make_proposal(world)

    changed = services.save_template(
        actor=world.user("org_admin"),
        organisation=world.home,
        proposal_kind="new",
        name="New courses",
        stages=[{**APPROVAL, "name": "Provost"}],
        template=template,
    )

    template.refresh_from_db()
    assert changed.pk != template.pk and changed.version == 2 and changed.active
    assert not template.active
    assert [sr.stage.name for sr in active(running)] == ["Dean's approval"]
    assert template.stages.get().name == "Dean's approval"
    later = make_proposal(world)
    assert later.template == changed
    assert [sr.stage.name for sr in active(later)] == ["Provost"]


@pytest.mark.parametrize("role", ["proposer", "reviewer", "qa_officer", "approver", "committee_secretary"])
def test_only_organisation_admins_configure_templates(world, role):
    with pytest.raises(PermissionDenied):
        services.save_template(
            actor=world.user(role),
            organisation=world.home,
            proposal_kind="new",
            name="Mine",
            stages=[APPROVAL],
        )


def test_an_admin_of_another_organisation_cannot_configure_ours(world):
    with pytest.raises(PermissionDenied):
        services.save_template(
            actor=world.outsider_qa,
            organisation=world.home,
            proposal_kind="new",
            name="Theirs",
            stages=[APPROVAL],
        )


def test_reactivating_an_older_version(world):
    first = make_template(world.home, [APPROVAL])
    make_proposal(world)
    second = services.save_template(
        actor=None, organisation=world.home, proposal_kind="new", name="v2", stages=[APPROVAL], template=first
    )
    services.set_template_active(actor=world.user("org_admin"), template=first, active=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.active and not second.active
