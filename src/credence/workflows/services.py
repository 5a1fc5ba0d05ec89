"""Every write of governance: workflow templates, proposals and their business case, running a proposal
through its template (stage runs, decisions, tasks), committee outcomes, publishing, reminders.

Each service runs in a transaction, checks permission, validates everything before it writes, records
an audit event and tells the people concerned (credence.notifications). Version statuses move only
through the micro-credential lifecycle services (submit, approve, publish, retire, start a new version).

Concurrency: a decision locks its stage run (SELECT ... FOR UPDATE) and re-reads its status, and the
database allows one closing decision per stage run and one vote per person per stage run, so two people
acting at the same moment on an 'any one' stage cannot both decide it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse

from credence.audit.services import field_changes, record_event, snapshot
from credence.files import services as file_services
from credence.files.models import Attachment
from credence.frameworks.checks import REGISTRY
from credence.microcredentials import services as mc
from credence.microcredentials.models import (
    MicroCredential,
    MicroCredentialVersion,
    PathwayKind,
    VersionStatus,
)
from credence.organisations.authorization import can, require
from credence.organisations.models import Membership, Organisation, Role, User

from . import clock
from .models import (
    APPROVING,
    BUSINESS_CASE_FIELDS,
    MAX_TEXT,
    OPEN_STATUSES,
    Decision,
    DecisionAction,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Quorum,
    RunStatus,
    Stage,
    StageCondition,
    StageKind,
    StageRun,
    StageRunStatus,
    Submission,
    Task,
    TaskKind,
    TaskStatus,
    WorkflowRun,
    WorkflowTemplate,
)

logger = logging.getLogger(__name__)

MAX_STAGES = 30
MAX_CONDITIONS = 20
MAX_DUE_DAYS = 365
BUSINESS_CASE_FILE_TYPES = ("pdf", "png", "jpeg", "docx", "xlsx")
COMMITTEE_OUTCOMES = ("approved", "approved_with_conditions", "deferred", "rejected")

# What a business case must hold before it can be submitted, per kind of proposal.
REQUIRED_CASE: dict[str, tuple[str, ...]] = {
    ProposalKind.NEW: ("rationale", "demand_evidence", "target_learners"),
    ProposalKind.MAJOR_CHANGE: ("rationale",),
    ProposalKind.MINOR_CHANGE: ("rationale",),
    ProposalKind.RETIREMENT: ("rationale", "teach_out"),
    ProposalKind.CYCLIC_REVIEW: (),
}
CASE_LABELS = {
    "rationale": "the rationale",
    "demand_evidence": "the evidence of demand",
    "target_learners": "the target learners",
    "partners": "the partners",
    "resources_and_costs": "the resources and costs",
    "pricing": "the pricing",
    "risks": "the risks",
    "first_offering": "the proposed first offering",
    "teach_out": "the teach-out of enrolled learners",
}


def _notify(**kwargs: Any) -> None:
    from credence.notifications.services import notify

    notify(**kwargs)


def proposal_url(proposal: Proposal) -> str:
    return reverse("workflows:proposal", kwargs={"pk": proposal.pk})


def _text(value: Any, field: str, errors: dict[str, list[str]], *, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append("Give text.")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.setdefault(field, []).append(f"At most {limit} characters.")
    return value


def _members_with_role(organisation_id: int, role: str) -> list[User]:
    ids = [
        m.user_id
        for m in Membership.objects.filter(organisation_id=organisation_id, active=True).only(
            "user_id", "roles"
        )
        if role in m.roles
    ]
    return list(User.objects.filter(pk__in=ids, is_active=True, is_service_account=False).order_by("username"))


def _is_member(organisation_id: int, user: User) -> bool:
    return Membership.objects.filter(organisation_id=organisation_id, user=user, active=True).exists()


# --- workflow templates ---------------------------------------------------------------------------------


@dataclass
class _StagePlan:
    stage: Stage
    assignees: list[User]


def _validated_stages(organisation: Organisation, stages: Any) -> list[_StagePlan]:
    from credence.frameworks.selectors import packs_available_to

    errors: dict[str, list[str]] = {}
    if not isinstance(stages, list) or not stages:
        raise ValidationError({"stages": "Give the template at least one stage."})
    if len(stages) > MAX_STAGES:
        raise ValidationError({"stages": f"A template has at most {MAX_STAGES} stages."})
    available = packs_available_to(organisation.pk)
    plans: list[_StagePlan] = []
    for index, spec in enumerate(stages):
        path = f"stages[{index}]"
        if not isinstance(spec, Mapping):
            errors.setdefault(path, []).append("Give an object with the stage's fields.")
            continue
        known = {
            "name",
            "kind",
            "order",
            "condition",
            "condition_value",
            "packs",
            "quality_gate",
            "role",
            "assignees",
            "quorum",
            "quorum_n",
            "due_days",
            "committee_slug",
            "id",
        }
        for key in spec:
            if key not in known:
                errors.setdefault(f"{path}.{key}", []).append("Unknown field of a stage.")
        label = f"Stage {index + 1}"
        name = _text(spec.get("name"), f"{path}.name", errors, limit=200)
        if not name:
            errors.setdefault(f"{path}.name", []).append(f"{label}: give the stage a name.")
        kind = spec.get("kind")
        if kind not in StageKind.values:
            errors.setdefault(f"{path}.kind", []).append(
                f"{label}: choose the kind of stage: {', '.join(StageKind.values)}."
            )
        order = spec.get("order", index + 1)
        if isinstance(order, str) and order.strip().isdigit():
            order = int(order)
        if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= 99:
            errors.setdefault(f"{path}.order", []).append(
                f"{label}: the order is a whole number from 1 to 99."
            )
            order = index + 1
        condition = spec.get("condition") or ""
        condition_value: Decimal | None = None
        if condition not in StageCondition.values:
            errors.setdefault(f"{path}.condition", []).append(
                f"{label}: choose a condition: {', '.join(v for v in StageCondition.values if v) or 'none'}."
            )
        elif condition == StageCondition.CREDITS_ABOVE:
            raw = spec.get("condition_value")
            try:
                condition_value = Decimal(str(raw)) if raw not in (None, "") else None
            except InvalidOperation:
                condition_value = None
            if condition_value is None or condition_value <= 0 or condition_value >= Decimal("1000000"):
                errors.setdefault(f"{path}.condition_value", []).append(
                    f"{label}: give the credit threshold as a positive number."
                )
        packs = spec.get("packs") or []
        if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs):
            errors.setdefault(f"{path}.packs", []).append(f"{label}: give a list of pack ids.")
            packs = []
        unknown = [p[:80] for p in packs if p not in available]
        if unknown:
            errors.setdefault(f"{path}.packs", []).append(f"{label}: no such pack: {', '.join(unknown)}.")
        if kind == StageKind.REVIEW and not packs:
            errors.setdefault(f"{path}.packs", []).append(
                f"{label}: a review stage reviews against at least one framework pack."
            )
        gate = spec.get("quality_gate") or []
        if not isinstance(gate, list) or not all(isinstance(c, str) for c in gate):
            errors.setdefault(f"{path}.quality_gate", []).append(
                f"{label}: give a list of machine check ids."
            )
            gate = []
        unknown_checks = [c[:80] for c in gate if c not in REGISTRY]
        if unknown_checks:
            errors.setdefault(f"{path}.quality_gate", []).append(
                f"{label}: no such machine check: {', '.join(unknown_checks)}."
            )
        role = spec.get("role") or ""
        if role and role not in Role.values:
            errors.setdefault(f"{path}.role", []).append(f"{label}: choose a role: {', '.join(Role.values)}.")
        raw_assignees = spec.get("assignees") or []
        assignees: list[User] = []
        if not isinstance(raw_assignees, list):
            errors.setdefault(f"{path}.assignees", []).append(f"{label}: give a list of people.")
            raw_assignees = []
        for position, ref in enumerate(raw_assignees):
            user = None
            if isinstance(ref, User):
                user = ref
            elif isinstance(ref, int) and not isinstance(ref, bool):
                user = User.objects.filter(pk=ref).first()
            elif isinstance(ref, str) and ref.strip():
                user = User.objects.filter(username=ref.strip()).first()
            if user is None or not user.is_active or not _is_member(organisation.pk, user):
                errors.setdefault(f"{path}.assignees[{position}]", []).append(
                    f"{label}: {str(ref)[:80]!r} is not an active member of {organisation}."
                )
            else:
                assignees.append(user)
        if kind in (StageKind.REVIEW, StageKind.APPROVAL) and not role and not assignees:
            errors.setdefault(f"{path}.role", []).append(
                f"{label}: say who acts at this stage: a role, or named people."
            )
        quorum = spec.get("quorum") or Quorum.ANY
        quorum_n = spec.get("quorum_n")
        if isinstance(quorum_n, str):
            quorum_n = int(quorum_n) if quorum_n.strip().isdigit() else (None if not quorum_n.strip() else -1)
        if quorum not in Quorum.values:
            errors.setdefault(f"{path}.quorum", []).append(
                f"{label}: choose a quorum: any, all or n (N of M)."
            )
        elif quorum == Quorum.N:
            if isinstance(quorum_n, bool) or not isinstance(quorum_n, int) or quorum_n < 1:
                errors.setdefault(f"{path}.quorum_n", []).append(
                    f"{label}: give N, the number of people who must approve (1 or more)."
                )
            elif assignees and quorum_n > len(assignees):
                errors.setdefault(f"{path}.quorum_n", []).append(
                    f"{label}: N is {quorum_n} but only {len(assignees)} people are named."
                )
        else:
            quorum_n = None
        due_days = spec.get("due_days", 10)
        if isinstance(due_days, str) and due_days.strip().isdigit():
            due_days = int(due_days)
        if isinstance(due_days, bool) or not isinstance(due_days, int) or not 1 <= due_days <= MAX_DUE_DAYS:
            errors.setdefault(f"{path}.due_days", []).append(
                f"{label}: the due time is a whole number of days from 1 to {MAX_DUE_DAYS}."
            )
            due_days = 10
        committee_slug = spec.get("committee_slug") or ""
        if not isinstance(committee_slug, str):
            errors.setdefault(f"{path}.committee_slug", []).append(f"{label}: give the committee's slug.")
            committee_slug = ""
        committee_slug = committee_slug.strip()
        if kind == StageKind.COMMITTEE:
            if not committee_slug:
                errors.setdefault(f"{path}.committee_slug", []).append(
                    f"{label}: say which committee decides at this stage."
                )
            elif not re.fullmatch(r"[-a-zA-Z0-9_]+", committee_slug):
                errors.setdefault(f"{path}.committee_slug", []).append(
                    f"{label}: a committee's slug has only letters, digits, hyphens and underscores."
                )
        stage = Stage(
            order=order,
            name=name,
            kind=kind or "",
            condition=condition if condition in StageCondition.values else "",
            condition_value=condition_value,
            packs=list(dict.fromkeys(packs)),
            quality_gate=list(dict.fromkeys(gate)),
            role=role if role in Role.values else "",
            quorum=quorum if quorum in Quorum.values else Quorum.ANY,
            quorum_n=quorum_n if isinstance(quorum_n, int) and quorum_n > 0 else None,
            due_days=due_days,
            committee_slug=committee_slug[:100],
        )
        plans.append(_StagePlan(stage, assignees))
    if errors:
        raise ValidationError(errors)
    return plans


def _stage_document(stage: Stage) -> dict[str, Any]:
    return {
        "order": stage.order,
        "name": stage.name,
        "kind": stage.kind,
        "condition": stage.condition,
        "condition_value": stage.condition_value,
        "packs": stage.packs,
        "quality_gate": stage.quality_gate,
        "role": stage.role,
        "assignees": sorted(u.get_username() for u in stage.assignees.all()) if stage.pk else [],
        "quorum": stage.quorum,
        "quorum_n": stage.quorum_n,
        "due_days": stage.due_days,
        "committee_slug": stage.committee_slug,
    }


def template_document(template: WorkflowTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "description": template.description,
        "stages": [_stage_document(s) for s in template.stages.prefetch_related("assignees")],
    }


def _write_stages(template: WorkflowTemplate, plans: Sequence[_StagePlan]) -> None:
    for plan in plans:
        plan.stage.template = template
        plan.stage.save()
        plan.stage.assignees.set(plan.assignees)


def template_in_use(template: WorkflowTemplate) -> bool:
    return (
        WorkflowRun.objects.filter(template=template).exists()
        or Proposal.objects.filter(template=template).exists()
    )


@transaction.atomic
def save_template(
    *,
    actor: User | None,
    organisation: Organisation,
    proposal_kind: str,
    name: str,
    stages: Any,
    description: str = "",
    template: WorkflowTemplate | None = None,
) -> WorkflowTemplate:
    """Create the workflow of a kind of proposal, or change it.

    Changing a template that no proposal has used edits it in place. Changing one in use makes a new
    template version (the new one becomes active); proposals already running keep the version they have.
    """
    if actor is not None:
        require(actor, "workflows.manage_templates", organisation)
    errors: dict[str, list[str]] = {}
    if proposal_kind not in ProposalKind.values:
        errors["proposal_kind"] = [f"Choose a kind of proposal: {', '.join(ProposalKind.values)}."]
    if template is not None and (
        template.organisation_id != organisation.pk or template.proposal_kind != proposal_kind
    ):
        errors["proposal_kind"] = ["A template keeps its organisation and kind of proposal."]
    name = _text(name, "name", errors, limit=200)
    if not name:
        errors.setdefault("name", []).append("Give the template a name.")
    description = _text(description, "description", errors)
    try:
        plans = _validated_stages(organisation, stages)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        plans = []
    if errors:
        raise ValidationError(errors)
    if template is not None:
        template = WorkflowTemplate.objects.select_for_update().get(pk=template.pk)
    if template is not None and not template_in_use(template):
        before = template_document(template)
        template.name, template.description = name, description
        template.save(update_fields=["name", "description"])
        template.stages.all().delete()
        _write_stages(template, plans)
        record_event(
            actor=actor,
            action="workflows.template_changed",
            obj=template,
            organisation=organisation,
            changes=field_changes(before, template_document(template)),
        )
        return template
    latest = (
        WorkflowTemplate.objects.filter(organisation=organisation, proposal_kind=proposal_kind).aggregate(
            Max("version")
        )["version__max"]
        or 0
    )
    before = template_document(template) if template is not None else {}
    WorkflowTemplate.objects.filter(
        organisation=organisation, proposal_kind=proposal_kind, active=True
    ).update(active=False)
    created = WorkflowTemplate.objects.create(
        organisation=organisation,
        proposal_kind=proposal_kind,
        name=name,
        description=description,
        version=latest + 1,
        active=True,
        created_by=actor if actor is not None and actor.pk else None,
    )
    _write_stages(created, plans)
    record_event(
        actor=actor,
        action="workflows.template_created" if template is None else "workflows.template_versioned",
        obj=created,
        organisation=organisation,
        changes={"version": [template.version if template else None, created.version]}
        | field_changes(before, template_document(created)),
    )
    return created


@transaction.atomic
def set_template_active(*, actor: User | None, template: WorkflowTemplate, active: bool) -> WorkflowTemplate:
    """Make a template version the one new proposals use (or stop using it)."""
    if actor is not None:
        require(actor, "workflows.manage_templates", template)
    template = WorkflowTemplate.objects.select_for_update().get(pk=template.pk)
    if template.active == active:
        return template
    if active:
        WorkflowTemplate.objects.filter(
            organisation_id=template.organisation_id, proposal_kind=template.proposal_kind, active=True
        ).update(active=False)
    template.active = active
    template.save(update_fields=["active"])
    record_event(
        actor=actor,
        action="workflows.template_activated" if active else "workflows.template_deactivated",
        obj=template,
        organisation=template.organisation,
        changes={"active": [not active, active]},
    )
    return template


# --- proposals and their business case ------------------------------------------------------------------


def _case_values(data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in data:
        if key not in BUSINESS_CASE_FIELDS and key != "title":
            errors.setdefault(key, []).append("This is not an element of a business case.")
    for name in BUSINESS_CASE_FIELDS:
        if name not in data:
            continue
        if name == "first_offering":
            raw = data[name]
            if raw in (None, ""):
                values[name] = None
            elif isinstance(raw, dt.date):
                values[name] = raw
            else:
                try:
                    values[name] = dt.date.fromisoformat(str(raw))
                except ValueError:
                    errors.setdefault(name, []).append(
                        "Give the proposed first offering as a date, YYYY-MM-DD."
                    )
            continue
        values[name] = _text(data[name], name, errors)
    if "title" in data:
        values["title"] = _text(data["title"], "title", errors, limit=300)
        if not values["title"]:
            errors.setdefault("title", []).append("Give the proposal a title.")
    return values


def _open_proposal_of(micro_credential: MicroCredential) -> Proposal | None:
    return Proposal.objects.filter(micro_credential=micro_credential, status__in=OPEN_STATUSES).first()


def _version_for(
    actor: User | None, kind: str, micro_credential: MicroCredential
) -> tuple[MicroCredentialVersion | None, dict[str, list[str]]]:
    """The version a new proposal of `kind` considers (a draft is started for a change if none exists)."""
    versions = micro_credential.versions.all()
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    published = versions.filter(status=VersionStatus.PUBLISHED).first()
    if kind == ProposalKind.NEW:
        if published is not None or versions.exclude(status=VersionStatus.DRAFT).exists():
            return None, {
                "kind": [
                    f"{micro_credential.code} has been submitted before: propose a major or minor change instead."
                ]
            }
        if draft is None:
            return None, {"micro_credential": [f"{micro_credential.code} has no draft version to propose."]}
        return draft, {}
    if published is None:
        return None, {
            "micro_credential": [
                f"{micro_credential.code} has no published version: "
                + (
                    "propose it as a new micro-credential."
                    if kind != ProposalKind.RETIREMENT
                    else "nothing to retire."
                )
            ]
        }
    if kind in (ProposalKind.RETIREMENT, ProposalKind.CYCLIC_REVIEW):
        return published, {}
    if draft is not None:
        return draft, {}
    return mc.start_new_version(actor=actor, micro_credential=micro_credential), {}


@transaction.atomic
def create_proposal(
    *,
    actor: User | None,
    micro_credential: MicroCredential,
    kind: str,
    title: str = "",
    proposer: User | None = None,
    **business_case: Any,
) -> Proposal:
    """A draft proposal of `kind` for a micro-credential, with (part of) its business case.

    The version under consideration: for a new micro-credential its draft; for a major or minor change
    its draft (a new draft is started from the latest version if there is none); for a retirement or a
    cyclic review the published version.
    """
    organisation = micro_credential.organisation
    if actor is not None:
        require(actor, "workflows.create_proposal", organisation)
    errors: dict[str, list[str]] = {}
    if kind not in ProposalKind.values:
        errors["kind"] = [f"Choose a kind of proposal: {', '.join(ProposalKind.labels)}."]
    values = _case_values({**business_case, "title": title or "-"}, errors)
    open_one = _open_proposal_of(micro_credential)
    if open_one is not None:
        errors.setdefault("micro_credential", []).append(
            f"{micro_credential.code} already has an open proposal (#{open_one.pk}, "
            f"{open_one.get_status_display().lower()}): finish or withdraw it first."
        )
    person = proposer or actor
    if person is None or not person.pk:
        errors.setdefault("proposer", []).append("Say who proposes it.")
    if errors:
        raise ValidationError(errors)
    version, problems = _version_for(actor, kind, micro_credential)
    if problems:
        raise ValidationError(problems)
    assert version is not None and person is not None
    if not title:
        values["title"] = f"{ProposalKind(kind).label}: {version.title}"[:300]
    proposal = Proposal(
        organisation=organisation,
        kind=kind,
        micro_credential=micro_credential,
        version=version,
        proposer=person,
        **values,
    )
    proposal.full_clean(exclude=["template"])
    proposal.save()
    record_event(
        actor=actor,
        action="workflows.proposal_created",
        obj=proposal,
        organisation=organisation,
        changes={"kind": [None, kind], "version": [None, version.number]}
        | field_changes({}, {k: getattr(proposal, k) for k in ("title", *BUSINESS_CASE_FIELDS)}),
    )
    return proposal


def _require_proposer_or_manager(actor: User | None, proposal: Proposal, permission: str) -> None:
    if actor is None:
        return
    require(actor, permission, proposal)
    if actor.pk != proposal.proposer_id and not can(actor, "workflows.manage_proposals", proposal):
        raise PermissionDenied("Only the proposer, a QA officer or an organisation admin may do this.")


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def update_business_case(
    *, actor: User | None, proposal: Proposal, data: Mapping[str, Any], lock_version: int | None = None
) -> Proposal:
    """Change the title or business case of a proposal that is a draft (not in the workflow)."""
    from credence.errors import StaleWrite

    _require_proposer_or_manager(actor, proposal, "workflows.create_proposal")
    proposal = _lock(proposal)
    if lock_version is not None and int(lock_version) != proposal.lock_version:
        raise StaleWrite(proposal, int(lock_version), proposal.lock_version)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            {
                "status": f"The proposal is {proposal.get_status_display().lower()}: its business case is frozen."
            }
        )
    errors: dict[str, list[str]] = {}
    values = _case_values(data, errors)
    if errors:
        raise ValidationError(errors)
    names = ("title", *BUSINESS_CASE_FIELDS)
    before = snapshot(proposal, names)
    for key, value in values.items():
        setattr(proposal, key, value)
    changes = field_changes(before, snapshot(proposal, names))
    if not changes:
        return proposal
    proposal.full_clean(exclude=["template"])
    proposal.lock_version += 1
    proposal.save()
    record_event(
        actor=actor,
        action="workflows.business_case_changed",
        obj=proposal,
        organisation=proposal.organisation,
        changes=changes,
    )
    return proposal


@transaction.atomic
def attach_to_proposal(*, actor: User | None, proposal: Proposal, upload: File) -> Attachment:
    """A file of the business case: a letter of support, labour-market data, a costing."""
    _require_proposer_or_manager(actor, proposal, "workflows.create_proposal")
    if not proposal.is_open:
        raise ValidationError(
            {"file": f"The proposal is {proposal.get_status_display().lower()}: add no more files."}
        )
    return file_services.attach_file(
        actor=actor,
        organisation=proposal.organisation,
        owner=proposal,
        upload=upload,
        allowed_types=BUSINESS_CASE_FILE_TYPES,
        permission=None,  # checked above
    )


def case_problems(proposal: Proposal) -> dict[str, list[str]]:
    """What stops the business case from being submitted."""
    problems: dict[str, list[str]] = {}
    for name in REQUIRED_CASE.get(proposal.kind, ()):
        if not getattr(proposal, name):
            problems[name] = [f"Describe {CASE_LABELS[name]} before submitting."]
    return problems


def _active_template(proposal: Proposal) -> WorkflowTemplate:
    template = (
        proposal.template
        or WorkflowTemplate.objects.filter(
            organisation_id=proposal.organisation_id, proposal_kind=proposal.kind, active=True
        ).first()
    )
    if template is None:
        raise ValidationError(
            {
                "template": f"{proposal.organisation} has no workflow for {ProposalKind(proposal.kind).label.lower()} "
                "proposals yet: an organisation admin sets one up under Workflows."
            }
        )
    return template


def _submit(actor: User | None, proposal: Proposal) -> WorkflowRun:
    """Freeze the version (if a draft) and start a run of the proposal's template."""
    problems = case_problems(proposal)
    version = proposal.version
    if version.status == VersionStatus.DRAFT:
        for key, messages in mc.submission_problems(version).items():
            problems.setdefault(f"version.{key}", []).extend(messages)
    template = _active_template(proposal)
    if problems:
        raise ValidationError(problems)
    if version.status == VersionStatus.DRAFT:
        version = mc.submit_version(actor=actor, version=version)
    now = clock.now()
    number = proposal.submissions.count() + 1
    submission = Submission.objects.create(
        proposal=proposal, number=number, version=version, submitted_by=actor, submitted_at=now
    )
    proposal.template = template
    proposal.status = ProposalStatus.IN_WORKFLOW
    if proposal.submitted_at is None:
        proposal.submitted_at = now
    proposal.lock_version += 1
    proposal.save(update_fields=["template", "status", "submitted_at", "lock_version"])
    Task.objects.filter(proposal=proposal, kind=TaskKind.REVISE, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, completed_at=now, completed_by=actor
    )
    run = WorkflowRun.objects.create(
        proposal=proposal, template=template, submission=submission, started_at=now
    )
    for stage in template.stages.all():
        applies = stage_applies(stage, version)
        StageRun.objects.create(
            run=run,
            stage=stage,
            status=StageRunStatus.WAITING if applies else StageRunStatus.SKIPPED,
            finished_at=None if applies else now,
        )
    record_event(
        actor=actor,
        action="workflows.proposal_submitted",
        obj=proposal,
        organisation=proposal.organisation,
        changes={
            "status": [ProposalStatus.DRAFT, ProposalStatus.IN_WORKFLOW],
            "submission": [None, number],
            "version": [None, version.number],
            "template": [None, str(template)],
        },
    )
    _advance(run, actor)
    return run


@transaction.atomic
def submit_proposal(*, actor: User | None, proposal: Proposal) -> Proposal:
    """Send a draft proposal into its organisation's workflow for its kind."""
    _require_proposer_or_manager(actor, proposal, "workflows.create_proposal")
    proposal = _lock(proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            {
                "status": f"The proposal is {proposal.get_status_display().lower()}: only a draft can be submitted."
            }
        )
    _submit(actor, proposal)
    proposal.refresh_from_db()
    _notify(
        recipients=_members_with_role(proposal.organisation_id, Role.QA_OFFICER),
        event="proposal.submitted",
        subject=f"Proposal submitted: {proposal.title}",
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )
    return proposal


@transaction.atomic
def revise_proposal(*, actor: User | None, proposal: Proposal) -> Proposal:
    """After a return for changes: a new draft version for the proposer to change and resubmit."""
    _require_proposer_or_manager(actor, proposal, "workflows.create_proposal")
    proposal = _lock(proposal)
    if proposal.status != ProposalStatus.RETURNED:
        raise ValidationError(
            {
                "status": f"The proposal is {proposal.get_status_display().lower()}: only a returned one is revised."
            }
        )
    draft = proposal.micro_credential.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        draft = mc.start_new_version(actor=actor, micro_credential=proposal.micro_credential)
    old = proposal.version
    proposal.version = draft
    proposal.status = ProposalStatus.DRAFT
    proposal.lock_version += 1
    proposal.save(update_fields=["version", "status", "lock_version"])
    record_event(
        actor=actor,
        action="workflows.proposal_revised",
        obj=proposal,
        organisation=proposal.organisation,
        changes={
            "status": [ProposalStatus.RETURNED, ProposalStatus.DRAFT],
            "version": [old.number, draft.number],
        },
    )
    return proposal


# --- running the workflow -------------------------------------------------------------------------------


def stage_applies(stage: Stage, version: MicroCredentialVersion) -> bool:
    """Whether a conditional stage applies to `version`."""
    if stage.condition == StageCondition.CREDITS_ABOVE:
        return (
            version.credits is not None
            and stage.condition_value is not None
            and version.credits > stage.condition_value
        )
    if stage.condition == StageCondition.EXTERNAL_PARTNER:
        return version.micro_credential.partnerships.exclude(
            organisation_id=version.micro_credential.organisation_id
        ).exists()
    if stage.condition == StageCondition.STACKS_INTO_AWARD:
        return version.pathways.filter(kind=PathwayKind.STACKS_INTO).exists()
    return True


def gate_failures(stage: Stage, version: MicroCredentialVersion) -> list[str]:
    """The quality gate of a stage: each of its machine checks that fails on `version`, as a sentence."""
    if not stage.quality_gate:
        return []
    from credence.frameworks.evaluation import evaluate
    from credence.frameworks.selectors import enabled_pack_ids, packs_available_to, subject_for
    from credence.microcredentials.documents import prefetch_parts

    organisation_id = version.micro_credential.organisation_id
    available = packs_available_to(organisation_id)
    pack_ids = stage.packs or enabled_pack_ids(organisation_id)
    subject = subject_for(prefetch_parts(MicroCredentialVersion.objects.all()).get(pk=version.pk))
    results: dict[str, list[dict[str, Any]]] = {}
    for pack_id in pack_ids:
        if pack_id in available:
            for result in evaluate(available[pack_id], subject):
                results.setdefault(result["check"], []).append({**result, "pack": pack_id})
    failures: list[str] = []
    for check_id in stage.quality_gate:
        if check_id not in results:
            try:
                outcome = REGISTRY[check_id].function(subject, {})
            except Exception:  # a check that needs a pack's parameters cannot run on its own
                failures.append(
                    f"The check '{check_id}' could not run: no pack of this stage uses it, and it needs a pack's "
                    "parameters."
                )
                continue
            if outcome.status == "fail":
                failures.append(f"{REGISTRY[check_id].title}: {outcome.message}")
            continue
        for result in results[check_id]:
            if result["status"] == "fail":
                failures.append(f"{result['title']} ({result['pack']}): {result['message']}")
    return failures


def _candidates(stage: Stage, proposal: Proposal) -> list[User]:
    """Who acts at a stage: the named people, else the holders of its role (never the proposer)."""
    named = [u for u in stage.assignees.all() if u.is_active and _is_member(proposal.organisation_id, u)]
    if stage.kind == StageKind.COMMITTEE:
        people = named or _members_with_role(proposal.organisation_id, stage.role or Role.COMMITTEE_SECRETARY)
    else:
        people = named or (_members_with_role(proposal.organisation_id, stage.role) if stage.role else [])
    return [p for p in people if p.pk != proposal.proposer_id]


def _create_task(
    *,
    proposal: Proposal,
    assignee: User,
    kind: str,
    subject: str,
    actor: User | None,
    stage_run: StageRun | None = None,
    due_at: dt.datetime | None = None,
    **extra: Any,
) -> Task:
    task = Task.objects.create(
        organisation=proposal.organisation,
        assignee=assignee,
        kind=kind,
        subject=subject[:500],
        proposal=proposal,
        stage_run=stage_run,
        due_at=due_at,
        created_at=clock.now(),
        **extra,
    )
    _notify(
        recipients=[assignee],
        event="task.assigned",
        subject=f"New task: {task.subject}",
        body=f"Due {due_at:%d %b %Y}." if due_at else "",
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )
    return task


def _activate(stage_run: StageRun, actor: User | None) -> None:
    from credence.reviews import services as review_services

    stage = stage_run.stage
    proposal = stage_run.run.proposal
    now = clock.now()
    stage_run.status = StageRunStatus.ACTIVE
    stage_run.started_at = now
    stage_run.due_at = now + dt.timedelta(days=stage.due_days)
    stage_run.save(update_fields=["status", "started_at", "due_at"])
    people = _candidates(stage, proposal)
    code = proposal.micro_credential.code
    for person in people:
        if stage.kind == StageKind.REVIEW:
            review = review_services.open_review(
                actor=None, version=proposal.version, reviewer=person, pack_ids=stage.packs
            )
            subject = f"Review {code} version {proposal.version.number} ({stage.name})"
            _create_task(
                proposal=proposal,
                assignee=person,
                kind=TaskKind.REVIEW,
                subject=subject,
                actor=actor,
                stage_run=stage_run,
                due_at=stage_run.due_at,
                review=review,
            )
        elif stage.kind == StageKind.APPROVAL:
            _create_task(
                proposal=proposal,
                assignee=person,
                kind=TaskKind.APPROVE,
                subject=f"Decide on {proposal.title} ({stage.name})",
                actor=actor,
                stage_run=stage_run,
                due_at=stage_run.due_at,
            )
        else:
            _create_task(
                proposal=proposal,
                assignee=person,
                kind=TaskKind.COMMITTEE,
                subject=f"Put {proposal.title} on an agenda of {stage.committee_slug} ({stage.name})",
                actor=actor,
                stage_run=stage_run,
                due_at=stage_run.due_at,
            )
    record_event(
        actor=actor,
        action="workflows.stage_started",
        obj=proposal,
        organisation=proposal.organisation,
        changes={"stage": [None, stage.name], "assigned": [None, [p.get_username() for p in people]]},
    )


def _advance(run: WorkflowRun, actor: User | None) -> None:
    """Start the next stages (those with the lowest order still waiting), or finish the run."""
    stage_runs = list(run.stage_runs.select_related("stage").order_by("stage__order", "stage_id"))
    if any(sr.status == StageRunStatus.ACTIVE for sr in stage_runs):
        return
    waiting = [sr for sr in stage_runs if sr.status == StageRunStatus.WAITING]
    if not waiting:
        _finish_approved(run, actor)
        return
    step = waiting[0].stage.order
    for stage_run in waiting:
        if stage_run.stage.order == step:
            _activate(stage_run, actor)


def _cancel_open_tasks(stage_runs: Iterable[StageRun]) -> None:
    Task.objects.filter(stage_run__in=list(stage_runs), status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, completed_at=clock.now()
    )


def _complete_stage(stage_run: StageRun, actor: User | None, outcome: str) -> None:
    now = clock.now()
    stage_run.status = StageRunStatus.COMPLETED
    stage_run.outcome = outcome
    stage_run.finished_at = now
    stage_run.save(update_fields=["status", "outcome", "finished_at"])
    _cancel_open_tasks([stage_run])
    proposal = stage_run.run.proposal
    record_event(
        actor=actor,
        action="workflows.stage_completed",
        obj=proposal,
        organisation=proposal.organisation,
        changes={"stage": [stage_run.stage.name, None], "outcome": [None, outcome]},
    )
    _advance(stage_run.run, actor)


def _close_run(run: WorkflowRun, status: str, actor: User | None) -> None:
    now = clock.now()
    stage_runs = list(run.stage_runs.all())
    for stage_run in stage_runs:
        if stage_run.status == StageRunStatus.ACTIVE:
            stage_run.status, stage_run.finished_at = StageRunStatus.CLOSED, now
            stage_run.outcome = stage_run.outcome or status
            stage_run.save(update_fields=["status", "finished_at", "outcome"])
        elif stage_run.status == StageRunStatus.WAITING:
            stage_run.status = StageRunStatus.CANCELLED
            stage_run.save(update_fields=["status"])
    _cancel_open_tasks(stage_runs)
    # Conditions set earlier in a run that ends without approval no longer apply.
    Task.objects.filter(decision__stage_run__run=run, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, completed_at=now
    )
    run.status, run.finished_at = status, now
    run.save(update_fields=["status", "finished_at"])


def _publishers(proposal: Proposal) -> list[User]:
    return _members_with_role(proposal.organisation_id, Role.QA_OFFICER) or _members_with_role(
        proposal.organisation_id, Role.ORG_ADMIN
    )


def _finish_approved(run: WorkflowRun, actor: User | None) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=run.proposal_id)
    now = clock.now()
    run.status, run.finished_at = RunStatus.APPROVED, now
    run.save(update_fields=["status", "finished_at"])
    old = proposal.status
    version = proposal.version
    if version.status == VersionStatus.IN_REVIEW:
        approver = (
            actor if actor is not None and can(actor, "microcredentials.approve_version", version) else None
        )
        mc.approve_version(actor=approver, version=version)
    if proposal.kind == ProposalKind.CYCLIC_REVIEW and version.status == VersionStatus.PUBLISHED:
        proposal.status, proposal.completed_at = ProposalStatus.RENEWED, now
    else:
        proposal.status = ProposalStatus.APPROVED
    proposal.decided_at = now
    proposal.lock_version += 1
    proposal.save(update_fields=["status", "decided_at", "completed_at", "lock_version"])
    record_event(
        actor=actor,
        action="workflows.proposal_approved",
        obj=proposal,
        organisation=proposal.organisation,
        changes={"status": [old, proposal.status]},
    )
    if proposal.status == ProposalStatus.APPROVED:
        verb = "retire" if proposal.kind == ProposalKind.RETIREMENT else "publish"
        for person in _publishers(proposal):
            _create_task(
                proposal=proposal,
                assignee=person,
                kind=TaskKind.PUBLISH,
                subject=f"{verb.capitalize()} {proposal.micro_credential.code} version {version.number} (approved)",
                actor=actor,
            )
    _notify(
        recipients=[proposal.proposer],
        event="proposal.decided",
        subject=f"Approved: {proposal.title}",
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )


def _lock_stage_run(stage_run: StageRun) -> StageRun:
    locked = StageRun.objects.select_for_update().get(pk=stage_run.pk)
    return StageRun.objects.select_related(
        "stage", "run__proposal__organisation", "run__proposal__version"
    ).get(pk=locked.pk)


def _require_active(stage_run: StageRun) -> None:
    if stage_run.status != StageRunStatus.ACTIVE:
        raise ValidationError(
            {
                "stage_run": f"The stage '{stage_run.stage.name}' is no longer in progress (it is "
                f"{stage_run.get_status_display().lower()}): nothing was changed."
            }
        )


def _clean_conditions(conditions: Any, errors: dict[str, list[str]]) -> list[str]:
    if conditions is None:
        return []
    if isinstance(conditions, str):
        conditions = [line for line in conditions.splitlines()]
    if not isinstance(conditions, list):
        errors.setdefault("conditions", []).append("Give the conditions as a list of sentences.")
        return []
    cleaned: list[str] = []
    for index, condition in enumerate(conditions):
        if not isinstance(condition, str):
            errors.setdefault(f"conditions[{index}]", []).append("Give each condition as text.")
            continue
        if condition.strip():
            if len(condition.strip()) > 1000:
                errors.setdefault(f"conditions[{index}]", []).append(
                    "A condition has at most 1000 characters."
                )
            cleaned.append(condition.strip())
    if len(cleaned) > MAX_CONDITIONS:
        errors.setdefault("conditions", []).append(f"At most {MAX_CONDITIONS} conditions.")
    return cleaned


def _record(stage_run: StageRun, **fields: Any) -> Decision:
    """Write a decision; the database refuses a second closing decision or a second vote."""
    try:
        with transaction.atomic():
            return Decision.objects.create(stage_run=stage_run, made_at=clock.now(), **fields)
    except IntegrityError:
        if fields.get("is_vote"):
            raise ValidationError(
                {
                    "action": f"You have already decided at the stage '{stage_run.stage.name}': nothing was changed."
                }
            ) from None
        raise ValidationError(
            {
                "stage_run": f"The stage '{stage_run.stage.name}' has just been decided by someone else: nothing was changed."
            }
        ) from None


def _condition_tasks(decision: Decision, proposal: Proposal, actor: User | None) -> None:
    # A condition is due before the first offering, when the business case gives its date.
    due = (
        dt.datetime.combine(proposal.first_offering, dt.time(9), tzinfo=dt.UTC)
        if proposal.first_offering
        else None
    )
    for condition in decision.conditions:
        _create_task(
            proposal=proposal,
            assignee=proposal.proposer,
            kind=TaskKind.CONDITION,
            subject=f"Condition on {proposal.micro_credential.code}: {condition}",
            actor=actor,
            decision=decision,
            due_at=due,
        )


def _quorum_reached(stage_run: StageRun, votes: int) -> bool:
    stage = stage_run.stage
    if stage.quorum == Quorum.ANY:
        return votes >= 1
    if stage.quorum == Quorum.N:
        return votes >= (stage.quorum_n or 1)
    expected = stage_run.tasks.exclude(status=TaskStatus.CANCELLED).count() or 1
    return votes >= expected


def _return_or_reject(stage_run: StageRun, actor: User | None, action: str, comment: str) -> Decision:
    proposal = Proposal.objects.select_for_update().get(pk=stage_run.run.proposal_id)
    decision = _record(stage_run, user=actor, action=action, comment=comment, closes_stage=True)
    returned = action == DecisionAction.RETURN
    stage_run.outcome = action
    stage_run.save(update_fields=["outcome"])
    _close_run(stage_run.run, RunStatus.RETURNED if returned else RunStatus.REJECTED, actor)
    old = proposal.status
    proposal.status = ProposalStatus.RETURNED if returned else ProposalStatus.REJECTED
    if not returned:
        proposal.decided_at = proposal.completed_at = clock.now()
    proposal.lock_version += 1
    proposal.save(update_fields=["status", "decided_at", "completed_at", "lock_version"])
    record_event(
        actor=actor,
        action="workflows.proposal_returned" if returned else "workflows.proposal_rejected",
        obj=proposal,
        organisation=proposal.organisation,
        changes={
            "status": [old, proposal.status],
            "stage": [stage_run.stage.name, None],
            "comment": [None, comment],
        },
    )
    if returned:
        _create_task(
            proposal=proposal,
            assignee=proposal.proposer,
            kind=TaskKind.REVISE,
            subject=f"Revise and resubmit {proposal.title}",
            actor=actor,
        )
    _notify(
        recipients=[proposal.proposer],
        event="proposal.returned" if returned else "proposal.decided",
        subject=("Returned for changes: " if returned else "Rejected: ") + proposal.title,
        body=comment,
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )
    return decision


@transaction.atomic
def decide(
    *,
    actor: User,
    stage_run: StageRun,
    action: str,
    comment: str = "",
    conditions: Sequence[str] | str | None = None,
) -> Decision:
    """Act on a stage in progress: approve, approve with conditions, return for changes or reject.

    Approving is for the people the stage gave a task (it counts towards the quorum). Returning and
    rejecting are for them and for QA officers and organisation admins. A committee stage is decided
    through `record_committee_outcome`; withdrawing is `withdraw_proposal`; reassigning is `reassign_task`.
    """
    stage_run = _lock_stage_run(stage_run)
    proposal = stage_run.run.proposal
    require(actor, "workflows.view_proposals", proposal)
    errors: dict[str, list[str]] = {}
    allowed = (*APPROVING, DecisionAction.RETURN, DecisionAction.REJECT)
    if action not in allowed:
        raise ValidationError(
            {"action": f"Choose an action: {', '.join(DecisionAction(a).label.lower() for a in allowed)}."}
        )
    comment = _text(comment, "comment", errors)
    cleaned = _clean_conditions(conditions, errors)
    if action == DecisionAction.APPROVE_WITH_CONDITIONS and not cleaned and "conditions" not in errors:
        errors["conditions"] = ["State at least one condition, or approve without conditions."]
    if action == DecisionAction.APPROVE and cleaned:
        errors["conditions"] = ["Approve with conditions to set conditions."]
    if action in (DecisionAction.RETURN, DecisionAction.REJECT) and not comment:
        errors["comment"] = ["Say why, so the proposer knows what to change."]
    if errors:
        raise ValidationError(errors)
    _require_active(stage_run)
    task = stage_run.tasks.filter(assignee=actor, status=TaskStatus.OPEN).first()
    manager = can(actor, "workflows.manage_proposals", proposal)
    if action in APPROVING:
        if stage_run.stage.kind == StageKind.COMMITTEE:
            raise ValidationError(
                {
                    "action": "A committee stage is decided at the committee's meeting: the secretary records the outcome."
                }
            )
        if stage_run.stage.kind == StageKind.REVIEW:
            raise ValidationError(
                {"action": "A review stage completes when its reviewers submit their reviews."}
            )
        if task is None:
            if stage_run.decisions.filter(user=actor, is_vote=True).exists():
                raise ValidationError(
                    {
                        "action": f"You have already decided at the stage '{stage_run.stage.name}': nothing was changed."
                    }
                )
            raise PermissionDenied(
                f"You have no open task at the stage '{stage_run.stage.name}' of this proposal."
            )
        failures = gate_failures(stage_run.stage, proposal.version)
        if failures:
            raise ValidationError(
                {
                    "quality_gate": [
                        f"The quality gate of '{stage_run.stage.name}' is not passed: {f}" for f in failures
                    ]
                }
            )
        votes = stage_run.decisions.filter(is_vote=True, action__in=APPROVING).count()
        # The vote that reaches the quorum closes the stage; the database admits one such row per stage run.
        closing = _quorum_reached(stage_run, votes + 1)
        decision = _record(
            stage_run,
            user=actor,
            action=action,
            comment=comment,
            conditions=cleaned,
            is_vote=True,
            closes_stage=closing,
        )
        now = clock.now()
        task.status, task.completed_at, task.completed_by = TaskStatus.DONE, now, actor
        task.save(update_fields=["status", "completed_at", "completed_by"])
        record_event(
            actor=actor,
            action=f"workflows.decision_{action}",
            obj=proposal,
            organisation=proposal.organisation,
            changes={
                "stage": [None, stage_run.stage.name],
                "comment": [None, comment],
                "conditions": [None, cleaned],
            },
        )
        _condition_tasks(decision, proposal, actor)
        if closing:
            with_conditions = stage_run.decisions.filter(
                action=DecisionAction.APPROVE_WITH_CONDITIONS
            ).exists()
            _complete_stage(stage_run, actor, "approved_with_conditions" if with_conditions else "approved")
        else:
            _notify(
                recipients=[proposal.proposer],
                event="proposal.decided",
                subject=f"{DecisionAction(action).label} at '{stage_run.stage.name}': {proposal.title}",
                body=comment,
                url=proposal_url(proposal),
                organisation=proposal.organisation,
                actor=actor,
            )
        return decision
    if task is None and not manager:
        raise PermissionDenied(
            f"Only the people with a task at '{stage_run.stage.name}', QA officers and organisation admins may "
            "return or reject this proposal."
        )
    return _return_or_reject(stage_run, actor, action, comment)


@transaction.atomic
def _sits_on_stage_committee(actor: User, stage_run: StageRun) -> bool:
    """The chair or secretary of the committee the stage names may record its outcome, whatever their roles."""
    from credence.committees.models import Committee
    from credence.committees.services import holds_seat

    slug = stage_run.stage.committee_slug
    if not slug:
        return False
    committee = Committee.objects.filter(organisation_id=stage_run.run.proposal.organisation_id, slug=slug).first()
    return committee is not None and holds_seat(actor, committee)


def record_committee_outcome(
    *, actor: User | None, stage_run: StageRun, outcome: str, conditions: list[str], note: str = ""
) -> Decision:
    """The committee's outcome on a proposal at a committee stage, as its secretary records it.

    approved / approved_with_conditions complete the stage (conditions become tasks of the proposer);
    deferred leaves the stage in progress for a later meeting; rejected ends the proposal.
    """
    stage_run = _lock_stage_run(stage_run)
    proposal = stage_run.run.proposal
    if actor is not None and not _sits_on_stage_committee(actor, stage_run):
        require(actor, "workflows.record_committee_outcome", proposal)
    errors: dict[str, list[str]] = {}
    if outcome not in COMMITTEE_OUTCOMES:
        errors["outcome"] = [f"Choose an outcome: {', '.join(COMMITTEE_OUTCOMES)}."]
    note = _text(note, "note", errors)
    cleaned = _clean_conditions(conditions, errors)
    if outcome == "approved_with_conditions" and not cleaned and "conditions" not in errors:
        errors["conditions"] = ["State at least one condition for 'approved with conditions'."]
    if outcome in ("approved", "deferred", "rejected") and cleaned:
        errors["conditions"] = [f"Conditions go with 'approved with conditions', not '{outcome}'."]
    if errors:
        raise ValidationError(errors)
    if stage_run.stage.kind != StageKind.COMMITTEE:
        raise ValidationError({"stage_run": f"The stage '{stage_run.stage.name}' is not a committee stage."})
    _require_active(stage_run)
    if outcome == "rejected":
        return _return_or_reject(
            stage_run, actor, DecisionAction.REJECT, note or "Rejected by the committee."
        )
    if outcome == "deferred":
        decision = _record(stage_run, user=actor, action=DecisionAction.DEFER, comment=note)
        record_event(
            actor=actor,
            action="workflows.committee_deferred",
            obj=proposal,
            organisation=proposal.organisation,
            changes={"stage": [None, stage_run.stage.name], "note": [None, note]},
        )
        _notify(
            recipients=[proposal.proposer],
            event="meeting.outcome",
            subject=f"Deferred by the committee: {proposal.title}",
            body=note,
            url=proposal_url(proposal),
            organisation=proposal.organisation,
            actor=actor,
        )
        return decision
    action = DecisionAction.APPROVE if outcome == "approved" else DecisionAction.APPROVE_WITH_CONDITIONS
    decision = _record(
        stage_run, user=actor, action=action, comment=note, conditions=cleaned, closes_stage=True
    )
    record_event(
        actor=actor,
        action="workflows.committee_outcome",
        obj=proposal,
        organisation=proposal.organisation,
        changes={
            "stage": [None, stage_run.stage.name],
            "outcome": [None, outcome],
            "conditions": [None, cleaned],
        },
    )
    _notify(
        recipients=[proposal.proposer],
        event="meeting.outcome",
        subject=f"Committee outcome ({outcome.replace('_', ' ')}): {proposal.title}",
        body=note,
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )
    _condition_tasks(decision, proposal, actor)
    _complete_stage(stage_run, actor, outcome)
    return decision


@transaction.atomic
def review_submitted(*, review: Any) -> None:
    """A reviewer submitted a review that a review stage opened: close their task, and complete the
    stage once its quorum of reviews is in (and its quality gate passes)."""
    tasks = list(Task.objects.filter(review_id=review.pk, status=TaskStatus.OPEN).select_related("stage_run"))
    now = clock.now()
    for task in tasks:
        task.status, task.completed_at, task.completed_by = TaskStatus.DONE, now, review.reviewer
        task.save(update_fields=["status", "completed_at", "completed_by"])
        if task.stage_run is None:
            continue
        stage_run = _lock_stage_run(task.stage_run)
        if stage_run.status != StageRunStatus.ACTIVE:
            continue
        done = stage_run.tasks.filter(kind=TaskKind.REVIEW, status=TaskStatus.DONE).count()
        if not _quorum_reached(stage_run, done):
            continue
        if gate_failures(stage_run.stage, stage_run.run.proposal.version):
            continue  # stays in progress; the proposal page shows why
        _record(stage_run, user=review.reviewer, action=DecisionAction.REVIEWS_COMPLETE, closes_stage=True)
        _complete_stage(stage_run, review.reviewer, "reviewed")


@transaction.atomic
def withdraw_proposal(*, actor: User | None, proposal: Proposal, reason: str = "") -> Proposal:
    """The proposer (or a QA officer or admin) withdraws an open proposal; its workflow stops."""
    _require_proposer_or_manager(actor, proposal, "workflows.withdraw_proposal")
    proposal = _lock(proposal)
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors)
    if errors:
        raise ValidationError(errors)
    if not proposal.is_open:
        raise ValidationError(
            {
                "status": f"The proposal is {proposal.get_status_display().lower()}: it can no longer be withdrawn."
            }
        )
    for run in proposal.runs.filter(status=RunStatus.ACTIVE):
        for stage_run in run.stage_runs.filter(status=StageRunStatus.ACTIVE).select_related("stage"):
            _record(stage_run, user=actor, action=DecisionAction.WITHDRAW, comment=reason, closes_stage=True)
        _close_run(run, RunStatus.WITHDRAWN, actor)
    Task.objects.filter(proposal=proposal, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, completed_at=clock.now()
    )
    old = proposal.status
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.completed_at = clock.now()
    proposal.lock_version += 1
    proposal.save(update_fields=["status", "completed_at", "lock_version"])
    record_event(
        actor=actor,
        action="workflows.proposal_withdrawn",
        obj=proposal,
        organisation=proposal.organisation,
        changes={"status": [old, ProposalStatus.WITHDRAWN], "reason": [None, reason]},
    )
    return proposal


# --- tasks ----------------------------------------------------------------------------------------------


def _lock_task(task: Task) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    return Task.objects.select_related("proposal", "organisation", "assignee").get(pk=locked.pk)


@transaction.atomic
def complete_task(*, actor: User | None, task: Task, note: str = "") -> Task:
    """Mark a condition task done (its assignee, a QA officer or an organisation admin).

    Review, decision, committee, revision and publishing tasks close themselves when the work is done.
    """
    task = _lock_task(task)
    if actor is not None and actor.pk != task.assignee_id:
        require(actor, "workflows.manage_proposals", task)
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors)
    if errors:
        raise ValidationError(errors)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(
            {"status": f"This task is already {task.get_status_display().lower()}: nothing was changed."}
        )
    if task.kind != TaskKind.CONDITION:
        raise ValidationError(
            {
                "kind": f"A task to {task.get_kind_display().lower()} is done by doing it, not by ticking it off."
            }
        )
    task.status, task.completed_at, task.completed_by, task.note = TaskStatus.DONE, clock.now(), actor, note
    task.save(update_fields=["status", "completed_at", "completed_by", "note"])
    record_event(
        actor=actor,
        action="workflows.task_completed",
        obj=task,
        organisation=task.organisation,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE], "note": [None, note]},
    )
    return task


@transaction.atomic
def reassign_task(*, actor: User | None, task: Task, assignee: User, reason: str = "") -> Task:
    """Give an open task to someone else in the organisation (a QA officer or an organisation admin)."""
    task = _lock_task(task)
    if actor is not None:
        require(actor, "workflows.manage_proposals", task)
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors)
    if assignee is None or not assignee.is_active or not _is_member(task.organisation_id, assignee):
        errors["assignee"] = [f"Choose an active member of {task.organisation}."]
    elif assignee.pk == task.assignee_id:
        errors["assignee"] = ["The task is already theirs."]
    elif (
        task.proposal is not None
        and assignee.pk == task.proposal.proposer_id
        and task.kind
        in (
            TaskKind.REVIEW,
            TaskKind.APPROVE,
        )
    ):
        errors["assignee"] = ["The proposer cannot review or decide on their own proposal."]
    if errors:
        raise ValidationError(errors)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(
            {"status": f"This task is already {task.get_status_display().lower()}: nothing was changed."}
        )
    if task.kind == TaskKind.REVIEW:
        raise ValidationError(
            {"kind": "A review task follows its review: open a review for the new reviewer instead."}
        )
    old = task.assignee
    if (
        task.stage_run is not None
        and task.stage_run.tasks.filter(assignee=assignee, status=TaskStatus.OPEN).exists()
    ):
        raise ValidationError({"assignee": f"{assignee} already has a task at this stage."})
    task.assignee = assignee
    task.save(update_fields=["assignee"])
    if task.stage_run is not None:
        _record(
            task.stage_run,
            user=actor,
            action=DecisionAction.REASSIGN,
            comment=f"{old} → {assignee}. {reason}".strip(),
        )
    record_event(
        actor=actor,
        action="workflows.task_reassigned",
        obj=task,
        organisation=task.organisation,
        changes={"assignee": [old.get_username(), assignee.get_username()], "reason": [None, reason]},
    )
    _notify(
        recipients=[assignee],
        event="task.assigned",
        subject=f"New task: {task.subject}",
        url=proposal_url(task.proposal) if task.proposal else "",
        organisation=task.organisation,
        actor=actor,
    )
    return task


@transaction.atomic
def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the assignee of each overdue open task (at most once a day per task); how many were sent."""
    moment = now or clock.now()
    overdue = (
        Task.objects.filter(status=TaskStatus.OPEN, due_at__lt=moment)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=moment - dt.timedelta(days=1)))
        .select_related("assignee", "proposal", "organisation")
    )
    count = 0
    for task in overdue.select_for_update(of=("self",)):
        days = (moment - task.due_at).days if task.due_at else 0
        _notify(
            recipients=[task.assignee],
            event="task.reminder",
            subject=f"Overdue{f' by {days} days' if days > 1 else ''}: {task.subject}",
            url=proposal_url(task.proposal) if task.proposal else reverse("workflows:inbox"),
            organisation=task.organisation,
        )
        task.reminded_at = moment
        task.save(update_fields=["reminded_at"])
        count += 1
    return count


# --- publishing -----------------------------------------------------------------------------------------


def _put_into_effect(actor: User | None, proposal: Proposal) -> None:
    version = proposal.version
    now = clock.now()
    if proposal.kind == ProposalKind.RETIREMENT:
        reason = f"Retired on proposal #{proposal.pk}: {proposal.rationale}"[:1000]
        mc.retire_version(actor=actor, version=version, reason=reason)
        proposal.status = ProposalStatus.RETIRED
        event, label = "workflows.proposal_retired", "retired"
    else:
        mc.publish_version(actor=actor, version=version)
        proposal.status = ProposalStatus.PUBLISHED
        event, label = "workflows.proposal_published", "published"
    proposal.completed_at = now
    proposal.publish_on = None
    proposal.lock_version += 1
    proposal.save(update_fields=["status", "completed_at", "publish_on", "lock_version"])
    Task.objects.filter(proposal=proposal, kind=TaskKind.PUBLISH, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, completed_at=now, completed_by=actor
    )
    record_event(
        actor=actor,
        action=event,
        obj=proposal,
        organisation=proposal.organisation,
        changes={"status": [ProposalStatus.APPROVED, proposal.status], "version": [None, version.number]},
    )
    _notify(
        recipients=[proposal.proposer],
        event="proposal.published",
        subject=f"{proposal.micro_credential.code} version {version.number} is {label}",
        url=proposal_url(proposal),
        organisation=proposal.organisation,
        actor=actor,
    )


@transaction.atomic
def publish_proposal(*, actor: User | None, proposal: Proposal, on: dt.date | None = None) -> Proposal:
    """Publish the approved version now (it becomes the current public version and supersedes the one
    before), or on a date (`publish_due` does it then). For a retirement, the version is retired."""
    if actor is not None:
        require(actor, "workflows.publish_proposal", proposal)
    proposal = _lock(proposal)
    if proposal.status != ProposalStatus.APPROVED:
        raise ValidationError(
            {
                "status": f"The proposal is {proposal.get_status_display().lower()}: only an approved one is published."
            }
        )
    open_conditions = Task.objects.filter(proposal=proposal, kind=TaskKind.CONDITION, status=TaskStatus.OPEN)
    if open_conditions.exists():
        raise ValidationError(
            {
                "conditions": [
                    f"{open_conditions.count()} condition(s) are not met yet: "
                    + "; ".join(t.subject for t in open_conditions[:5])
                ]
            }
        )
    today = clock.now().date()
    if on is not None and on > today:
        old = proposal.publish_on
        proposal.publish_on = on
        proposal.lock_version += 1
        proposal.save(update_fields=["publish_on", "lock_version"])
        record_event(
            actor=actor,
            action="workflows.publication_scheduled",
            obj=proposal,
            organisation=proposal.organisation,
            changes={"publish_on": [old, on]},
        )
        return proposal
    if on is not None and on < today:
        raise ValidationError({"on": "Choose today or a later date."})
    _put_into_effect(actor, proposal)
    return proposal


def publish_due(*, today: dt.date | None = None) -> list[Proposal]:
    """Publish (or retire) every approved proposal whose date has come. Each in its own transaction, so
    one that cannot be published does not hold back the others; returns those done."""
    day = today or clock.now().date()
    done: list[Proposal] = []
    for proposal in Proposal.objects.filter(status=ProposalStatus.APPROVED, publish_on__lte=day).order_by(
        "publish_on", "pk"
    ):
        try:
            with transaction.atomic():
                locked = _lock(proposal)
                if (
                    locked.status == ProposalStatus.APPROVED
                    and locked.publish_on
                    and locked.publish_on <= day
                ):
                    _put_into_effect(None, locked)
                    done.append(locked)
        except ValidationError:
            logger.exception("Could not publish proposal %s on its date", proposal.pk)
    return done


# --- cyclic review --------------------------------------------------------------------------------------


@transaction.atomic
def open_cyclic_review(
    *, actor: User | None, micro_credential: MicroCredential, evidence: dict[str, Any], reason: str
) -> Proposal:
    """Open a cyclic review of a published micro-credential and start its workflow at once.

    The proposal considers the published version as it is: if the workflow approves, the proposal is
    'renewed' and nothing changes; if it returns it for changes, the proposer starts a new draft version
    (`revise_proposal`), and the revised version is approved and published like a change. `evidence` (the
    monitoring figures and flags) is kept on the proposal and shown on its page.
    """
    if actor is not None:
        require(actor, "workflows.open_cyclic_review", micro_credential)
    errors: dict[str, list[str]] = {}
    if not isinstance(evidence, dict):
        errors["evidence"] = ["Give the evidence as an object of figures and flags."]
    reason = _text(reason, "reason", errors)
    if not reason:
        errors.setdefault("reason", []).append("Say why the micro-credential is reviewed now.")
    if errors:
        raise ValidationError(errors)
    import json

    try:
        json.dumps(evidence)
    except (TypeError, ValueError):
        raise ValidationError({"evidence": "The evidence must be plain figures, text and lists."}) from None
    proposer: User | None = actor
    if proposer is None or not proposer.pk:
        leads = _members_with_role(micro_credential.organisation_id, Role.QA_OFFICER) or _members_with_role(
            micro_credential.organisation_id, Role.ORG_ADMIN
        )
        proposer = leads[0] if leads else None
    if proposer is None:
        raise ValidationError(
            {"proposer": f"{micro_credential.organisation} has no QA officer to lead the review."}
        )
    proposal = create_proposal(
        actor=None,
        micro_credential=micro_credential,
        kind=ProposalKind.CYCLIC_REVIEW,
        title=f"Cyclic review of {micro_credential.code}",
        proposer=proposer,
        rationale=reason,
    )
    proposal.evidence = evidence
    proposal.reason = reason
    proposal.save(update_fields=["evidence", "reason"])
    record_event(
        actor=actor,
        action="workflows.cyclic_review_opened",
        obj=proposal,
        organisation=proposal.organisation,
        changes={"reason": [None, reason], "evidence": [None, evidence]},
    )
    _submit(actor, proposal)
    proposal.refresh_from_db()
    return proposal
