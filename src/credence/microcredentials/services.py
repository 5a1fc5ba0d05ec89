"""Every write to micro-credentials and their versions: one function per use case.

Each runs in a transaction, checks permission through `rules`, validates everything before it writes
anything, and records an audit event with the field-level difference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Model
from django.utils import timezone

from credence.audit.services import field_changes, record_event
from credence.errors import StaleWrite
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from .documents import PART_FIELDS, version_document
from .models import (
    DESCRIPTIVE_FIELDS,
    Assessment,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    Module,
    Partnership,
    Pathway,
    VersionStatus,
)

PART_MODELS: dict[str, type[Model]] = {
    "learning_outcomes": LearningOutcome,
    "assessments": Assessment,
    "modules": Module,
    "pathways": Pathway,
}
MAX_PARTS = 200
MAX_CODE_LENGTH = 50


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(value) for key, value in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _merge(errors: dict[str, list[str]], error: ValidationError, prefix: str = "") -> None:
    for key, messages in _messages(error).items():
        path = prefix if key == "__all__" and prefix else (f"{prefix}.{key}" if prefix else key)
        errors.setdefault(path, []).extend(messages)


def _lock(version: MicroCredentialVersion, lock_version: int | None) -> MicroCredentialVersion:
    fresh = (
        MicroCredentialVersion.objects.select_for_update()
        .select_related("micro_credential__organisation")
        .get(pk=version.pk)
    )
    if lock_version is not None and int(lock_version) != fresh.lock_version:
        raise StaleWrite(fresh, int(lock_version), fresh.lock_version)
    return fresh


def _require_draft(version: MicroCredentialVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            {
                "status": f"Version {version.number} is {version.get_status_display().lower()}: it can no longer "
                "be edited. Start a new version to change it."
            }
        )


def _audit_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document as the audit log keeps it: without row ids, which mean nothing to a reader."""
    result: dict[str, Any] = {}
    for key, value in document.items():
        if key in PART_FIELDS:
            result[key] = [{k: v for k, v in part.items() if k not in ("id", "key")} for part in value]
        else:
            result[key] = value
    return result


# --- creating ------------------------------------------------------------------------------------------


@transaction.atomic
def create_micro_credential(
    *, actor: User | None, organisation: Organisation, code: str, title: str, **fields: Any
) -> MicroCredentialVersion:
    """A new micro-credential with its first draft version. `fields` may hold any descriptive element and
    parts (`learning_outcomes`, ...), in the document shape."""
    if actor is not None:
        require(actor, "microcredentials.add_microcredential", organisation)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not code:
        errors["code"] = ["Give the micro-credential a code."]
    elif len(code) > MAX_CODE_LENGTH:
        errors["code"] = [f"A code has at most {MAX_CODE_LENGTH} characters."]
    elif MicroCredential.objects.filter(organisation=organisation, code=code).exists():
        errors["code"] = [f"{organisation} already has a micro-credential with the code '{code}'."]
    micro_credential = MicroCredential(organisation=organisation, code=code)
    version = MicroCredentialVersion(
        micro_credential=micro_credential, number=1, title=title, created_by=actor
    )
    try:
        candidate, parts = _validated_document(version, {"title": title, **fields}, existing_parts=False)
    except ValidationError as error:
        _merge(errors, error)
        raise ValidationError(errors) from None
    if errors:
        raise ValidationError(errors)
    try:
        micro_credential.save()
    except IntegrityError:
        raise ValidationError({"code": [f"The code '{code}' was just taken; choose another."]}) from None
    candidate.micro_credential = micro_credential
    candidate.save()
    _write_parts(candidate, parts)
    record_event(
        actor=actor,
        action="microcredential.created",
        obj=micro_credential,
        organisation=organisation,
        changes={"code": [None, code]} | field_changes({}, _audit_document(_document_of(candidate))),
    )
    return candidate


def _document_of(version: MicroCredentialVersion) -> dict[str, Any]:
    fresh = MicroCredentialVersion.objects.prefetch_related(
        "learning_outcomes", "assessments__outcomes", "modules__outcomes", "pathways"
    ).get(pk=version.pk)
    return version_document(fresh)


# --- editing a draft -----------------------------------------------------------------------------------


_NULLABLE = frozenset(
    f.name for f in MicroCredentialVersion._meta.concrete_fields if f.null and f.name in DESCRIPTIVE_FIELDS
)
_LISTS = frozenset({"languages", "sdgs"})


def _field_value(name: str, value: Any) -> Any:
    """Normalise an incoming value so that the field's own validation, not a crash, judges it.

    Empty values of number and date fields become None (Django skips validating blanks, and would then
    fail to save ''); None in a text field becomes ''.
    """
    if name in _NULLABLE:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, list | dict | bool):
            raise ValidationError({name: "Give a single value, not a list or an object."})
        if isinstance(MicroCredentialVersion._meta.get_field(name), models.DateField) and not isinstance(
            value, str | dt.date
        ):
            raise ValidationError({name: "Give a date as YYYY-MM-DD."})
        return value
    if name in _LISTS:
        return [] if value is None else value
    if value is None:
        return ""
    field = MicroCredentialVersion._meta.get_field(name)
    if isinstance(field, models.CharField | models.TextField) and not isinstance(value, str):
        if isinstance(value, list | dict | bool):
            raise ValidationError({name: "Give text."})
        return str(value)
    return value


@dataclass
class _PartPlan:
    instance: Any
    outcome_numbers: list[int] | None = None


def _validated_document(
    version: MicroCredentialVersion, data: Mapping[str, Any], *, existing_parts: bool = True
) -> tuple[MicroCredentialVersion, dict[str, list[_PartPlan]]]:
    """Apply `data` to an unsaved copy of `version` and validate all of it; nothing is written."""
    errors: dict[str, list[str]] = {}
    allowed = set(DESCRIPTIVE_FIELDS) | set(PART_FIELDS)
    for key in data:
        if key not in allowed:
            errors.setdefault(key, []).append("This is not an element of a micro-credential version.")
    for name in DESCRIPTIVE_FIELDS:
        if name in data:
            try:
                setattr(version, name, _field_value(name, data[name]))
            except ValidationError as error:
                _merge(errors, error)
    if isinstance(data.get("sdgs"), list):
        try:
            version.sdgs = sorted({int(goal) for goal in data["sdgs"]})
        except (TypeError, ValueError):
            pass  # the field validator names the bad value
    try:
        version.full_clean(
            exclude=["micro_credential", "number", "status", "lock_version", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        _merge(errors, error)

    existing: dict[str, dict[int, Any]] = {}
    if existing_parts and version.pk:
        existing = {
            "learning_outcomes": {o.pk: o for o in version.learning_outcomes.all()},
            "assessments": {a.pk: a for a in version.assessments.all()},
            "modules": {m.pk: m for m in version.modules.all()},
            "pathways": {p.pk: p for p in version.pathways.all()},
        }
    plans: dict[str, list[_PartPlan]] = {}
    if "learning_outcomes" in data:
        outcome_count = len(data["learning_outcomes"]) if isinstance(data["learning_outcomes"], list) else 0
    else:
        outcome_count = len(existing.get("learning_outcomes", {}))
    for kind, fields in PART_FIELDS.items():
        if kind not in data:
            continue
        items = data[kind]
        if not isinstance(items, list):
            errors.setdefault(kind, []).append("Give a list.")
            continue
        if len(items) > MAX_PARTS:
            errors.setdefault(kind, []).append(f"At most {MAX_PARTS} items.")
            continue
        plans[kind] = []
        model = PART_MODELS[kind]
        for index, item in enumerate(items):
            path = f"{kind}[{index}]"
            if not isinstance(item, Mapping):
                errors.setdefault(path, []).append("Give an object with the item's fields.")
                continue
            for key in item:
                if key not in (*fields, "id", "key", "number"):
                    errors.setdefault(f"{path}.{key}", []).append("Unknown field.")
            instance = None
            if item.get("id") is not None:
                instance = existing.get(kind, {}).get(item["id"]) if isinstance(item["id"], int) else None
                if instance is None:
                    errors.setdefault(f"{path}.id", []).append(
                        f"There is no {model._meta.verbose_name} {item['id']!s:.20} in this version."
                    )
                    continue
            if instance is None:
                instance = model(version=version) if version.pk else model()
            part: Any = instance
            numbers: list[int] | None = None
            for key in fields:
                if key not in item:
                    continue
                value = item[key]
                if key == "outcomes":
                    numbers = []
                    if not isinstance(value, list):
                        errors.setdefault(f"{path}.outcomes", []).append("Give a list of outcome numbers.")
                        continue
                    for position, number in enumerate(value):
                        if (
                            isinstance(number, bool)
                            or not isinstance(number, int)
                            or not 1 <= number <= outcome_count
                        ):
                            errors.setdefault(f"{path}.outcomes[{position}]", []).append(
                                f"There is no learning outcome {number!s:.20} in this version "
                                f"(it has {outcome_count})."
                            )
                        else:
                            numbers.append(number)
                elif key == "target_micro_credential":
                    if value in (None, ""):
                        part.target_micro_credential = None
                    else:
                        target = (
                            MicroCredential.objects.filter(pk=value).first()
                            if isinstance(value, int)
                            else None
                        )
                        if target is None:
                            errors.setdefault(f"{path}.target_micro_credential", []).append(
                                f"There is no micro-credential {value!s:.20}."
                            )
                        else:
                            part.target_micro_credential = target
                else:
                    if value is None and key not in ("weight", "hours", "credits"):
                        value = [] if key == "skills" else ""
                    setattr(instance, key, value)
            try:
                instance.full_clean(exclude=["version", "key", "outcomes"])
            except ValidationError as error:
                _merge(errors, error, path)
            plans[kind].append(_PartPlan(instance, numbers))
    if errors:
        raise ValidationError(errors)
    return version, plans


def _write_parts(version: MicroCredentialVersion, plans: Mapping[str, list[_PartPlan]]) -> None:
    for kind in PART_FIELDS:
        if kind not in plans:
            continue
        model = PART_MODELS[kind]
        kept = [plan.instance.pk for plan in plans[kind] if plan.instance.pk]
        for stale in model.objects.filter(version=version).exclude(pk__in=kept):  # type: ignore[attr-defined]
            stale.delete()
        for order, plan in enumerate(plans[kind], start=1):
            plan.instance.version = version
            plan.instance.order = order
            plan.instance.save()
    outcomes = list(version.learning_outcomes.all())
    for kind in ("assessments", "modules"):
        for plan in plans.get(kind, []):
            if plan.outcome_numbers is not None:
                plan.instance.outcomes.set([outcomes[n - 1] for n in plan.outcome_numbers])


@transaction.atomic
def update_draft(
    *,
    actor: User | None,
    version: MicroCredentialVersion,
    data: Mapping[str, Any],
    lock_version: int | None,
) -> MicroCredentialVersion:
    """Change a draft: any descriptive elements, and any part lists given (each replaces the list)."""
    if actor is not None:
        require(actor, "microcredentials.change_draft", version)
    version = _lock(version, lock_version)
    _require_draft(version)
    before = _audit_document(_document_of(version))
    candidate, plans = _validated_document(version, data)
    with transaction.atomic():
        candidate.lock_version += 1
        candidate.save()
        _write_parts(candidate, plans)
        changes = field_changes(before, _audit_document(_document_of(candidate)))
        if not changes:
            # A save that changes nothing is no revision: no new lock version, no audit event.
            transaction.set_rollback(True)
    if not changes:
        return MicroCredentialVersion.objects.select_related("micro_credential__organisation").get(
            pk=version.pk
        )
    record_event(
        actor=actor,
        action="version.updated",
        obj=candidate,
        organisation=candidate.micro_credential.organisation,
        changes=changes,
    )
    return candidate


def _part_items(version: MicroCredentialVersion, kind: str) -> list[dict[str, Any]]:
    items = version_document(version)[kind]
    return [{k: v for k, v in item.items() if k not in ("key", "number")} for item in items]


def change_part(
    *,
    actor: User | None,
    version: MicroCredentialVersion,
    kind: str,
    lock_version: int | None = None,
    add: Mapping[str, Any] | None = None,
    update: tuple[int, Mapping[str, Any]] | None = None,
    remove: int | None = None,
    move: tuple[int, int] | None = None,
) -> MicroCredentialVersion:
    """Add, change, remove or move one outcome, assessment, module or pathway of a draft.

    Errors name the part's own fields (`text`, `outcomes[0]`), for the form that edits one part.
    """
    if kind not in PART_FIELDS:
        raise ValueError(kind)
    items = _part_items(version, kind)
    index_of = {item["id"]: index for index, item in enumerate(items)}
    position = len(items)
    if add is not None:
        items.append(dict(add))
    if update is not None:
        part_id, fields = update
        if part_id not in index_of:
            raise ValidationError({"id": "That item is not part of this version."})
        position = index_of[part_id]
        items[position] = {**items[position], **fields}
    if remove is not None:
        if remove not in index_of:
            raise ValidationError({"id": "That item is not part of this version."})
        del items[index_of[remove]]
    if move is not None:
        part_id, offset = move
        if part_id not in index_of:
            raise ValidationError({"id": "That item is not part of this version."})
        old = index_of[part_id]
        new = max(0, min(len(items) - 1, old + offset))
        items.insert(new, items.pop(old))
    data: dict[str, Any] = {kind: items}
    if kind == "learning_outcomes" and (remove is not None or move is not None):
        data.update(_renumbered_alignments(version, items))
    try:
        return update_draft(actor=actor, version=version, data=data, lock_version=lock_version)
    except ValidationError as error:
        prefix = f"{kind}[{position}]."
        own: dict[str, list[str]] = {}
        for key, messages in _messages(error).items():
            own.setdefault(key.removeprefix(prefix) if key.startswith(prefix) else key, []).extend(messages)
        raise ValidationError(own) from None


def _renumbered_alignments(
    version: MicroCredentialVersion, new_outcomes: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """When outcomes are removed or reordered, keep assessments and modules pointing at the same outcomes."""
    new_number = {item["id"]: n for n, item in enumerate(new_outcomes, start=1) if item.get("id")}
    old_ids = [o.pk for o in version.learning_outcomes.all()]
    result: dict[str, Any] = {}
    for kind in ("assessments", "modules"):
        items = _part_items(version, kind)
        for item in items:
            item["outcomes"] = sorted(
                new_number[old_ids[n - 1]] for n in item["outcomes"] if old_ids[n - 1] in new_number
            )
        result[kind] = items
    return result


# --- partners ------------------------------------------------------------------------------------------


@transaction.atomic
def add_partner(
    *, actor: User | None, micro_credential: MicroCredential, organisation: Organisation, role: str
) -> Partnership:
    if actor is not None:
        require(actor, "microcredentials.manage_partners", micro_credential)
    partnership = Partnership(micro_credential=micro_credential, organisation=organisation, role=role)
    partnership.full_clean()
    partnership.save()
    record_event(
        actor=actor,
        action="microcredential.partner_added",
        obj=micro_credential,
        organisation=micro_credential.organisation,
        changes={"partner": [None, f"{organisation} ({partnership.get_role_display()})"]},
    )
    return partnership


@transaction.atomic
def remove_partner(*, actor: User | None, partnership: Partnership) -> None:
    micro_credential = partnership.micro_credential
    if actor is not None:
        require(actor, "microcredentials.manage_partners", micro_credential)
    label = str(partnership)
    partnership.delete()
    record_event(
        actor=actor,
        action="microcredential.partner_removed",
        obj=micro_credential,
        organisation=micro_credential.organisation,
        changes={"partner": [label, None]},
    )


# --- the lifecycle -------------------------------------------------------------------------------------


def _transition(
    version: MicroCredentialVersion, actor: User | None, action: str, changed: Sequence[str], old_status: str
) -> None:
    version.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action=action,
        obj=version,
        organisation=version.micro_credential.organisation,
        changes={"status": [old_status, version.status]},
    )


def _weights_total(version: MicroCredentialVersion) -> Decimal | None:
    """The sum of the assessment weights given, or None when no assessment has a weight."""
    weights = [a.weight for a in version.assessments.all() if a.weight is not None]
    return sum(weights, Decimal(0)) if weights else None


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def submission_problems(version: MicroCredentialVersion) -> dict[str, list[str]]:
    """What stops a draft from going to review (the mechanical minimum; frameworks add their checks)."""
    problems: dict[str, list[str]] = {}
    total = _weights_total(version)
    if not version.title.strip():
        problems["title"] = ["Give a title."]
    if not version.summary.strip():
        problems["summary"] = ["Describe the micro-credential in a summary."]
    outcomes = list(version.learning_outcomes.all())
    if not outcomes:
        problems["learning_outcomes"] = ["State at least one learning outcome."]
    if total is not None and total != 100:
        problems["assessments"] = [f"Assessment weights add up to {_percent(total)} %, not 100 %."]
    return problems


def draft_warnings(version: MicroCredentialVersion) -> dict[str, list[str]]:
    """Things worth fixing in a draft that do not stop it being saved."""
    warnings: dict[str, list[str]] = {}
    assessments = list(version.assessments.all())
    total = _weights_total(version)
    if total is not None and total != 100:
        warnings["assessments"] = [
            f"The assessment weights add up to {_percent(total)} %; they must make 100 % "
            "before the version can be submitted."
        ]
    for index, assessment in enumerate(assessments):
        if not assessment.outcomes.all():
            warnings.setdefault(f"assessments[{index}].outcomes", []).append(
                f"Assessment {index + 1} is not aligned to any learning outcome."
            )
    return warnings


@transaction.atomic
def submit_version(
    *, actor: User | None, version: MicroCredentialVersion, lock_version: int | None = None
) -> MicroCredentialVersion:
    if actor is not None:
        require(actor, "microcredentials.submit_version", version)
    version = _lock(version, lock_version)
    _require_draft(version)
    problems = submission_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_by = actor
    version.submitted_at = timezone.now()
    _transition(version, actor, "version.submitted", ["status", "submitted_by", "submitted_at"], "draft")
    return version


@transaction.atomic
def approve_version(*, actor: User | None, version: MicroCredentialVersion) -> MicroCredentialVersion:
    version = _lock(version, None)
    if actor is not None:
        require(actor, "microcredentials.approve_version", version)
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(
            {"status": f"Only a version in review can be approved (this one is {version.status})."}
        )
    version.status = VersionStatus.APPROVED
    version.approved_by = actor
    version.approved_at = timezone.now()
    _transition(version, actor, "version.approved", ["status", "approved_by", "approved_at"], "in_review")
    return version


def _refresh_catalogue(micro_credential: MicroCredential) -> None:
    """Keep the public catalogue's search entry in step (the catalogue reads published versions only)."""
    from credence.catalogue.services import refresh_entry

    refresh_entry(micro_credential)


@transaction.atomic
def publish_version(*, actor: User | None, version: MicroCredentialVersion) -> MicroCredentialVersion:
    version = _lock(version, None)
    if actor is not None:
        require(actor, "microcredentials.publish_version", version)
    if version.status != VersionStatus.APPROVED:
        raise ValidationError(
            {"status": f"Only an approved version can be published (this one is {version.status})."}
        )
    micro_credential = MicroCredential.objects.select_for_update().get(pk=version.micro_credential_id)
    previous = micro_credential.versions.filter(status=VersionStatus.PUBLISHED).first()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        _transition(previous, actor, "version.superseded", ["status"], "published")
    version.status = VersionStatus.PUBLISHED
    version.published_by = actor
    version.published_at = timezone.now()
    _transition(version, actor, "version.published", ["status", "published_by", "published_at"], "approved")
    micro_credential.published_version = version
    micro_credential.save(update_fields=["published_version"])
    _refresh_catalogue(micro_credential)
    return version


@transaction.atomic
def retire_version(
    *, actor: User | None, version: MicroCredentialVersion, reason: str
) -> MicroCredentialVersion:
    version = _lock(version, None)
    if actor is not None:
        require(actor, "microcredentials.retire_version", version)
    if version.status not in (VersionStatus.PUBLISHED, VersionStatus.APPROVED):
        raise ValidationError(
            {"status": f"Only a published or approved version can be retired (this one is {version.status})."}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"retirement_reason": "Say why it is retired."})
    if len(reason) > 1000:
        raise ValidationError({"retirement_reason": "At most 1000 characters."})
    old = version.status
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.retirement_reason = reason
    _transition(version, actor, "version.retired", ["status", "retired_at", "retirement_reason"], old)
    micro_credential = version.micro_credential
    if micro_credential.published_version_id == version.pk:
        micro_credential.published_version = None
        micro_credential.save(update_fields=["published_version"])
    _refresh_catalogue(micro_credential)
    return version


@transaction.atomic
def start_new_version(*, actor: User | None, micro_credential: MicroCredential) -> MicroCredentialVersion:
    """A new draft, copied from the latest version; the parts keep their keys so the diff can follow them."""
    micro_credential = MicroCredential.objects.select_for_update().get(pk=micro_credential.pk)
    if actor is not None:
        require(actor, "microcredentials.start_new_version", micro_credential)
    draft = micro_credential.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError({"status": f"Version {draft.number} is already a draft: edit that one."})
    source = micro_credential.versions.order_by("-number").first()
    if source is None:
        raise ValidationError({"status": "This micro-credential has no version to start from."})
    copy = MicroCredentialVersion(
        micro_credential=micro_credential,
        number=source.number + 1,
        created_by=actor,
        **{name: getattr(source, name) for name in DESCRIPTIVE_FIELDS},
    )
    copy.save()
    outcome_map: dict[int, LearningOutcome] = {}
    for outcome in source.learning_outcomes.all():
        new_outcome = LearningOutcome.objects.create(
            version=copy, order=outcome.order, key=outcome.key, text=outcome.text, skills=outcome.skills
        )
        outcome_map[outcome.pk] = new_outcome
    for assessment in source.assessments.prefetch_related("outcomes"):
        new_assessment = Assessment.objects.create(
            version=copy,
            order=assessment.order,
            key=assessment.key,
            type=assessment.type,
            description=assessment.description,
            weight=assessment.weight,
            summative=assessment.summative,
        )
        new_assessment.outcomes.set([outcome_map[o.pk] for o in assessment.outcomes.all()])
    for module in source.modules.prefetch_related("outcomes"):
        new_module = Module.objects.create(
            version=copy,
            order=module.order,
            key=module.key,
            title=module.title,
            description=module.description,
            hours=module.hours,
        )
        new_module.outcomes.set([outcome_map[o.pk] for o in module.outcomes.all()])
    for pathway in source.pathways.all():
        Pathway.objects.create(
            version=copy,
            order=pathway.order,
            key=pathway.key,
            kind=pathway.kind,
            target_micro_credential=pathway.target_micro_credential,
            external_award=pathway.external_award,
            external_provider=pathway.external_provider,
            credits=pathway.credits,
            note=pathway.note,
        )
    record_event(
        actor=actor,
        action="version.started",
        obj=copy,
        organisation=micro_credential.organisation,
        changes={"number": [None, copy.number], "copied_from": [None, source.number]},
    )
    return copy
