"""Writes for offerings, learners and enrolments. Every function checks permission, validates all of
its input before writing anything, and records an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from credence.audit.services import field_changes, record_event
from credence.microcredentials.models import FormOfParticipation, MicroCredentialVersion, VersionStatus
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from . import indicators, selectors
from .indicators import Tally
from .models import (
    Answer,
    CommentStatus,
    CyclicReview,
    Enrolment,
    EnrolmentStatus,
    Flag,
    FlagStatus,
    IndicatorValue,
    Learner,
    Offering,
    ReviewOutcome,
    ReviewSchedule,
    Survey,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
    Threshold,
)
from .questionnaires import CHOICE, SCALE, TEXT, questions

MAX_ROWS = 20_000


def email_hash(email: str, salt: str) -> str:
    return hashlib.sha256((normalise_email(email) + salt).encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _email_error(email: str) -> str | None:
    if not email:
        return "Give the learner's e-mail address."
    try:
        validate_email(email)
    except ValidationError:
        return f"'{email}' is not an e-mail address."
    return None


@transaction.atomic
def create_offering(
    *,
    actor: User | None,
    version: MicroCredentialVersion,
    code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    form_of_participation: str = "",
    capacity: int | None = None,
    price: Decimal | str | None = None,
    currency: str = "",
    instructors: str = "",
) -> Offering:
    organisation = version.micro_credential.organisation
    if actor is not None:
        require(actor, "monitoring.manage_offerings", organisation)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if version.status != VersionStatus.PUBLISHED:
        _add(errors, "version", "Only a published version can be offered.")
    if not code:
        _add(errors, "code", "Give the offering a code.")
    elif Offering.objects.filter(organisation=organisation, code=code).exists():
        _add(errors, "code", f"{organisation} already has an offering with the code '{code}'.")
    if form_of_participation and form_of_participation not in FormOfParticipation.values:
        _add(errors, "form_of_participation", "Choose one of: " + ", ".join(FormOfParticipation.values) + ".")
    amount: Decimal | None = None
    if price not in (None, ""):
        try:
            amount = Decimal(str(price))
        except InvalidOperation:
            _add(errors, "price", f"'{price}' is not an amount.")
    offering = Offering(
        organisation=organisation,
        version=version,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        form_of_participation=form_of_participation or version.form_of_participation,
        capacity=capacity,
        price=amount,
        currency=(currency or "").strip().upper(),
        instructors=(instructors or "").strip(),
    )
    try:
        offering.full_clean(exclude=["code", "version"] if errors else None)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                _add(errors, key, message)
    if errors:
        raise ValidationError(errors)
    offering.save()
    record_event(
        actor=actor,
        action="offering.created",
        obj=offering,
        organisation=organisation,
        changes=field_changes(
            {},
            {
                "version": version.pk,
                "code": code,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "form_of_participation": offering.form_of_participation,
                "capacity": capacity,
                "price": amount,
                "currency": offering.currency,
                "instructors": offering.instructors,
            },
        ),
    )
    return offering


@transaction.atomic
def enrol_learners(
    *,
    actor: User | None,
    offering: Offering,
    learners: Sequence[Mapping[str, Any]],
    enrolled_on: dt.date | None = None,
) -> list[Enrolment]:
    """Enrol people (rows with `email`, optional `name` and `external_id`); a person already enrolled
    is left as they are. A learner is matched by e-mail within the organisation, or created."""
    if actor is not None:
        require(actor, "monitoring.manage_offerings", offering)
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    wanted: list[tuple[str, Mapping[str, Any]]] = []
    if len(learners) > MAX_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_ROWS} learners at once."]})
    for index, row in enumerate(learners):
        email = normalise_email(str(row.get("email") or ""))
        message = _email_error(email)
        if message:
            _add(errors, f"rows[{index}].email", message)
            continue
        if email in seen:
            _add(errors, f"rows[{index}].email", f"{email} is already in row {seen[email] + 1}.")
            continue
        seen[email] = index
        wanted.append((email, row))
    existing = {
        e.learner.email: e
        for e in offering.enrolments.select_related("learner").filter(learner__email__in=seen)
    }
    new_count = sum(1 for email, _ in wanted if email not in existing)
    if offering.capacity is not None and offering.enrolments.count() + new_count > offering.capacity:
        _add(errors, "rows", f"The offering has room for {offering.capacity} learners; this would exceed it.")
    if errors:
        raise ValidationError(errors)
    known = {
        learner.email: learner
        for learner in Learner.objects.filter(organisation_id=offering.organisation_id, email__in=seen)
    }
    day = enrolled_on or timezone.localdate()
    created_learners: list[Learner] = []
    for email, row in wanted:
        if email in known:
            continue
        salt = secrets.token_hex(16)
        created_learners.append(
            Learner(
                organisation_id=offering.organisation_id,
                email=email,
                name=str(row.get("name") or "")[:300],
                external_id=str(row.get("external_id") or "")[:100],
                email_salt=salt,
                email_hash=email_hash(email, salt),
            )
        )
    for learner in Learner.objects.bulk_create(created_learners):
        known[learner.email] = learner
    if created_learners and created_learners[0].pk is None:  # backends that return no ids
        known = {
            learner.email: learner
            for learner in Learner.objects.filter(organisation_id=offering.organisation_id, email__in=seen)
        }
    new_enrolments = [
        Enrolment(offering=offering, learner=known[email], enrolled_on=day)
        for email, _ in wanted
        if email not in existing
    ]
    Enrolment.objects.bulk_create(new_enrolments)
    if new_enrolments:
        record_event(
            actor=actor,
            action="offering.learners_enrolled",
            obj=offering,
            organisation=offering.organisation,
            changes={
                "enrolled": [None, len(new_enrolments)],
                "learners_created": [None, len(created_learners)],
            },
        )
    return list(offering.enrolments.select_related("learner").filter(learner__email__in=seen))


@dataclass(frozen=True)
class Completion:
    """One valid row of a completion list, matched to its enrolment."""

    row: int
    enrolment: Enrolment
    passed: bool
    grade: str
    completed_on: dt.date


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def validate_completions(offering: Offering, rows: Sequence[Mapping[str, Any]]) -> list[Completion]:
    """Match a completion list to the offering's enrolments; raise one ValidationError listing every bad
    row (`rows[3].email`), or return every row matched. Writes nothing."""
    errors: dict[str, list[str]] = {}
    if not rows:
        raise ValidationError({"rows": ["The completion list is empty."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_ROWS} rows at once."]})
    enrolments = {e.learner.email: e for e in offering.enrolments.select_related("learner").all()}
    seen: dict[str, int] = {}
    found: list[Completion] = []
    for index, row in enumerate(rows):
        email = normalise_email(str(row.get("email") or ""))
        message = _email_error(email)
        if message:
            _add(errors, f"rows[{index}].email", message)
            continue
        if email in seen:
            _add(
                errors,
                f"rows[{index}].email",
                f"{email} is already in row {seen[email] + 1}: a learner is listed once.",
            )
            continue
        seen[email] = index
        enrolment = enrolments.get(email)
        if enrolment is None:
            _add(errors, f"rows[{index}].email", f"{email} is not enrolled in {offering.code}.")
            continue
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            _add(errors, f"rows[{index}].email", f"{email} withdrew from {offering.code}.")
            continue
        grade = str(row.get("grade") or "").strip()
        if len(grade) > 40:
            _add(errors, f"rows[{index}].grade", "A grade has at most 40 characters.")
        completed_raw = row.get("completed_on")
        completed_on = offering.ends_on
        if completed_raw not in (None, ""):
            try:
                completed_on = _parse_date(completed_raw) or offering.ends_on
            except ValueError:
                _add(
                    errors,
                    f"rows[{index}].completed_on",
                    f"'{completed_raw}' is not a date (use YYYY-MM-DD).",
                )
        found.append(
            Completion(row=index, enrolment=enrolment, passed=True, grade=grade, completed_on=completed_on)
        )
    if errors:
        raise ValidationError(errors)
    return found


@transaction.atomic
def record_completions(*, actor: User | None, offering: Offering, completions: Sequence[Completion]) -> int:
    """Mark the matched enrolments completed and passed; return how many changed."""
    if actor is not None:
        require(actor, "monitoring.manage_offerings", offering)
    changed: list[Enrolment] = []
    for completion in completions:
        enrolment = completion.enrolment
        before = (enrolment.status, enrolment.passed, enrolment.grade, enrolment.completed_on)
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.passed = completion.passed
        enrolment.grade = completion.grade
        enrolment.completed_on = completion.completed_on
        if before != (enrolment.status, enrolment.passed, enrolment.grade, enrolment.completed_on):
            changed.append(enrolment)
    # One UPDATE per distinct (grade, date), in chunks: far quicker than bulk_update's CASE per row.
    groups: dict[tuple[bool | None, str, dt.date | None], list[int]] = {}
    for enrolment in changed:
        groups.setdefault((enrolment.passed, enrolment.grade, enrolment.completed_on), []).append(
            enrolment.pk
        )
    for (passed, grade, completed_on), ids in groups.items():
        for start in range(0, len(ids), 500):
            Enrolment.objects.filter(pk__in=ids[start : start + 500]).update(
                status=EnrolmentStatus.COMPLETED, passed=passed, grade=grade, completed_on=completed_on
            )
    if changed:
        record_event(
            actor=actor,
            action="offering.completions_recorded",
            obj=offering,
            organisation=offering.organisation,
            changes={"completed": [None, [e.learner_id for e in changed]]},
        )
    return len(changed)


@transaction.atomic
def withdraw_learner(*, actor: User | None, enrolment: Enrolment) -> Enrolment:
    if actor is not None:
        require(actor, "monitoring.manage_offerings", enrolment.offering)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise ValidationError({"status": ["A learner who completed the offering cannot withdraw from it."]})
    before = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="enrolment.withdrawn",
        obj=enrolment,
        organisation=enrolment.offering.organisation,
        changes={"status": [before, enrolment.status]},
    )
    return enrolment


# === results import ========================================================================================

IMPORT_FIELDS: dict[str, str] = {
    "offering": "Offering code",
    "external_id": "Student record id",
    "name": "Name",
    "email": "E-mail address",
    "status": "Status",
    "passed": "Passed",
    "grade": "Grade",
    "enrolled_on": "Enrolled on",
    "started_on": "Started on",
    "withdrawn_on": "Withdrawn on",
    "completed_on": "Completed on",
}
REQUIRED_FIELDS = ("external_id", "status")
STATUSES = frozenset(EnrolmentStatus.values)
# An import checks the shape of an address only (one @, a dot in the domain, no spaces): Django's full
# validator costs more than the rest of a row's checks together, on 100,000 rows.
_LOOKS_LIKE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_IMPORT_ROWS = 200_000
_YES = {"yes", "y", "true", "1", "pass", "passed"}
_NO = {"no", "n", "false", "0", "fail", "failed"}
_HEADER_GUESSES = {
    "offering": "offering",
    "offeringcode": "offering",
    "cohort": "offering",
    "externalid": "external_id",
    "studentid": "external_id",
    "studentnumber": "external_id",
    "learnerid": "external_id",
    "id": "external_id",
    "name": "name",
    "fullname": "name",
    "email": "email",
    "e-mail": "email",
    "emailaddress": "email",
    "status": "status",
    "passed": "passed",
    "result": "passed",
    "grade": "grade",
    "enrolledon": "enrolled_on",
    "enrolled": "enrolled_on",
    "startedon": "started_on",
    "started": "started_on",
    "withdrawnon": "withdrawn_on",
    "withdrawn": "withdrawn_on",
    "completedon": "completed_on",
    "completed": "completed_on",
}


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """A first guess at column -> field from the column names (the user confirms it)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in header:
        key = "".join(str(column).lower().split()).replace("_", "")
        field = _HEADER_GUESSES.get(key, "")
        if field and field not in taken:
            mapping[str(column)] = field
            taken.add(field)
        else:
            mapping[str(column)] = ""
    return mapping


@dataclass
class ImportReport:
    rows: int = 0
    offerings: int = 0
    learners_created: int = 0
    enrolments_created: int = 0
    enrolments_updated: int = 0
    unchanged: int = 0
    flags: list[Any] | None = None


@dataclass
class _Row:
    index: int
    offering_id: int
    external_id: str
    name: str
    email: str
    status: str
    passed: bool | None
    grade: str
    enrolled_on: dt.date
    started_on: dt.date | None
    withdrawn_on: dt.date | None
    completed_on: dt.date | None


def _as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _check_mapping(mapping: Mapping[str, str], header: Sequence[str], offering: Offering | None) -> None:
    errors: dict[str, list[str]] = {}
    used: dict[str, str] = {}
    for column, field in mapping.items():
        if not field:
            continue
        if column not in header:
            _add(errors, "mapping", f"There is no column '{column}' in the file.")
        elif field not in IMPORT_FIELDS:
            _add(errors, f"mapping.{column}", f"'{field}' is not a field you can import.")
        elif field in used:
            _add(errors, f"mapping.{column}", f"Both '{used[field]}' and '{column}' are mapped to {field}.")
        else:
            used[field] = column
    for field in REQUIRED_FIELDS + (() if offering is not None else ("offering",)):
        if field not in used:
            _add(errors, "mapping", f"Choose the column that holds the {IMPORT_FIELDS[field].lower()}.")
    if errors:
        raise ValidationError(errors)


def _validate_rows(
    organisation: Organisation,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    mapping: Mapping[str, str],
    offering: Offering | None,
) -> list[_Row]:
    """Every row checked before anything is written; one error per bad cell, naming line and column."""
    position = {field: header.index(column) for column, field in mapping.items() if field}
    column_of = {field: column for column, field in mapping.items() if field}
    offerings: dict[str, Offering] = {}
    if offering is None:
        codes = {
            str(row[position["offering"]] or "").strip() for row in rows if len(row) > position["offering"]
        }
        offerings = {
            o.code: o for o in Offering.objects.filter(organisation=organisation, code__in=codes - {""})
        }
    errors: dict[str, list[str]] = {}
    found: list[_Row] = []
    seen: dict[tuple[int, str], int] = {}
    emails: dict[str, tuple[str, int]] = {}

    for index, raw in enumerate(rows):
        line = index + 2  # the header is line 1

        def cell(field: str, _raw: Sequence[Any] = raw) -> Any:
            at = position.get(field)
            if at is None or at >= len(_raw):
                return None
            value = _raw[at]
            return value.strip() if isinstance(value, str) else value

        def bad(field: str, reason: str, _line: int = line, _index: int = index) -> None:
            _add(
                errors,
                f"rows[{_index}].{field}",
                f"Line {_line}, column '{column_of.get(field, field)}': {reason}",
            )

        row_ok = True
        target = offering
        if target is None:
            code = str(cell("offering") or "")
            target = offerings.get(code)
            if target is None:
                bad(
                    "offering",
                    f"there is no offering '{code}' in {organisation}."
                    if code
                    else "give the offering code.",
                )
                row_ok = False
        external_id = str(cell("external_id") or "")
        if not external_id:
            bad("external_id", "give the learner's student record id.")
            row_ok = False
        elif len(external_id) > 100:
            bad("external_id", "a student record id has at most 100 characters.")
            row_ok = False
        name = str(cell("name") or "")
        if len(name) > 300:
            bad("name", "a name has at most 300 characters.")
            row_ok = False
        email = normalise_email(str(cell("email") or ""))
        if email:
            if not _LOOKS_LIKE_EMAIL.match(email) or len(email) > 254:
                bad("email", f"'{email}' is not an e-mail address.")
                row_ok = False
            elif email in emails and emails[email][0] != external_id:
                bad(
                    "email",
                    f"{email} is also given for student {emails[email][0]} on line {emails[email][1]}.",
                )
                row_ok = False
            else:
                emails[email] = (external_id, line)
        status = str(cell("status") or "").lower()
        if status not in STATUSES:
            bad(
                "status", f"'{status}' is not a status; use one of " + ", ".join(EnrolmentStatus.values) + "."
            )
            row_ok = False
        passed_raw = str(cell("passed") if cell("passed") is not None else "").strip().lower()
        passed: bool | None = None
        if passed_raw in _YES:
            passed = True
        elif passed_raw in _NO:
            passed = False
        elif passed_raw:
            bad("passed", f"'{passed_raw}' is not yes or no.")
            row_ok = False
        grade = str(cell("grade") or "")
        if len(grade) > 40:
            bad("grade", "a grade has at most 40 characters.")
            row_ok = False
        dates: dict[str, dt.date | None] = {}
        for field in ("enrolled_on", "started_on", "withdrawn_on", "completed_on"):
            value = cell(field)
            try:
                dates[field] = _as_date(value)
            except ValueError:
                bad(field, f"'{value}' is not a date (use YYYY-MM-DD).")
                row_ok = False
                dates[field] = None
        if status == EnrolmentStatus.COMPLETED and row_ok and dates["completed_on"] is None:
            bad("completed_on", "a completed enrolment needs its completion date.")
            row_ok = False
        if status in STATUSES and status != EnrolmentStatus.COMPLETED and passed:
            bad("passed", "only a completed enrolment can be passed.")
            row_ok = False
        if target is not None and external_id:
            key = (target.pk, external_id)
            if key in seen:
                bad("external_id", f"student {external_id} is already on line {seen[key]} for {target.code}.")
                row_ok = False
            else:
                seen[key] = line
        if row_ok and target is not None:
            found.append(
                _Row(
                    index=index,
                    offering_id=target.pk,
                    external_id=external_id,
                    name=name,
                    email=email,
                    status=status,
                    passed=passed if status == EnrolmentStatus.COMPLETED else None,
                    grade=grade,
                    enrolled_on=dates["enrolled_on"] or target.starts_on,
                    started_on=dates["started_on"],
                    withdrawn_on=dates["withdrawn_on"],
                    completed_on=dates["completed_on"],
                )
            )
    if errors:
        raise ValidationError(errors)
    return found


def _insert(model: Any, objects: Sequence[Any], field_names: Sequence[str]) -> bool:
    """Insert many new rows: with PostgreSQL's COPY for large batches (several times faster than
    INSERT ... VALUES), else bulk_create. Returns True when the rows' ids were not read back."""
    if connection.vendor != "postgresql" or len(objects) < 2000:
        model.objects.bulk_create(objects, batch_size=2000)
        return False
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for obj in objects:
            copy.write_row([getattr(obj, field.attname) for field in fields])
    return True


def _chunks(items: Sequence[Any], size: int = 5000) -> Any:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _values_in(queryset: Any, field: str, values: Sequence[Any], fields: Sequence[str]) -> Any:
    """`queryset.filter(<field>__in=values).values_list(*fields)` for many values: on PostgreSQL one array
    parameter (`= ANY(%s)`), which plans and binds far faster than thousands of placeholders."""
    if not values:
        return
    if connection.vendor == "postgresql":
        model = queryset.model
        column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.get_field(field).column)}"
        where = [f"{column} = ANY(%s)"]  # names from the model, values bound as one parameter
        yield from queryset.extra(where=where, params=[list(values)]).values_list(*fields)  # noqa: S610
        return
    for chunk in _chunks(list(values)):
        yield from queryset.filter(**{f"{field}__in": chunk}).values_list(*fields)


def _check_email_owners(
    organisation: Organisation, rows: Sequence[_Row], known: Mapping[str, tuple[int, str, str, str]]
) -> None:
    """An e-mail address given for a student must not belong to another student of the organisation.
    Only addresses that are new to their student are looked up."""
    by_email = {
        row.email: row
        for row in rows
        if row.email and (known.get(row.external_id) or (0, "", "", ""))[2] != row.email
    }
    errors: dict[str, list[str]] = {}
    for email, external_id in _values_in(
        Learner.objects.filter(organisation=organisation), "email", list(by_email), ("email", "external_id")
    ):
        row = by_email[email]
        if external_id and external_id != row.external_id:
            _add(
                errors,
                f"rows[{row.index}].email",
                f"Line {row.index + 2}: {email} belongs to student {external_id}, not {row.external_id}.",
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def import_results(
    *,
    actor: User | None,
    organisation: Organisation,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    mapping: Mapping[str, str],
    offering: Offering | None = None,
    file_name: str = "",
) -> ImportReport:
    """Import enrolments and results (from a student system or LMS export). All rows are checked first;
    any bad row refuses the whole file. Learners are matched by student record id within the
    organisation and enrolments by offering and learner, so importing the same file again updates."""
    if actor is not None:
        require(actor, "monitoring.manage_offerings", offering or organisation)
    if offering is not None and offering.organisation_id != organisation.pk:
        raise ValidationError({"offering": ["The offering belongs to another organisation."]})
    header = [str(column) for column in header]
    if not rows:
        raise ValidationError({"rows": ["The file has no rows after its header."]})
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError({"rows": [f"At most {MAX_IMPORT_ROWS:,} rows at once; split the file."]})
    _check_mapping(mapping, header, offering)
    found = _validate_rows(organisation, header, rows, mapping, offering)
    report = ImportReport(rows=len(found))

    # Learners: match by student record id, else adopt one known by e-mail that has no id yet. Rows are
    # read as tuples (not model instances) and objects are built only for what changes: this path runs
    # for every row of a 100,000-row file.
    known: dict[str, tuple[int, str, str, str]] = {}  # external id -> (pk, name, email, salt)
    ids = sorted({row.external_id for row in found})
    for pk, external_id, name, email, salt in _values_in(
        Learner.objects.filter(organisation=organisation),
        "external_id",
        ids,
        ("pk", "external_id", "name", "email", "email_salt"),
    ):
        known[external_id] = (pk, name, email, salt)
    _check_email_owners(organisation, found, known)  # still before anything is written
    latest = {row.external_id: row for row in found}
    missing = {row.email: ext for ext, row in latest.items() if ext not in known and row.email}
    adopted: set[int] = set()
    for chunk in _chunks(list(missing)):
        for pk, name, email, salt in Learner.objects.filter(
            organisation=organisation, email__in=chunk, external_id=""
        ).values_list("pk", "name", "email", "email_salt"):
            known[missing[email]] = (pk, name, email, salt)
            adopted.add(pk)
    learner_pk: dict[str, int] = {}
    to_create: list[Learner] = []
    to_update: list[Learner] = []
    now = timezone.now()
    for external_id, row in latest.items():
        found_learner = known.get(external_id)
        if found_learner is None:
            salt = secrets.token_hex(16)
            to_create.append(
                Learner(
                    organisation=organisation,
                    external_id=external_id,
                    name=row.name,
                    email=row.email,
                    email_salt=salt,
                    email_hash=email_hash(row.email, salt) if row.email else "",
                    created_at=now,
                )
            )
            continue
        pk, name, email, salt = found_learner
        learner_pk[external_id] = pk
        new_name = row.name or name
        new_email = row.email or email
        if (new_name, new_email) != (name, email) or pk in adopted:
            salt = salt or secrets.token_hex(16)
            to_update.append(
                Learner(
                    pk=pk,
                    external_id=external_id,
                    name=new_name,
                    email=new_email,
                    email_salt=salt,
                    email_hash=email_hash(new_email, salt) if new_email else "",
                )
            )
    copied = _insert(
        Learner,
        to_create,
        ["organisation", "external_id", "name", "email", "email_salt", "email_hash", "created_at"],
    )
    if to_create and (copied or to_create[0].pk is None):  # COPY, or a backend that returns no ids
        learner_pk.update(
            (external_id, pk)
            for pk, external_id in _values_in(
                Learner.objects.filter(organisation=organisation),
                "external_id",
                [learner.external_id for learner in to_create],
                ("pk", "external_id"),
            )
        )
    else:
        learner_pk.update((learner.external_id, learner.pk) for learner in to_create)
    if to_update:
        Learner.objects.bulk_update(
            to_update, ["external_id", "name", "email", "email_salt", "email_hash"], batch_size=1000
        )
    report.learners_created = len(to_create)

    # Enrolments: one per offering and learner.
    fields = ("status", "passed", "grade", "enrolled_on", "started_on", "withdrawn_on", "completed_on")
    offering_ids = sorted({row.offering_id for row in found})
    existing: dict[tuple[int, int], tuple[Any, ...]] = {}  # (offering, learner) -> (pk, *fields)
    learner_ids = sorted({learner_pk[row.external_id] for row in found})
    for values in _values_in(
        Enrolment.objects.filter(offering_id__in=offering_ids),
        "learner",
        learner_ids,
        ("offering_id", "learner_id", "pk", *fields),
    ):
        existing[(values[0], values[1])] = values[2:]
    # An existing enrolment changes only in the columns the file maps (and its status); a column left
    # out of the mapping keeps what is stored, e.g. grades recorded when credentials were issued.
    mapped = [index for index, field in enumerate(fields) if field in set(mapping.values()) | {"status"}]
    passed_at = fields.index("passed")
    new: list[Enrolment] = []
    changed: list[Enrolment] = []
    for row in found:
        learner_id = learner_pk[row.external_id]
        values = (
            row.status,
            row.passed,
            row.grade,
            row.enrolled_on,
            row.started_on,
            row.withdrawn_on,
            row.completed_on,
        )
        stored = existing.get((row.offering_id, learner_id))
        if stored is None:
            new.append(
                Enrolment(
                    offering_id=row.offering_id,
                    learner_id=learner_id,
                    **dict(zip(fields, values, strict=True)),
                )
            )
            continue
        merged = list(stored[1:])
        for index in mapped:
            merged[index] = values[index]
        if row.status != EnrolmentStatus.COMPLETED:
            merged[passed_at] = None
        if tuple(merged) == tuple(stored[1:]):
            report.unchanged += 1
            continue
        changed.append(
            Enrolment(
                pk=stored[0],
                offering_id=row.offering_id,
                learner_id=learner_id,
                **dict(zip(fields, merged, strict=True)),
            )
        )
    _insert(Enrolment, new, ["offering", "learner", *fields])
    if changed:
        Enrolment.objects.bulk_update(changed, list(fields), batch_size=1000)
    report.enrolments_created = len(new)
    report.enrolments_updated = len(changed)
    report.offerings = len(offering_ids)

    record_event(
        actor=actor,
        action="monitoring.results_imported",
        obj=offering if offering is not None else organisation,
        organisation=organisation,
        changes={
            "file": [None, file_name[:200]],
            "rows": [None, report.rows],
            "offerings": [None, report.offerings],
            "learners_created": [None, report.learners_created],
            "enrolments_created": [None, report.enrolments_created],
            "enrolments_updated": [None, report.enrolments_updated],
        },
    )
    report.flags = refresh_evidence(organisation=organisation, offering_ids=offering_ids, actor=actor)
    return report


# === indicators, thresholds and flags ===================================================================

DEFAULT_THRESHOLDS = (
    ("completion_rate", "below", 60.0),
    ("learner_satisfaction", "below", 3.5),
    ("response_rate", "below", 20.0),
    ("review_overdue", "above", 0.0),
)
REVIEW_AFTER_OFFERING_DAYS = 60
REVIEW_AFTER_FLAG_DAYS = 30


def refresh_evidence(
    *, organisation: Organisation, offering_ids: Sequence[int], actor: User | None = None
) -> list[Flag]:
    """Recompute the indicators of these offerings (and of their micro-credentials by year and overall),
    refresh the review schedules, and raise flags where a threshold is crossed. Runs after every import
    and survey close, inside their transaction."""
    now = timezone.now()
    touched = list(
        Offering.objects.filter(pk__in=offering_ids)
        .values_list("version__micro_credential_id", flat=True)
        .distinct()
    )
    siblings = list(
        Offering.objects.filter(version__micro_credential_id__in=touched).values_list(
            "pk", "version__micro_credential_id", "ends_on"
        )
    )
    tallies = selectors.offering_tallies([pk for pk, _, _ in siblings])
    values: list[IndicatorValue] = []
    per_period: dict[tuple[int, str], Tally] = {}
    for pk, mc_id, ends_on in siblings:
        tally = tallies[pk]
        for key, value in indicators.compute(tally).items():
            values.append(
                IndicatorValue(
                    organisation=organisation,
                    micro_credential_id=mc_id,
                    offering_id=pk,
                    indicator=key,
                    period=str(ends_on.year),
                    value=value.value,
                    n=value.n,
                    computed_at=now,
                )
            )
        for period in (str(ends_on.year), "all"):
            per_period.setdefault((mc_id, period), Tally()).add(tally)
    for (mc_id, period), tally in per_period.items():
        for key, value in indicators.compute(tally).items():
            values.append(
                IndicatorValue(
                    organisation=organisation,
                    micro_credential_id=mc_id,
                    offering=None,
                    indicator=key,
                    period=period,
                    value=value.value,
                    n=value.n,
                    computed_at=now,
                )
            )
    IndicatorValue.objects.filter(micro_credential_id__in=touched).delete()
    _insert(
        IndicatorValue,
        values,
        ["organisation", "micro_credential", "offering", "indicator", "period", "value", "n", "computed_at"],
    )
    flags = _evaluate_offerings(organisation, list(offering_ids), tallies, actor)
    flags += refresh_review_schedules(organisation=organisation, micro_credential_ids=touched, actor=actor)
    return flags


def _thresholds(organisation: Organisation) -> list[Threshold]:
    return list(Threshold.objects.filter(organisation=organisation, active=True))


def _evaluate_offerings(
    organisation: Organisation, offering_ids: list[int], tallies: Mapping[int, Tally], actor: User | None
) -> list[Flag]:
    thresholds = [t for t in _thresholds(organisation) if t.indicator != "review_overdue"]
    if not thresholds:
        return []
    offerings = {o.pk: o for o in Offering.objects.filter(pk__in=offering_ids).select_related("version")}
    active: set[tuple[int | None, str]] = set()
    resolved: set[tuple[int | None, str, float | None]] = set()
    for flag in Flag.objects.filter(offering_id__in=offering_ids).only(
        "offering_id", "indicator", "status", "value"
    ):
        if flag.status == FlagStatus.RESOLVED:
            resolved.add((flag.offering_id, flag.indicator, flag.value))
        else:
            active.add((flag.offering_id, flag.indicator))
    raised: list[Flag] = []
    for pk in offering_ids:
        computed = indicators.compute(tallies[pk])
        offering = offerings[pk]
        for threshold in thresholds:
            value = computed.get(threshold.indicator)
            if value is None or not indicators.crosses(value.value, threshold.comparison, threshold.value):
                continue
            # One flag per offering and indicator until it is resolved; a resolved one comes back only if
            # the value changes.
            if (pk, threshold.indicator) in active or (pk, threshold.indicator, value.value) in resolved:
                continue
            definition = indicators.INDICATORS[threshold.indicator]
            raised.append(
                Flag(
                    organisation=organisation,
                    micro_credential_id=offering.version.micro_credential_id,
                    offering=offering,
                    indicator=threshold.indicator,
                    period=str(offering.ends_on.year),
                    value=value.value,
                    n=value.n,
                    message=(
                        f"{definition.label} in {offering.code} is {indicators.describe(threshold.indicator, value.value)} "
                        f"(n = {value.n}), {threshold.comparison} the threshold of "
                        f"{indicators.describe(threshold.indicator, threshold.value)}."
                    )[:500],
                    raised_at=timezone.now(),
                )
            )
    return _raise(raised, organisation, actor)


def _raise(flags: list[Flag], organisation: Organisation, actor: User | None) -> list[Flag]:
    if not flags:
        return []
    for flag in flags:
        flag.save()
    record_event(
        actor=actor,
        action="monitoring.flags_raised",
        obj=organisation,
        organisation=organisation,
        changes={"flags": [None, [f.message for f in flags]]},
    )
    _notify_flags(flags, organisation, actor)
    return flags


def _notify_flags(flags: Sequence[Flag], organisation: Organisation, actor: User | None) -> None:
    """Tell the owner of each micro-credential (who created it) and the QA office (its QA officers): one
    notification per person per evaluation, listing the flags, however many were raised at once."""
    try:
        from credence.notifications.services import notify
    except ImportError:  # the notifications app is not installed
        return
    from django.urls import reverse

    from credence.microcredentials.models import MicroCredentialVersion
    from credence.organisations.models import Membership, Role

    qa_office = [
        m.user
        for m in Membership.objects.filter(organisation=organisation, active=True).select_related("user")
        if Role.QA_OFFICER in m.roles
    ]
    owners: dict[int, Any] = {}
    for version in (
        MicroCredentialVersion.objects.filter(
            micro_credential_id__in={f.micro_credential_id for f in flags}, created_by__isnull=False
        )
        .select_related("created_by")
        .order_by("-number")
    ):
        owners[version.micro_credential_id] = version.created_by  # the first version's author wins
    audiences: dict[int, tuple[Any, list[Flag]]] = {}
    for person in qa_office:
        audiences[person.pk] = (person, list(flags))
    for flag in flags:
        owner = owners.get(flag.micro_credential_id)
        if owner is not None and owner.pk not in {p.pk for p in qa_office}:
            audiences.setdefault(owner.pk, (owner, []))[1].append(flag)
    url = reverse("monitoring:flags")
    for person, own in audiences.values():
        if len(own) == 1:
            subject = f"Monitoring flag: {own[0].message}"
        else:
            subject = f"{len(own)} monitoring flags raised for {organisation}"
        body = "\n".join(f"- {f.message}" for f in own[:50])
        if len(own) > 50:
            body += f"\n… and {len(own) - 50} more."
        notify(
            recipients=[person],
            event="monitoring.flag_raised",
            subject=subject[:200],
            body="A monitoring indicator crossed your organisation's threshold; decide whether the "
            "micro-credential needs a cyclic review.\n\n" + body,
            url=url,
            organisation=organisation,
            actor=actor,
        )


@transaction.atomic
def set_threshold(
    *,
    actor: User | None,
    organisation: Organisation,
    indicator: str,
    comparison: str,
    value: float | str,
    active: bool = True,
) -> Threshold:
    if actor is not None:
        require(actor, "monitoring.manage_thresholds", organisation)
    errors: dict[str, list[str]] = {}
    if indicator not in indicators.INDICATORS or indicator in indicators.COUNTS:
        _add(errors, "indicator", f"'{indicator}' is not an indicator a threshold can watch.")
    if comparison not in ("below", "above"):
        _add(errors, "comparison", "Choose below or above.")
    try:
        limit = float(value)
    except (TypeError, ValueError):
        _add(errors, "value", f"'{value}' is not a number.")
        limit = 0.0
    else:
        unit = indicators.INDICATORS[indicator].unit if indicator in indicators.INDICATORS else ""
        if unit == "%" and not 0 <= limit <= 100:
            _add(errors, "value", "A percentage is between 0 and 100.")
        if unit == "/5" and not 1 <= limit <= 5:
            _add(errors, "value", "A score is between 1 and 5.")
        if unit == "days" and limit < 0:
            _add(errors, "value", "A number of days cannot be negative.")
    if errors:
        raise ValidationError(errors)
    threshold = Threshold.objects.filter(organisation=organisation, indicator=indicator).first()
    before = (
        {"comparison": threshold.comparison, "value": threshold.value, "active": threshold.active}
        if threshold
        else {}
    )
    if threshold is None:
        threshold = Threshold(organisation=organisation, indicator=indicator)
    threshold.comparison, threshold.value, threshold.active = comparison, limit, active
    threshold.save()
    record_event(
        actor=actor,
        action="monitoring.threshold_set",
        obj=organisation,
        object_label=f"threshold on {indicator}",
        organisation=organisation,
        changes=field_changes(before, {"comparison": comparison, "value": limit, "active": active}),
    )
    return threshold


@transaction.atomic
def resolve_flag(*, actor: User | None, flag: Flag, resolution: str) -> Flag:
    if actor is not None:
        require(actor, "monitoring.resolve_flags", flag)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": ["Say what was done about the flag."]})
    if flag.status == FlagStatus.RESOLVED:
        raise ValidationError({"status": ["The flag is already resolved."]})
    flag.status, flag.resolution, flag.resolved_at = FlagStatus.RESOLVED, resolution[:1000], timezone.now()
    flag.save(update_fields=["status", "resolution", "resolved_at"])
    record_event(
        actor=actor,
        action="monitoring.flag_resolved",
        obj=flag,
        organisation=flag.organisation,
        changes={"status": ["open", "resolved"], "resolution": [None, flag.resolution]},
    )
    return flag


# === review schedule and cyclic reviews ===================================================================


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def refresh_review_schedules(
    *,
    organisation: Organisation,
    micro_credential_ids: Sequence[int] | None = None,
    actor: User | None = None,
) -> list[Flag]:
    """Work out when each published micro-credential's next review is due — the earliest of: the full
    review every `cadence_years` after the last one (or after publication), the end of the content's
    lifespan, the version's own next-review date, 60 days after an offering that ended since the last
    review, 30 days after an open flag — and raise a flag for reviews overdue beyond the threshold."""
    from credence.microcredentials.models import MicroCredential

    today = timezone.localdate()
    queryset = MicroCredential.objects.filter(
        organisation=organisation, published_version__isnull=False
    ).select_related("published_version")
    if micro_credential_ids is not None:
        queryset = queryset.filter(pk__in=micro_credential_ids)
    mcs = list(queryset)
    schedules = {s.micro_credential_id: s for s in ReviewSchedule.objects.filter(micro_credential__in=mcs)}
    ended: dict[int, list[dt.date]] = {}
    for mc_id, ends_on in Offering.objects.filter(
        version__micro_credential__in=mcs, ends_on__lte=today
    ).values_list("version__micro_credential_id", "ends_on"):
        ended.setdefault(mc_id, []).append(ends_on)
    first_flag: dict[int, dt.date] = {}
    for mc_id, raised_at in (
        Flag.objects.filter(micro_credential__in=mcs, status=FlagStatus.OPEN)
        .exclude(indicator="review_overdue")
        .values_list("micro_credential_id", "raised_at")
    ):
        day = timezone.localdate(raised_at)
        first_flag[mc_id] = min(day, first_flag.get(mc_id, day))
    new: list[ReviewSchedule] = []
    changed: list[ReviewSchedule] = []
    for mc in mcs:
        version = mc.published_version
        assert version is not None
        published = timezone.localdate(version.published_at) if version.published_at else today
        schedule = schedules.get(mc.pk) or ReviewSchedule(
            organisation=organisation, micro_credential=mc, next_due=today
        )
        base = schedule.last_done or published
        candidates = [
            (_add_years(base, schedule.cadence_years), f"full review every {schedule.cadence_years} years")
        ]
        if version.content_lifespan_months:
            candidates.append(
                (_add_months(published, version.content_lifespan_months), "the content's lifespan ends")
            )
        if version.next_review_date:
            candidates.append((version.next_review_date, "the review date set in the specification"))
        # the first offering that ended since the last review is the one waiting for its review
        unreviewed = [
            day for day in ended.get(mc.pk, []) if schedule.last_done is None or day > schedule.last_done
        ]
        if schedule.after_each_offering and unreviewed:
            due_after = min(unreviewed) + dt.timedelta(days=REVIEW_AFTER_OFFERING_DAYS)
            candidates.append((due_after, "an offering has ended"))
        flagged = first_flag.get(mc.pk)
        if flagged and (schedule.last_done is None or flagged >= schedule.last_done):
            candidates.append(
                (flagged + dt.timedelta(days=REVIEW_AFTER_FLAG_DAYS), "a monitoring flag was raised")
            )
        due, reason = min(candidates)
        if schedule.pk is None:
            schedule.next_due, schedule.due_reason = due, reason
            new.append(schedule)
        elif (schedule.next_due, schedule.due_reason) != (due, reason):
            schedule.next_due, schedule.due_reason = due, reason
            changed.append(schedule)
    ReviewSchedule.objects.bulk_create(new, batch_size=1000)
    ReviewSchedule.objects.bulk_update(changed, ["next_due", "due_reason"], batch_size=1000)
    _announce_due_reviews(organisation, [mc.pk for mc in mcs], actor)
    return _overdue_flags(organisation, [mc.pk for mc in mcs], actor)


def _announce_due_reviews(organisation: Organisation, mc_ids: list[int], actor: User | None) -> None:
    """Each review that has fallen due is announced once per due date: an audit event
    `monitoring.review_due` on the micro-credential, which integrations sends as the `review.due` webhook."""
    today = timezone.localdate()
    due = ReviewSchedule.objects.filter(micro_credential_id__in=mc_ids, next_due__lte=today).select_related(
        "micro_credential"
    )
    announced: list[ReviewSchedule] = []
    for schedule in due:
        if schedule.due_announced == schedule.next_due:
            continue
        record_event(
            actor=actor,
            action="monitoring.review_due",
            obj=schedule.micro_credential,
            organisation=organisation,
            changes={"next_due": [None, schedule.next_due.isoformat()], "reason": [None, schedule.due_reason]},
        )
        schedule.due_announced = schedule.next_due
        announced.append(schedule)
    ReviewSchedule.objects.bulk_update(announced, ["due_announced"], batch_size=1000)


def _overdue_flags(organisation: Organisation, mc_ids: list[int], actor: User | None) -> list[Flag]:
    threshold = Threshold.objects.filter(
        organisation=organisation, indicator="review_overdue", active=True
    ).first()
    if threshold is None:
        return []
    today = timezone.localdate()
    already = set(
        Flag.objects.filter(
            micro_credential_id__in=mc_ids,
            indicator="review_overdue",
            status__in=[FlagStatus.OPEN, FlagStatus.IN_REVIEW],
        ).values_list("micro_credential_id", flat=True)
    )
    raised = []
    for schedule in ReviewSchedule.objects.filter(
        micro_credential_id__in=mc_ids, next_due__lt=today
    ).select_related("micro_credential"):
        days = (today - schedule.next_due).days
        if schedule.micro_credential_id in already or not indicators.crosses(
            days, threshold.comparison, threshold.value
        ):
            continue
        raised.append(
            Flag(
                organisation=organisation,
                micro_credential=schedule.micro_credential,
                indicator="review_overdue",
                period=schedule.next_due.isoformat(),
                value=float(days),
                n=0,
                message=f"The review of {schedule.micro_credential.code} is {days} days overdue "
                f"(due {schedule.next_due:%d %b %Y}: {schedule.due_reason}).",
                raised_at=timezone.now(),
            )
        )
    return _raise(raised, organisation, actor)


@transaction.atomic
def set_review_cadence(
    *, actor: User | None, micro_credential: Any, cadence_years: int, after_each_offering: bool
) -> ReviewSchedule:
    if actor is not None:
        require(actor, "monitoring.manage_reviews", micro_credential)
    if not 1 <= int(cadence_years) <= 10:
        raise ValidationError({"cadence_years": ["A full review comes every 1 to 10 years."]})
    if micro_credential.published_version_id is None:
        raise ValidationError(
            {"micro_credential": ["Only a published micro-credential has a review schedule."]}
        )
    refresh_review_schedules(
        organisation=micro_credential.organisation, micro_credential_ids=[micro_credential.pk]
    )
    schedule = ReviewSchedule.objects.get(micro_credential=micro_credential)
    before = {"cadence_years": schedule.cadence_years, "after_each_offering": schedule.after_each_offering}
    schedule.cadence_years, schedule.after_each_offering = int(cadence_years), bool(after_each_offering)
    schedule.save(update_fields=["cadence_years", "after_each_offering"])
    refresh_review_schedules(
        organisation=micro_credential.organisation, micro_credential_ids=[micro_credential.pk], actor=actor
    )
    record_event(
        actor=actor,
        action="monitoring.review_cadence_set",
        obj=micro_credential,
        organisation=micro_credential.organisation,
        changes=field_changes(
            before,
            {"cadence_years": schedule.cadence_years, "after_each_offering": schedule.after_each_offering},
        ),
    )
    schedule.refresh_from_db()
    return schedule


def cyclic_review_available() -> bool:
    """Whether the governance workflow can open cyclic-review proposals (credence.workflows)."""
    try:
        from credence.workflows import services as workflows
    except ImportError:
        return False
    return hasattr(workflows, "open_cyclic_review")


@transaction.atomic
def start_cyclic_review(*, actor: User, micro_credential: Any, reason: str) -> CyclicReview:
    """Open a cyclic-review proposal in the governance workflow, pre-filled with the monitoring evidence,
    and keep the record here (its open flags move into the review)."""
    require(actor, "monitoring.manage_reviews", micro_credential)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the micro-credential is being reviewed."]})
    if CyclicReview.objects.filter(micro_credential=micro_credential, outcome="").exists():
        raise ValidationError(
            {"micro_credential": ["A cyclic review of this micro-credential is already open."]}
        )
    if not cyclic_review_available():
        raise ValidationError(
            {"micro_credential": ["The governance workflow cannot open cyclic reviews here."]}
        )
    from credence.workflows import services as workflows

    evidence = selectors.review_evidence(micro_credential)
    proposal = workflows.open_cyclic_review(
        actor=actor, micro_credential=micro_credential, evidence=evidence, reason=reason
    )
    review = CyclicReview.objects.create(
        organisation=micro_credential.organisation,
        micro_credential=micro_credential,
        reason=reason[:500],
        evidence=evidence,
        proposal_id=proposal.pk,
        started_by=actor,
        started_at=timezone.now(),
    )
    Flag.objects.filter(micro_credential=micro_credential, status=FlagStatus.OPEN).update(
        status=FlagStatus.IN_REVIEW, review=review
    )
    record_event(
        actor=actor,
        action="monitoring.cyclic_review_started",
        obj=review,
        organisation=review.organisation,
        changes={"reason": [None, review.reason], "proposal": [None, proposal.pk]},
    )
    return review


@transaction.atomic
def record_review_outcome(
    *, actor: User, review: CyclicReview, outcome: str, notes: str = ""
) -> CyclicReview:
    """Record what the cyclic review decided. The QA officer records it once the governance proposal is
    decided; the flags it took over are resolved and the next full review is counted from today."""
    require(actor, "monitoring.manage_reviews", review)
    if review.outcome:
        raise ValidationError({"outcome": ["The outcome of this review is already recorded."]})
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": ["Choose continue, change or retire."]})
    review.outcome, review.outcome_notes, review.outcome_recorded_at = (
        outcome,
        (notes or "").strip(),
        timezone.now(),
    )
    review.save(update_fields=["outcome", "outcome_notes", "outcome_recorded_at"])
    label = ReviewOutcome(outcome).label
    review.flags.exclude(status=FlagStatus.RESOLVED).update(
        status=FlagStatus.RESOLVED, resolved_at=timezone.now(), resolution=f"Cyclic review: {label.lower()}."
    )
    ReviewSchedule.objects.filter(micro_credential_id=review.micro_credential_id).update(
        last_done=timezone.localdate()
    )
    refresh_review_schedules(
        organisation=review.organisation, micro_credential_ids=[review.micro_credential_id], actor=actor
    )
    record_event(
        actor=actor,
        action="monitoring.cyclic_review_decided",
        obj=review,
        organisation=review.organisation,
        changes={"outcome": [None, outcome], "notes": [None, review.outcome_notes]},
    )
    return review


# === erasure =============================================================================================


@transaction.atomic
def erase_learner(*, actor: User | None, learner: Learner) -> Learner:
    """Remove what identifies a learner (name, e-mail and its hash, student record id). Their enrolments
    stay, so every aggregate is unchanged; credentials already issued keep their own salted recipient
    hash and signature, so they still verify. The audit event names the learner by number only."""
    if actor is not None:
        require(actor, "monitoring.erase_learners", learner)
    if learner.erased_at is not None:
        raise ValidationError({"learner": ["This learner's personal data was already erased."]})
    learner.name = learner.email = learner.external_id = learner.email_salt = learner.email_hash = ""
    learner.erased_at = timezone.now()
    learner.save(update_fields=["name", "email", "external_id", "email_salt", "email_hash", "erased_at"])
    record_event(
        actor=actor,
        action="monitoring.learner_erased",
        object_type="monitoring.learner",
        object_id=str(learner.pk),
        object_label=f"learner {learner.pk}",
        organisation=learner.organisation,
        changes={"personal_data": ["kept", "erased"]},
    )
    return learner


# === surveys =============================================================================================


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def open_survey(*, actor: User | None, offering: Offering, kind: str) -> Survey:
    if actor is not None:
        require(actor, "monitoring.manage_surveys", offering)
    if kind not in SurveyKind.values:
        raise ValidationError({"kind": ["Choose the learner, employer or graduate outcomes questionnaire."]})
    if Survey.objects.filter(offering=offering, kind=kind).exists():
        raise ValidationError({"kind": [f"{offering.code} already has a {SurveyKind(kind).label.lower()}."]})
    survey = Survey.objects.create(organisation=offering.organisation, offering=offering, kind=kind)
    record_event(
        actor=actor,
        action="monitoring.survey_opened",
        obj=survey,
        organisation=offering.organisation,
        changes={"kind": [None, kind]},
    )
    return survey


@dataclass
class Invitations:
    tokens: list[str]
    emailed: int


@transaction.atomic
def invite(
    *, actor: User | None, survey: Survey, count: int | None = None, send_emails: bool = True
) -> Invitations:
    """Make single-use links. Learner and graduate questionnaires go once to the offering's learners
    (graduates: those who completed), e-mailed to those with an address; employer questionnaires make
    `count` links to hand out. Only each link's hash is stored and nothing records who got which link,
    so a response cannot be traced back to a learner."""
    if actor is not None:
        require(actor, "monitoring.manage_surveys", survey)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"survey": ["The survey is closed."]})
    recipients: list[str] = []
    if survey.kind == SurveyKind.EMPLOYER:
        if not count or not 1 <= int(count) <= 1000:
            raise ValidationError({"count": ["Make between 1 and 1,000 links."]})
        number = int(count)
    else:
        if survey.invitations_sent:
            raise ValidationError({"survey": ["The learners were already invited to this survey."]})
        enrolments = survey.offering.enrolments.filter(learner__erased_at__isnull=True)
        if survey.kind == SurveyKind.GRADUATE:
            enrolments = enrolments.filter(status=EnrolmentStatus.COMPLETED)
        recipients = [e for e in enrolments.values_list("learner__email", flat=True)]
        number = len(recipients)
        if not number:
            raise ValidationError({"survey": ["Nobody to invite: the offering has no such learners."]})
    tokens = [secrets.token_urlsafe(24) for _ in range(number)]
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(survey=survey, token_hash=token_hash(t)) for t in tokens
    )
    survey.invitations_sent += number
    survey.save(update_fields=["invitations_sent"])
    emailed = 0
    if send_emails and recipients:
        from django.core.mail import EmailMessage, get_connection

        shuffled = list(tokens)
        secrets.SystemRandom().shuffle(shuffled)
        messages = []
        for email, token in zip(recipients, shuffled, strict=True):
            if not email:
                continue
            messages.append(
                EmailMessage(
                    f"Tell us about {survey.offering.version.title}",
                    "We would like to know how the micro-credential went for you. The questionnaire is "
                    "anonymous: your answers are not linked to you.\n\n" + survey_url(token) + "\n",
                    to=[email],
                )
            )
        emailed = get_connection().send_messages(messages) or 0
    record_event(
        actor=actor,
        action="monitoring.survey_invitations_made",
        obj=survey,
        organisation=survey.organisation,
        changes={"invitations": [None, number], "emailed": [None, emailed]},
    )
    return Invitations(tokens=tokens, emailed=emailed)


def survey_url(token: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    base = str(getattr(settings, "CREDENCE_PUBLIC_URL", "") or "").rstrip("/")
    return base + reverse("monitoring:answer", args=[token])


@transaction.atomic
def submit_response(*, token: str, answers: Mapping[str, Any]) -> SurveyResponse:
    """Record an anonymous response through a single-use link. Comments wait for moderation."""
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("survey")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise ValidationError({"token": ["This survey link is not valid."]})
    if invitation.used:
        raise ValidationError({"token": ["This survey link was already used: each link answers once."]})
    survey = invitation.survey
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"token": ["This survey is closed."]})
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []
    for question in questions(survey.kind):
        raw = str(answers.get(question.key) or "").strip()
        if not raw:
            continue
        if question.type == SCALE:
            if raw not in {"1", "2", "3", "4", "5"}:
                _add(errors, question.key, "Choose a value from 1 to 5.")
                continue
            rows.append(Answer(question=question.key, value=int(raw)))
        elif question.type == CHOICE:
            if raw not in {key for key, _ in question.choices}:
                _add(errors, question.key, "Choose one of the options.")
                continue
            rows.append(Answer(question=question.key, text=raw))
        elif question.type == TEXT:
            if len(raw) > 4000:
                _add(errors, question.key, "Keep the comment under 4,000 characters.")
                continue
            rows.append(Answer(question=question.key, text=raw, moderation=CommentStatus.PENDING))
    if not rows and not errors:
        _add(errors, "answers", "Answer at least one question.")
    if errors:
        raise ValidationError(errors)
    invitation.used = True
    invitation.save(update_fields=["used"])
    response = SurveyResponse.objects.create(survey=survey, submitted_on=timezone.localdate())
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def close_survey(*, actor: User | None, survey: Survey) -> list[Flag]:
    """Close a survey; its results join the offering's indicators and thresholds are checked."""
    if actor is not None:
        require(actor, "monitoring.manage_surveys", survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError({"survey": ["The survey is already closed."]})
    survey.status, survey.closed_at = SurveyStatus.CLOSED, timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    responses = survey.responses.count()
    record_event(
        actor=actor,
        action="monitoring.survey_closed",
        obj=survey,
        organisation=survey.organisation,
        changes={"responses": [None, responses], "invitations": [None, survey.invitations_sent]},
    )
    return refresh_evidence(organisation=survey.organisation, offering_ids=[survey.offering_id], actor=actor)


@transaction.atomic
def moderate_comment(*, actor: User | None, answer: Answer, approve: bool) -> Answer:
    survey = answer.response.survey
    if actor is not None:
        require(actor, "monitoring.moderate_comments", survey)
    if not answer.moderation:
        raise ValidationError({"answer": ["Only comments are moderated."]})
    before = answer.moderation
    answer.moderation = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    answer.save(update_fields=["moderation"])
    record_event(
        actor=actor,
        action="monitoring.comment_moderated",
        obj=survey,
        organisation=survey.organisation,
        changes={"moderation": [before, answer.moderation]},
    )
    return answer


def check_reviews() -> list[Flag]:
    """The daily job: refresh the review schedules of every organisation with published
    micro-credentials, so reviews that fell due since the last import or survey are flagged."""
    from credence.microcredentials.models import MicroCredential

    raised: list[Flag] = []
    ids = MicroCredential.objects.filter(published_version__isnull=False).values_list(
        "organisation_id", flat=True
    )
    for organisation in Organisation.objects.filter(pk__in=set(ids)).order_by("pk"):
        with transaction.atomic():
            raised += refresh_review_schedules(organisation=organisation)
    return raised
