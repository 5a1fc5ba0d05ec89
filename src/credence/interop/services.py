"""Every write of catalogue imports: saving a column mapping, taking in a file, previewing it, and
importing it.

The preview and the import run the same plan: every row is read through its mapping, its messy values
parsed, and validated by the micro-credential services' own document validation, before anything is
written. Rows are matched to existing micro-credentials by code (within the organisation):

- a new code creates a micro-credential and its first version (a draft, or approved when migrating
  records approved elsewhere);
- a code whose latest version is a draft updates that draft (`update_draft`);
- a code whose latest version has left draft gets a new version (`start_new_version` then
  `update_draft`), when the row changes anything;
- a row that changes nothing is reported as unchanged and nothing is written.

New records are written in bulk (the speed a catalogue of thousands needs), with one audit event per
micro-credential giving what it got; updates go through the per-record services and their audit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from credence.audit.services import PendingEvent, record_event, record_events
from credence.microcredentials import services as mc_services
from credence.microcredentials.models import (
    DESCRIPTIVE_FIELDS,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    VersionStatus,
)
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from .mapping import TARGETS, guess_mapping, mapping_problems, read_row
from .models import ColumnMapping, ImportJob, ImportMode, ImportStatus
from .reading import ImportFileError, Table, kind_of, read_table, read_upload

logger = logging.getLogger(__name__)

CREATE, UPDATE, NEW_VERSION, UNCHANGED, ERROR = "create", "update", "new version", "unchanged", "error"
ACTION_LABELS = {
    CREATE: "will be created",
    UPDATE: "will update the draft",
    NEW_VERSION: "will start a new version",
    UNCHANGED: "unchanged",
    ERROR: "has problems",
}
DONE_LABELS = {
    CREATE: "created",
    UPDATE: "draft updated",
    NEW_VERSION: "new version started",
    UNCHANGED: "unchanged",
    ERROR: "not imported (problems)",
}
PROGRESS_EVERY = 250


# --- mappings ------------------------------------------------------------------------------------------


@transaction.atomic
def save_mapping(
    *, actor: User | None, organisation: Organisation, name: str, columns: Mapping[str, str]
) -> ColumnMapping:
    """Save (or replace) the mapping for a source, by its name."""
    if actor is not None:
        require(actor, "interop.manage_mappings", organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the source this mapping is for."})
    if len(name) > 100:
        raise ValidationError({"name": "At most 100 characters."})
    clean = {str(k)[:200]: str(v) for k, v in columns.items()}
    unknown = sorted({v for v in clean.values() if v and v not in TARGETS})
    if unknown:
        raise ValidationError({"columns": f"Unknown element(s): {', '.join(unknown)}."})
    existing = ColumnMapping.objects.filter(organisation=organisation, name=name).first()
    before = dict(existing.columns) if existing else None
    mapping, _ = ColumnMapping.objects.update_or_create(
        organisation=organisation, name=name, defaults={"columns": clean, "updated_by": actor}
    )
    if before != clean:
        record_event(
            actor=actor,
            action="import.mapping_saved",
            obj=mapping,
            organisation=organisation,
            changes={"columns": [before, clean]},
        )
    return mapping


# --- taking in a file ----------------------------------------------------------------------------------


def _read_job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as fh:
        data = fh.read()
    return read_table(job.kind, data)


@transaction.atomic
def start_import(
    *, actor: User | None, organisation: Organisation, upload: File, source: str = ""
) -> ImportJob:
    """Check and keep an uploaded file; the job starts with a mapping guessed (or the source's saved one).
    A file that cannot be read is refused with a ValidationError on `file`: nothing is kept."""
    if actor is not None:
        require(actor, "interop.import_catalogue", organisation)
    try:
        name, data = read_upload(upload)
        kind = kind_of(name, data)
        table = read_table(kind, data)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    if not table.rows:
        raise ValidationError({"file": f"'{name}' has column headings but no rows."})
    saved = (
        ColumnMapping.objects.filter(organisation=organisation, name=source.strip()).first()
        if source
        else None
    )
    if source and saved is None:
        raise ValidationError({"source": f"There is no saved mapping named '{source[:100]}'."})
    job = ImportJob(
        organisation=organisation,
        kind=kind,
        filename=name,
        encoding=table.encoding,
        source=saved.name if saved else "",
        headers=table.headers,
        mapping=guess_mapping(table.headers, saved.columns if saved else None),
        total_rows=len(table.rows),
        created_by=actor if actor is not None and actor.pk else None,
        message=" ".join(table.notes),
    )
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    record_event(
        actor=actor,
        action="import.uploaded",
        obj=job,
        organisation=organisation,
        changes={"file": [None, name], "rows": [None, len(table.rows)], "encoding": [None, table.encoding]},
    )
    return job


def _require_open(job: ImportJob) -> None:
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED):
        raise ValidationError(
            {"status": f"This import is {job.get_status_display().lower()}: it cannot change."}
        )


@transaction.atomic
def set_mapping(
    *, actor: User | None, job: ImportJob, columns: Mapping[str, str], save_as: str = ""
) -> ImportJob:
    """Choose the column mapping of a job (and save it for the source when `save_as` names one)."""
    if actor is not None:
        require(actor, "interop.import_catalogue", job)
    _require_open(job)
    mapping = {header: str(columns.get(header, "") or "") for header in job.headers}
    problems = mapping_problems(mapping)
    if problems:
        raise ValidationError({"mapping": problems})
    job.mapping = mapping
    job.status = ImportStatus.UPLOADED
    job.report, job.counts = [], {}
    if save_as.strip():
        saved = save_mapping(actor=actor, organisation=job.organisation, name=save_as, columns=mapping)
        job.source = saved.name
    job.save(update_fields=["mapping", "status", "report", "counts", "source"])
    return job


# --- the plan ------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    row: int
    code: str
    action: str = ERROR
    data: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    candidate: MicroCredentialVersion | None = None
    outcomes: list[LearningOutcome] = field(default_factory=list)
    existing: MicroCredentialVersion | None = None

    def report(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "code": self.code,
            "title": str(self.data.get("title", ""))[:200],
            "action": self.action,
            "changed": self.changed,
            "problems": [
                f"{where}: {message}" for where, messages in self.problems.items() for message in messages
            ],
        }


def _latest_versions(organisation: Organisation, codes: list[str]) -> dict[str, MicroCredentialVersion]:
    latest: dict[str, MicroCredentialVersion] = {}
    versions = (
        MicroCredentialVersion.objects.filter(micro_credential__organisation=organisation)
        .filter(micro_credential__code__in=codes)
        .select_related("micro_credential")
        .prefetch_related("learning_outcomes")
        .order_by("micro_credential_id", "-number")
    )
    for version in versions.iterator(chunk_size=2000) if len(codes) > 2000 else versions:
        latest.setdefault(version.micro_credential.code, version)
    return latest


def _column_of(mapping: Mapping[str, str]) -> dict[str, str]:
    """Element -> the column it comes from, to name a problem by the column the user knows."""
    columns = {target: column for column, target in mapping.items() if target}
    if "credits" in columns:
        columns.setdefault("credit_system", columns["credits"])
    if "fee_amount" in columns:
        columns.setdefault("fee_currency", columns["fee_amount"])
    return columns


def _where(path: str, columns: Mapping[str, str]) -> str:
    element = path.split("[")[0].split(".")[0]
    if element.startswith("learning_outcomes") and "[" in path:
        number = int(path.split("[")[1].split("]")[0]) + 1
        return f"{columns.get('learning_outcomes', 'learning outcomes')} (outcome {number})"
    return columns.get(element, element)


def plan_rows(job: ImportJob, table: Table, progress: Callable[[int], None] | None = None) -> list[RowPlan]:
    """Read and validate every row; writes nothing."""
    mapping = job.mapping
    columns = _column_of(mapping)
    code_column = columns["code"]
    headers = table.headers
    plans: list[RowPlan] = []
    for index, cells in enumerate(table.rows):
        by_header = dict(zip(headers, cells, strict=False))
        data, problems = read_row(by_header, mapping)
        code = str(data.pop("code", "") or "").strip()
        plan = RowPlan(row=table.first_row + index, code=code, data=data, problems=problems)
        if not code:
            plan.problems.setdefault(code_column, []).append("Give the micro-credential's code.")
        elif len(code) > mc_services.MAX_CODE_LENGTH:
            plan.problems.setdefault(code_column, []).append(
                f"A code has at most {mc_services.MAX_CODE_LENGTH} characters."
            )
        plans.append(plan)
    rows_of: dict[str, list[int]] = {}
    for plan in plans:
        if plan.code:
            rows_of.setdefault(plan.code, []).append(plan.row)
    for plan in plans:
        others = [r for r in rows_of.get(plan.code, []) if r != plan.row]
        if others:
            plan.problems.setdefault(code_column, []).append(
                f"The code '{plan.code}' is also on row(s) {', '.join(map(str, others))}: each code once per file."
            )
    latest = _latest_versions(job.organisation, list(rows_of))
    for number, plan in enumerate(plans, start=1):
        _validate(plan, latest.get(plan.code), columns)
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
    return plans


def _outcome_texts(version: MicroCredentialVersion) -> list[str]:
    return [o.text for o in version.learning_outcomes.all()]


def _validate(plan: RowPlan, existing: MicroCredentialVersion | None, columns: Mapping[str, str]) -> None:
    data = dict(plan.data)
    if existing is None and not str(data.get("title", "")).strip():
        plan.problems.setdefault(columns.get("title", "title"), []).append("Give a title.")
    if existing is None:
        base = MicroCredentialVersion(number=1)
    else:
        base = MicroCredentialVersion(
            number=existing.number, **{n: getattr(existing, n) for n in DESCRIPTIVE_FIELDS}
        )
    if "learning_outcomes" in data:
        data["learning_outcomes"] = [{"text": text} for text in data["learning_outcomes"]]
    try:
        candidate, parts = mc_services._validated_document(base, data, existing_parts=False)
    except ValidationError as error:
        for path, messages in mc_services._messages(error).items():
            plan.problems.setdefault(_where(path, columns), []).extend(messages)
        candidate, parts = base, {}
    if plan.problems:
        plan.action = ERROR
        return
    plan.candidate = candidate
    plan.outcomes = [p.instance for p in parts.get("learning_outcomes", [])]
    plan.existing = existing
    if existing is None:
        plan.action = CREATE
        plan.changed = sorted(plan.data)
        return
    changed = [
        n for n in plan.data if n in DESCRIPTIVE_FIELDS and getattr(candidate, n) != getattr(existing, n)
    ]
    if "learning_outcomes" in plan.data and plan.data["learning_outcomes"] != _outcome_texts(existing):
        changed.append("learning_outcomes")
    plan.changed = sorted(changed)
    if not changed:
        plan.action = UNCHANGED
    elif existing.status == VersionStatus.DRAFT:
        plan.action = UPDATE
    else:
        plan.action = NEW_VERSION


def _counts(plans: list[RowPlan]) -> dict[str, int]:
    counts = {action: 0 for action in ACTION_LABELS}
    for plan in plans:
        counts[plan.action] += 1
    return counts


def _set_progress(job: ImportJob, done: int, total: int, share: int = 80) -> None:
    job.progress = min(99, int(done * share / max(total, 1)))
    ImportJob.objects.filter(pk=job.pk).update(progress=job.progress)


def preview_import(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Plan every row and keep the result on the job: per row, what will happen and every problem."""
    if actor is not None:
        require(actor, "interop.import_catalogue", job)
    _require_open(job)
    problems = mapping_problems(job.mapping)
    if problems:
        raise ValidationError({"mapping": problems})
    try:
        table = _read_job_table(job)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    plans = plan_rows(job, table)
    job.report = [p.report() for p in plans]
    job.counts = _counts(plans)
    job.total_rows = len(plans)
    job.status = ImportStatus.PREVIEWED
    job.save(update_fields=["report", "counts", "total_rows", "status"])
    return job


# --- importing -----------------------------------------------------------------------------------------


def _clean_provenance(as_approved: bool, provenance: Mapping[str, Any]) -> dict[str, str]:
    if not as_approved:
        return {}
    source = str(provenance.get("source_system", "") or "").strip()[:200]
    approved_on = provenance.get("approved_on") or ""
    errors: dict[str, str] = {}
    if not source:
        errors["source_system"] = "Name the system or body that approved these records."
    if isinstance(approved_on, str):
        try:
            approved_on = dt.date.fromisoformat(approved_on.strip()) if approved_on.strip() else None
        except ValueError:
            errors["approved_on"] = "Give the date of the original approval as YYYY-MM-DD."
    if approved_on is None:
        errors.setdefault("approved_on", "Give the date of the original approval.")
    elif isinstance(approved_on, dt.date) and approved_on > timezone.localdate():
        errors["approved_on"] = "The original approval cannot be in the future."
    if errors:
        raise ValidationError(errors)
    return {"source_system": source, "approved_on": approved_on.isoformat()}  # type: ignore[union-attr]


@transaction.atomic
def queue_import(
    *,
    actor: User | None,
    job: ImportJob,
    mode: str = ImportMode.ALL_OR_NOTHING,
    as_approved: bool = False,
    provenance: Mapping[str, Any] | None = None,
    background: bool = True,
) -> ImportJob:
    """Settle how to import and hand the job to a background worker (run at once when there is none).
    With `background=False` the caller runs it (`run_import`), as the command line does."""
    if actor is not None:
        require(actor, "interop.import_catalogue", job)
        if as_approved:
            require(actor, "interop.import_approved", job)
    _require_open(job)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": f"Choose one of {', '.join(ImportMode.values)}."})
    problems = mapping_problems(job.mapping)
    if problems:
        raise ValidationError({"mapping": problems})
    job.mode = mode
    job.as_approved = as_approved
    job.provenance = _clean_provenance(as_approved, provenance or {})
    job.status = ImportStatus.QUEUED
    job.progress = 0
    job.save(update_fields=["mode", "as_approved", "provenance", "status", "progress"])
    if background:
        from .tasks import run_import_job

        actor_id = actor.pk if actor is not None and actor.pk else None
        transaction.on_commit(lambda: run_import_job.delay(job.pk, actor_id))
    return job


def run_import(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Import a queued job (the worker's part): plan every row, then write in one transaction: every
    row, or none when the mode is all-or-nothing and a row has a problem; or only the valid rows."""
    job = ImportJob.objects.select_related("organisation").get(pk=job.pk)
    if actor is not None:
        require(actor, "interop.import_catalogue", job)
        if job.as_approved:
            require(actor, "interop.import_approved", job)
    # Claim the job: whoever moves it from queued to running runs it, once.
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, progress=0
    ):
        job.refresh_from_db()
        return job
    try:
        table = _read_job_table(job)
        plans = plan_rows(job, table, progress=lambda done: _set_progress(job, done, len(table.rows)))
        bad = [p for p in plans if p.action == ERROR]
        if bad and job.mode == ImportMode.ALL_OR_NOTHING:
            return _finish(
                job,
                plans,
                ImportStatus.FAILED,
                f"Nothing was imported: {len(bad)} row(s) have problems. Fix them, or import the valid rows only.",
            )
        _write(actor, job, plans)
    except ImportFileError as error:
        return _finish(job, [], ImportStatus.FAILED, f"Nothing was imported: {error}")
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(
            job, [], ImportStatus.FAILED, "Nothing was imported: the import stopped on an unexpected error."
        )
        raise
    counts = _counts(plans)
    written = counts[CREATE] + counts[UPDATE] + counts[NEW_VERSION]
    skipped = f"; {counts[ERROR]} row(s) with problems were left out" if counts[ERROR] else ""
    return _finish(
        job,
        plans,
        ImportStatus.DONE,
        f"Imported {written} micro-credential(s), {counts[UNCHANGED]} unchanged{skipped}.",
    )


def _finish(job: ImportJob, plans: list[RowPlan], status: str, message: str) -> ImportJob:
    job.status = status
    job.message = message
    job.progress = 100
    job.finished_at = timezone.now()
    if plans:
        job.report = [p.report() for p in plans]
        job.counts = _counts(plans)
    job.save(update_fields=["status", "message", "progress", "finished_at", "report", "counts"])
    return job


def _approval(job: ImportJob) -> tuple[dt.datetime, dict[str, Any]]:
    approved_on = dt.date.fromisoformat(job.provenance["approved_on"])
    when = timezone.make_aware(dt.datetime.combine(approved_on, dt.time(12)))
    return when, {**job.provenance, "import_job": job.pk, "file": job.filename}


@transaction.atomic
def _write(actor: User | None, job: ImportJob, plans: list[RowPlan]) -> None:
    organisation = job.organisation
    creates = [p for p in plans if p.action == CREATE]
    user = actor if actor is not None and actor.pk else None
    status = VersionStatus.APPROVED if job.as_approved else VersionStatus.DRAFT
    approved_at, provenance = _approval(job) if job.as_approved else (None, {})
    micro_credentials = [MicroCredential(organisation=organisation, code=p.code) for p in creates]
    bulk_create_with_history(micro_credentials, MicroCredential, batch_size=1000, default_user=user)
    if creates and micro_credentials[0].pk is None:  # a backend that returns no ids: read them back
        ids = dict(
            MicroCredential.objects.filter(
                organisation=organisation, code__in=[p.code for p in creates]
            ).values_list("code", "pk")
        )
        for mc in micro_credentials:
            mc.pk = ids[mc.code]
    versions: list[MicroCredentialVersion] = []
    for plan, mc in zip(creates, micro_credentials, strict=True):
        version = plan.candidate
        assert version is not None
        version.micro_credential = mc
        version.status = status
        version.created_by = user
        if job.as_approved:
            version.approved_at, version.approved_by = approved_at, user
        versions.append(version)
    bulk_create_with_history(versions, MicroCredentialVersion, batch_size=1000, default_user=user)
    if versions and versions[0].pk is None:
        ids = dict(
            MicroCredentialVersion.objects.filter(micro_credential__in=micro_credentials).values_list(
                "micro_credential_id", "pk"
            )
        )
        for v in versions:
            v.pk = ids[v.micro_credential_id]
    outcomes: list[LearningOutcome] = []
    for plan, version in zip(creates, versions, strict=True):
        for order, outcome in enumerate(plan.outcomes, start=1):
            outcome.version = version
            outcome.order = order
            outcomes.append(outcome)
    # The outcomes' own history starts at their first change: their creation is in the record's audit
    # event (with every outcome's text), and writing a history row for each would double the insert.
    LearningOutcome.objects.bulk_create(outcomes, batch_size=2000)
    _set_progress(job, 90, 100, share=100)
    events = [
        PendingEvent(
            action="microcredential.imported",
            obj=mc,
            organisation=organisation,
            changes=_created_changes(plan, status, job, provenance),
        )
        for plan, mc in zip(creates, micro_credentials, strict=True)
    ]
    record_events(actor=user, events=events)
    for plan in plans:
        if plan.action in (UPDATE, NEW_VERSION):
            _update_existing(user, job, plan, provenance, approved_at)
    record_event(
        actor=user,
        action="import.completed",
        obj=job,
        organisation=organisation,
        changes={
            "counts": [None, _counts(plans)],
            "mode": [None, job.mode],
            "as_approved": [None, job.as_approved],
        }
        | ({"provenance": [None, provenance]} if provenance else {}),
    )


def _created_changes(
    plan: RowPlan, status: str, job: ImportJob, provenance: Mapping[str, Any]
) -> dict[str, Any]:
    candidate = plan.candidate
    assert candidate is not None
    changes: dict[str, Any] = {
        "code": [None, plan.code],
        "status": [None, status],
        "import_job": [None, job.pk],
        "row": [None, plan.row],
    }
    for name in plan.data:
        if name in DESCRIPTIVE_FIELDS:
            value = getattr(candidate, name)
            changes[name] = [
                None,
                value if not isinstance(value, Decimal) else format(value.normalize(), "f"),
            ]
    if plan.outcomes:
        changes["learning_outcomes"] = [None, [o.text for o in plan.outcomes]]
    if provenance:
        changes["provenance"] = [None, dict(provenance)]
    return changes


def _update_existing(
    user: User | None,
    job: ImportJob,
    plan: RowPlan,
    provenance: Mapping[str, Any],
    approved_at: dt.datetime | None,
) -> None:
    existing = plan.existing
    assert existing is not None
    data = {k: v for k, v in plan.data.items() if k in DESCRIPTIVE_FIELDS}
    if "learning_outcomes" in plan.data:
        data["learning_outcomes"] = [{"text": t} for t in plan.data["learning_outcomes"]]
    version = existing
    if plan.action == NEW_VERSION:
        version = mc_services.start_new_version(actor=user, micro_credential=existing.micro_credential)
    version = mc_services.update_draft(actor=user, version=version, data=data, lock_version=None)
    if job.as_approved:
        version.status = VersionStatus.APPROVED
        version.approved_at, version.approved_by = approved_at, user
        version.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        record_event(
            actor=user,
            action="version.approved_elsewhere",
            obj=version,
            organisation=job.organisation,
            changes={"status": ["draft", "approved"], "provenance": [None, dict(provenance)]},
        )


# --- the command line ----------------------------------------------------------------------------------


def import_file(
    *,
    actor: User | None,
    organisation: Organisation,
    upload: File,
    source: str = "",
    dry_run: bool = False,
    mode: str = ImportMode.ALL_OR_NOTHING,
    as_approved: bool = False,
    provenance: Mapping[str, Any] | None = None,
) -> ImportJob:
    """Upload and map (the saved or guessed mapping), then preview (`dry_run`) or import, in one call.
    The import plans every row itself (with the same checks as the preview), so it is not previewed first."""
    job = start_import(actor=actor, organisation=organisation, upload=upload, source=source)
    job = set_mapping(actor=actor, job=job, columns=job.mapping)
    if dry_run:
        return preview_import(actor=actor, job=job)
    job = queue_import(
        actor=actor, job=job, mode=mode, as_approved=as_approved, provenance=provenance, background=False
    )
    return run_import(actor=actor, job=job)
