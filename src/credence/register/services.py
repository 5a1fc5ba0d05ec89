"""Every write to the register: agency profiles and activities, QA reports (from DEQAR-shaped packages,
single or as a CSV batch), report files, withdrawal, and jurisdictions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from credence.audit.services import field_changes, record_event, snapshot
from credence.errors import StaleWrite
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, OrganisationKind, User

from .csv_format import read_csv
from .models import (
    AgencyActivity,
    AgencyProfile,
    Jurisdiction,
    QAReport,
    ReportedProvision,
    ReportFile,
    ReportLink,
    ReportUpdate,
)
from .submission import FilePart, ReportPackage, pdf_problem, read_package

PROFILE_FIELDS = (
    "deqar_agency_id",
    "is_registered",
    "registration_start",
    "registration_valid_to",
    "registration_note",
    "geographical_focus",
    "focus_countries",
    "reports_link",
)
ACTIVITY_FIELDS = (
    "deqar_id",
    "group_id",
    "name",
    "activity_type",
    "local_identifier",
    "description",
    "valid_from",
    "valid_to",
)
REPORT_FIELDS = (
    "local_identifier",
    "status",
    "decision",
    "summary",
    "other_comment",
    "valid_from",
    "valid_to",
)
JURISDICTION_FIELDS = ("code", "name", "approaches", "note", "source", "as_of")


def _actor_label(actor: User | None) -> str:
    return actor.get_username() if actor is not None and actor.pk else "system"


def _require_agency(organisation: Organisation, field: str = "organisation") -> None:
    if organisation.kind != OrganisationKind.QA_AGENCY:
        raise ValidationError({field: f"{organisation} is not a QA agency."})


# --- agencies ---------------------------------------------------------------------------------------------


@transaction.atomic
def set_agency_profile(
    *, actor: User | None, agency: Organisation, lock_version: int | None = None, **fields: Any
) -> AgencyProfile:
    """Create or change a QA agency's register profile (registration period, focus)."""
    if actor is not None:
        require(actor, "register.manage_agency", agency)
    _require_agency(agency)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({k: "Unknown field." for k in sorted(unknown)})
    profile = AgencyProfile.objects.select_for_update().filter(organisation=agency).first()
    created = profile is None
    if profile is None:
        profile = AgencyProfile(organisation=agency)
    elif lock_version is not None and lock_version != profile.lock_version:
        raise StaleWrite(profile, lock_version, profile.lock_version)
    before = {} if created else snapshot(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["organisation"])
    changes = field_changes(before, snapshot(profile, PROFILE_FIELDS))
    if changes or created:
        if not created:
            profile.lock_version += 1
        profile.save()
        record_event(
            actor=actor,
            action="register.agency_profile_created" if created else "register.agency_profile_updated",
            obj=profile,
            organisation=agency,
            changes=changes,
        )
    return profile


@transaction.atomic
def add_agency_activity(*, actor: User | None, agency: Organisation, **fields: Any) -> AgencyActivity:
    if actor is not None:
        require(actor, "register.manage_agency", agency)
    _require_agency(agency)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValidationError({k: "Unknown field." for k in sorted(unknown)})
    activity = AgencyActivity(organisation=agency, **fields)
    activity.full_clean(exclude=["organisation"])
    activity.save()
    record_event(
        actor=actor,
        action="register.activity_added",
        obj=activity,
        organisation=agency,
        changes=field_changes({}, snapshot(activity, ACTIVITY_FIELDS)),
    )
    return activity


# --- reports ----------------------------------------------------------------------------------------------


def _store_file(report: QAReport, part: FilePart) -> ReportFile:
    row = ReportFile(
        report=report,
        display_name=part.display_name,
        original_location=part.original_location,
        file_name=part.file_name,
        languages=part.languages,
    )
    if part.content is not None:
        row.size = len(part.content)
        row.sha256 = part.sha256
        name = get_valid_filename(part.file_name or "report.pdf")
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        row.file.save(name, ContentFile(part.content), save=False)
    row.save()
    return row


def _report_state(report: QAReport) -> dict[str, Any]:
    state = snapshot(report, REPORT_FIELDS)
    state["contributing_agencies"] = sorted(str(o) for o in report.contributing_agencies.all())
    state["activities"] = sorted(str(a) for a in report.activities.all())
    state["providers"] = sorted(str(o) for o in report.providers.all())
    state["platforms"] = sorted(str(o) for o in report.platforms.all())
    state["programmes"] = [p.name_primary for p in report.provisions.all()]
    state["links"] = [link.link for link in report.links.all()]
    return state


def _write_package(actor: User | None, package: ReportPackage) -> QAReport:
    report = package.report
    created = report is None
    before: dict[str, Any] = {}
    if report is None:
        report = QAReport(
            organisation=package.agency, created_by=actor if actor is not None and actor.pk else None
        )
    else:
        report = QAReport.objects.select_for_update().get(pk=report.pk)
        if report.is_withdrawn:
            raise ValidationError({"report_id": "This report was withdrawn; it can no longer be changed."})
        before = _report_state(report)
        report.lock_version += 1
    for name in REPORT_FIELDS:
        setattr(report, name, getattr(package, name))
    report.full_clean(exclude=["organisation", "created_by"])
    report.save()
    report.contributing_agencies.set(package.contributing_agencies)
    report.activities.set(package.activities)
    report.providers.set(package.providers)
    report.platforms.set(package.platforms)
    # Programmes belong to the report (as in DEQAR): an update replaces them; links likewise.
    report.provisions.all().delete()
    for order, part in enumerate(package.provisions, start=1):
        provision = ReportedProvision(
            report=report, order=order, micro_credential=part.micro_credential, **part.fields
        )
        try:
            provision.full_clean(exclude=["report"])
        except ValidationError as error:
            raise ValidationError(
                {f"programmes[{order - 1}].{k}": v for k, v in error.message_dict.items()}
            ) from None
        provision.save()
    report.links.all().delete()
    for link in package.links:
        ReportLink.objects.create(report=report, link=link["link"], display_name=link["display_name"])
    # Files are never removed: a resubmission adds the files not already stored.
    known = {(f.original_location, f.sha256) for f in report.files.all()}
    for file_part in package.files:
        if (file_part.original_location, file_part.sha256) not in known:
            _store_file(report, file_part)
    _link_platforms(package)
    after = _report_state(report)
    changes = field_changes(before, after)
    ReportUpdate.objects.create(
        report=report,
        by=_actor_label(actor),
        note="Report created." if created else "Report updated.",
        changes=changes,
    )
    record_event(
        actor=actor,
        action="register.report_created" if created else "register.report_updated",
        obj=report,
        organisation=package.agency,
        changes=changes,
    )
    return report


def _link_platforms(package: ReportPackage) -> None:
    """As DEQAR does: a report naming a platform records that the platform is an educational platform of
    each provider (the platform the parent). A side effect of the agency's report, so no one's permission
    over the two organisations is asked."""
    from credence.organisations.models import OrganisationRelationship, RelationshipType
    from credence.organisations.services import add_relationship

    for platform in package.platforms:
        for provider in package.providers:
            exists = OrganisationRelationship.objects.filter(
                parent=platform, child=provider, relationship_type=RelationshipType.EDUCATIONAL_PLATFORM
            ).exists()
            if not exists:
                add_relationship(
                    actor=None,
                    parent=platform,
                    child=provider,
                    relationship_type=RelationshipType.EDUCATIONAL_PLATFORM,
                    note=f"Recorded from a QA report by {package.agency.acronym or package.agency}.",
                    valid_from=package.valid_from,
                )


@transaction.atomic
def submit_report(*, actor: User | None, package: Mapping[str, Any], update: bool = False) -> QAReport:
    """Record a QA report from a DEQAR v2 submission package (create, or `update` an existing one).

    The actor needs `register.submit_report` on the report's agency. Nothing is written unless the whole
    package is valid.
    """
    checked = read_package(package, update=update)
    if actor is not None:
        require(actor, "register.submit_report", checked.agency)
    return _write_package(actor, checked)


@transaction.atomic
def submit_csv(*, actor: User | None, text: str) -> list[QAReport]:
    """Record every report of a DEQAR CSV file, or none: errors are keyed `rows[n].<field>` (n from 1)."""
    packages = read_csv(text)
    checked: list[ReportPackage] = []
    errors: dict[str, list[str]] = {}
    denied: list[str] = []
    for number, package in enumerate(packages, start=1):
        try:
            part = read_package(package)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                path = f"rows[{number}]" if key == "__all__" else f"rows[{number}].{key}"
                errors.setdefault(path, []).extend(messages)
            continue
        if actor is not None and not _may_submit(actor, part.agency):
            denied.append(f"row {number} ({part.agency.acronym or part.agency})")
        pairs = [(c.agency.pk, c.local_identifier) for c in checked if c.local_identifier]
        if part.local_identifier and (part.agency.pk, part.local_identifier) in pairs:
            errors.setdefault(f"rows[{number}].local_identifier", []).append(
                f"Another row of this file already has local identifier '{part.local_identifier}'."
            )
        checked.append(part)
    if denied:
        raise PermissionDenied(f"You may not submit reports for the agency of {', '.join(denied)}.")
    if errors:
        raise ValidationError(errors)
    return [_write_package(actor, part) for part in checked]


def _may_submit(actor: User, agency: Organisation) -> bool:
    from credence.organisations.authorization import can

    return can(actor, "register.submit_report", agency)


@transaction.atomic
def add_report_file(
    *,
    actor: User | None,
    report: QAReport,
    content: bytes,
    file_name: str,
    display_name: str = "",
    languages: Sequence[str] = ("en",),
) -> ReportFile:
    """Attach a PDF (checked from its bytes) to a report; files are kept for good."""
    if actor is not None:
        require(actor, "register.submit_report", report)
    if not file_name.strip():
        raise ValidationError({"file_name": "Give the file's name."})
    problem = pdf_problem(content)
    if problem:
        raise ValidationError({"file": problem})
    if report.is_withdrawn:
        raise ValidationError({"file": "This report was withdrawn; it can no longer be changed."})
    from .submission import language_codes

    codes = [code.lower() for code in languages]
    bad = [code for code in codes if code not in language_codes()]
    if bad or not codes:
        raise ValidationError(
            {"languages": f"Use ISO 639 language codes ({', '.join(bad) or 'none given'})."}
        )
    part = FilePart(
        display_name=display_name, original_location="", content=content, file_name=file_name, languages=codes
    )
    row = _store_file(report, part)
    ReportUpdate.objects.create(
        report=report, by=_actor_label(actor), note=f"File added: {row}.", changes={"files": [None, str(row)]}
    )
    record_event(
        actor=actor,
        action="register.report_file_added",
        obj=report,
        organisation=report.organisation,
        changes={"files": [None, {"name": str(row), "sha256": row.sha256, "size": row.size}]},
    )
    return row


@transaction.atomic
def withdraw_report(*, actor: User | None, report: QAReport, reason: str) -> QAReport:
    """Withdraw a report: it stays in the register as history, marked withdrawn with the reason."""
    if actor is not None:
        require(actor, "register.withdraw_report", report)
    report = QAReport.objects.select_for_update().get(pk=report.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the report is withdrawn."})
    if report.is_withdrawn:
        raise ValidationError({"reason": "This report is already withdrawn."})
    report.withdrawn_at = timezone.now()
    report.withdrawal_reason = reason
    report.lock_version += 1
    report.save(update_fields=["withdrawn_at", "withdrawal_reason", "lock_version", "updated_at"])
    changes = field_changes(
        {"withdrawn_at": None, "withdrawal_reason": ""},
        {"withdrawn_at": report.withdrawn_at, "withdrawal_reason": reason},
    )
    ReportUpdate.objects.create(
        report=report, by=_actor_label(actor), note="Report withdrawn.", changes=changes
    )
    record_event(
        actor=actor,
        action="register.report_withdrawn",
        obj=report,
        organisation=report.organisation,
        changes=changes,
    )
    return report


# --- jurisdictions ----------------------------------------------------------------------------------------


@transaction.atomic
def record_jurisdiction(
    *,
    actor: User | None,
    code: str,
    name: str,
    approaches: Sequence[str],
    source: str,
    as_of: dt.date,
    note: str = "",
    lock_version: int | None = None,
) -> Jurisdiction:
    """Create a jurisdiction or record its new state; every earlier state stays in its history."""
    if actor is not None:
        require(actor, "register.manage_jurisdictions")
    jurisdiction = Jurisdiction.objects.select_for_update().filter(code=code).first()
    created = jurisdiction is None
    if jurisdiction is None:
        jurisdiction = Jurisdiction(code=code)
    elif lock_version is not None and lock_version != jurisdiction.lock_version:
        raise StaleWrite(jurisdiction, lock_version, jurisdiction.lock_version)
    before = {} if created else snapshot(jurisdiction, JURISDICTION_FIELDS)
    jurisdiction.name, jurisdiction.approaches = name, list(dict.fromkeys(approaches))
    jurisdiction.source, jurisdiction.as_of, jurisdiction.note = source, as_of, note
    jurisdiction.full_clean()
    changes = field_changes(before, snapshot(jurisdiction, JURISDICTION_FIELDS))
    if changes:
        if not created:
            jurisdiction.lock_version += 1
        jurisdiction.save()
        record_event(
            actor=actor,
            action="register.jurisdiction_created" if created else "register.jurisdiction_updated",
            obj=jurisdiction,
            changes=changes,
        )
    return jurisdiction


def load_baseline_jurisdictions(*, actor: User | None) -> list[Jurisdiction]:
    """Load seed 000's 2023 baseline (data/jurisdictions_2023.json) through `record_jurisdiction`."""
    import json
    from pathlib import Path

    data = json.loads(
        (Path(__file__).resolve().parent / "data" / "jurisdictions_2023.json").read_text("utf-8")
    )
    as_of = dt.date.fromisoformat(data["as_of"])
    return [
        record_jurisdiction(
            actor=actor,
            code=row["code"],
            name=row["name"],
            approaches=row["approaches"],
            note=row.get("note", ""),
            source=data["source"],
            as_of=as_of,
        )
        for row in data["items"]
    ]


def programme_for_micro_credential(micro_credential: Any) -> dict[str, Any]:
    """A DEQAR programme entry describing one of our published micro-credentials (its current version)."""
    version = micro_credential.published_version
    if version is None:
        raise ValidationError(
            {"micro_credential": "Only a published micro-credential can be covered by a report."}
        )
    levels = {5: "short cycle", 6: "first cycle", 7: "second cycle", 8: "third cycle"}
    ects = version.ects_workload
    outcomes = [
        skill["uri"]
        for outcome in version.learning_outcomes.all()
        for skill in outcome.skills
        if str(skill.get("uri", "")).startswith("http://data.europa.eu/esco/skill/")
    ]
    programme: dict[str, Any] = {
        "name_primary": version.title,
        "identifiers": [{"identifier": micro_credential.code, "resource": "local identifier"}],
        "degree_outcome": "no full degree",
        "qf_ehea_level": levels.get(version.eqf_level or 0, "not applicable"),
        "workload_ects": int(ects) if ects is not None and ects == int(ects) else "not applicable",
        "assessment_certification": version.assessment_certification or "no assessment and no certificate",
        "field_study": version.field_of_study,
        "learning_outcomes": list(dict.fromkeys(outcomes)),
        "micro_credential": str(micro_credential.pk),
    }
    return {k: v for k, v in programme.items() if v not in ("", None, [])}
