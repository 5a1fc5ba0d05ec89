"""Reading and checking a report in DEQAR's submission shape (API v2), before anything is written.

`read_package` resolves every reference (agency, activities, providers) and applies DEQAR's validation
rules (reference section 1.5). It never writes. Every problem is collected, keyed by the path of the field
at fault (`programmes[0].workload_ects`, `institutions[1]`), and raised together as one ValidationError;
problems of the whole report go under `__all__`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from credence.microcredentials.models import MicroCredential
from credence.organisations.models import Identifier, Organisation, OrganisationKind, QFEHEALevel
from credence.organisations.vocabularies import countries

from .models import (
    NOT_APPLICABLE,
    ActivityType,
    AgencyActivity,
    AgencyProfile,
    AssessmentCertification,
    DegreeOutcome,
    QAReport,
    ReportDecision,
    ReportStatus,
)

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_ISCED_PREFIX = "http://data.europa.eu/esco/isced-f/"
PDF_MAGIC = b"%PDF-"
MAX_FILE_BYTES = 20 * 1024 * 1024
# Credence's own extension of the provider reference: `{"identifier": <slug>, "resource": "credence"}`.
CREDENCE_RESOURCE = "credence"

STATUS_IDS = {"1": ReportStatus.OBLIGATORY, "2": ReportStatus.VOLUNTARY}
DECISION_IDS = {
    "1": ReportDecision.POSITIVE,
    "2": ReportDecision.POSITIVE_WITH_CONDITIONS,
    "3": ReportDecision.NEGATIVE,
    "4": ReportDecision.NOT_APPLICABLE,
}
QF_EHEA_IDS = {
    "0": QFEHEALevel.SHORT_CYCLE,
    "1": QFEHEALevel.FIRST_CYCLE,
    "2": QFEHEALevel.SECOND_CYCLE,
    "3": QFEHEALevel.THIRD_CYCLE,
}
DEGREE_OUTCOMES = {
    "1": DegreeOutcome.FULL_DEGREE,
    "yes": DegreeOutcome.FULL_DEGREE,
    "true": DegreeOutcome.FULL_DEGREE,
    "full degree": DegreeOutcome.FULL_DEGREE,
    "2": DegreeOutcome.NO_FULL_DEGREE,
    "no": DegreeOutcome.NO_FULL_DEGREE,
    "false": DegreeOutcome.NO_FULL_DEGREE,
    "no full degree": DegreeOutcome.NO_FULL_DEGREE,
}
ASSESSMENT_IDS = {
    "1": AssessmentCertification.ATTENDANCE,
    "2": AssessmentCertification.ASSESSMENT_BASED,
    "3": AssessmentCertification.NONE,
}
BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and 639-2 (terminology and bibliographic) codes, lower case."""
    codes: set[str] = set()
    for language in pycountry.languages:
        for attribute in ("alpha_2", "alpha_3", "bibliographic"):
            value = getattr(language, attribute, None)
            if value:
                codes.add(value.lower())
    return frozenset(codes)


def country_code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 or alpha-3 code (or DEQAR's sub-national codes) as our alpha-2 code."""
    known = countries()
    for candidate in (value, value.upper()):
        if candidate in known:
            return candidate
    if len(value) == 3:
        country = pycountry.countries.get(alpha_3=value.upper())
        if country is not None and country.alpha_2 in known:
            return str(country.alpha_2)
    return None


@dataclass
class FilePart:
    display_name: str
    original_location: str
    content: bytes | None
    file_name: str
    languages: list[str]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else ""


@dataclass
class ProvisionPart:
    fields: dict[str, Any]
    micro_credential: MicroCredential | None = None


@dataclass
class ReportPackage:
    """A checked submission: every reference resolved to our rows."""

    agency: Organisation
    contributing_agencies: list[Organisation]
    activities: list[AgencyActivity]
    local_identifier: str
    status: str
    decision: str
    summary: str
    other_comment: str
    valid_from: dt.date
    valid_to: dt.date | None
    providers: list[Organisation]
    platforms: list[Organisation]
    provisions: list[ProvisionPart]
    files: list[FilePart]
    links: list[dict[str, str]]
    report: QAReport | None = None  # set for an update
    warnings: list[str] = field(default_factory=list)


class _Errors:
    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_path.setdefault(path or "__all__", []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def find_agency(reference: Any) -> Organisation | None:
    """An agency by its DEQAR agency id (a string of digits), acronym or slug."""
    text = _text(reference)
    if not text:
        return None
    agencies = Organisation.objects.filter(kind=OrganisationKind.QA_AGENCY)
    if text.isdigit():
        profile = (
            AgencyProfile.objects.filter(deqar_agency_id=int(text)).select_related("organisation").first()
        )
        return profile.organisation if profile else None
    return (
        agencies.filter(acronym__iexact=text).first()
        or agencies.filter(slug=text).first()
        or agencies.filter(deqar_id=text).first()
    )


def _resolve_activity(
    item: Any, path: str, agency: Organisation, agencies: list[Organisation], errors: _Errors
) -> list[AgencyActivity]:
    if not isinstance(item, Mapping):
        errors.add(
            path, "Give the activity as an object with one of id, local_identifier, group or activity."
        )
        return []
    owner = agency
    if _text(item.get("agency")):
        found = find_agency(item.get("agency"))
        if found is None or found not in agencies:
            errors.add(
                f"{path}.agency", "This agency is neither the report's agency nor a contributing agency."
            )
            return []
        owner = found
    keys = [k for k in ("id", "local_identifier", "group", "activity") if _text(item.get(k))]
    if len(keys) != 1:
        errors.add(path, "Give exactly one of id, local_identifier, group or activity.")
        return []
    key, value = keys[0], _text(item.get(keys[0]))
    # Without an explicit agency, an activity id may belong to any agency of the report.
    owners = [owner] if _text(item.get("agency")) or key != "id" else agencies
    activities = AgencyActivity.objects.filter(organisation__in=owners)
    if key == "id" or (key == "activity" and value.isdigit()):
        found_activities = list(activities.filter(deqar_id=int(value))) if value.isdigit() else []
    elif key == "local_identifier":
        found_activities = list(activities.filter(local_identifier=value))
    elif key == "group":
        found_activities = list(activities.filter(group_id=int(value))) if value.isdigit() else []
    else:
        found_activities = list(activities.filter(name__iexact=value))
    if not found_activities:
        what = {
            "id": "activity id",
            "local_identifier": "activity local identifier",
            "group": "activity group id",
        }
        errors.add(
            f"{path}.{key}",
            f"No {what.get(key, 'activity')} '{value}' of {owner.acronym or owner} is known. "
            "Use one of the agency's registered activities.",
        )
    return found_activities


def find_provider(item: Mapping[str, Any], agency: Organisation) -> tuple[Organisation | None, str]:
    """A provider by DEQAR id, ETER id (both must agree), or identifier and resource. (provider, problem)."""
    deqar_id, eter_id = _text(item.get("deqar_id")), _text(item.get("eter_id"))
    identifier = item.get("identifier")
    if isinstance(identifier, list):
        identifier = identifier[0] if identifier else ""
    identifier = _text(identifier)
    resource = _text(item.get("resource")) or "local identifier"
    by_deqar = Organisation.objects.filter(deqar_id=deqar_id).first() if deqar_id else None
    by_eter = Organisation.objects.filter(eter_id=eter_id).first() if eter_id else None
    if deqar_id and by_deqar is None:
        return None, f"No provider with DEQAR id '{deqar_id}' is in the register."
    if eter_id and by_eter is None:
        return None, f"No provider with ETER id '{eter_id}' is in the register."
    if by_deqar and by_eter and by_deqar != by_eter:
        return None, f"DEQAR id '{deqar_id}' and ETER id '{eter_id}' name two different providers."
    if by_deqar or by_eter:
        return by_deqar or by_eter, ""
    if identifier:
        if resource == CREDENCE_RESOURCE:
            found = Organisation.objects.filter(slug=identifier).first()
        else:
            matches = Identifier.objects.filter(resource=resource, value=identifier).select_related(
                "organisation"
            )
            if resource == "local identifier":
                # A local identifier is the agency's own: prefer the one the agency is the source of.
                own = matches.filter(
                    Q(source__iexact=agency.acronym)
                    | Q(source__iexact=agency.slug)
                    | Q(source__iexact=agency.name)
                )
                matches = own if own.exists() else matches
            rows = list(matches[:2])
            found = rows[0].organisation if len(rows) == 1 else None
        if found is None:
            return None, f"No provider with {resource} '{identifier}' is in the register."
        return found, ""
    return None, (
        "This report cannot be linked to a provider: give the deqar_id, eter_id or an identifier of a provider "
        "already in the register (providers are registered before reports)."
    )


def _date(value: Any, date_format: str, path: str, errors: _Errors) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        errors.add(path, f"'{text}' is not a date in the format {date_format}.")
        return None


def _choice(value: Any, ids: Mapping[str, str], values: list[str]) -> str | None:
    if isinstance(value, bool):
        return None
    text = _text(value)
    if text in ids:
        return ids[text]
    lowered = {v.lower(): v for v in values}
    return lowered.get(text.lower())


def _read_files(raw: Any, errors: _Errors) -> list[FilePart]:
    parts: list[FilePart] = []
    for index, item in enumerate(_as_list(raw)):
        path = f"report_files[{index}]"
        if not isinstance(item, Mapping):
            errors.add(path, "Give each report file as an object.")
            continue
        location, encoded = _text(item.get("original_location")), item.get("file")
        file_name = _text(item.get("file_name"))
        if bool(location) == bool(encoded):
            errors.add(
                path, "Give either original_location (a URL) or file (the PDF, base64-encoded), not both."
            )
        if location:
            try:
                URLValidator(schemes=["http", "https"])(location)
            except ValidationError:
                errors.add(f"{path}.original_location", "Enter a valid http(s) URL.")
        content: bytes | None = None
        if encoded:
            if not file_name:
                errors.add(f"{path}.file_name", "Give the file's name with its content.")
            try:
                content = base64.b64decode(str(encoded), validate=False)
            except (binascii.Error, ValueError):
                errors.add(f"{path}.file", "The file is not valid base64.")
            if content is not None:
                problem = pdf_problem(content)
                if problem:
                    errors.add(f"{path}.file", problem)
        languages = [_text(code).lower() for code in _as_list(item.get("report_language"))]
        if not languages:
            errors.add(f"{path}.report_language", "Give the language(s) of the report (ISO 639 codes).")
        for li, code in enumerate(languages):
            if code not in language_codes():
                errors.add(
                    f"{path}.report_language[{li}]", f"'{code}' is not an ISO 639-1 or 639-2 language code."
                )
        parts.append(
            FilePart(
                display_name=_text(item.get("display_name")),
                original_location=location,
                content=content,
                file_name=file_name,
                languages=languages,
            )
        )
    return parts


def pdf_problem(content: bytes) -> str:
    """Why these bytes are not an acceptable report file ('' if they are): a PDF, judged by its bytes."""
    if not content:
        return "The file is empty."
    if len(content) > MAX_FILE_BYTES:
        return f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."
    # PDF readers accept the header anywhere in the first 1024 bytes; the magic number must be there.
    if PDF_MAGIC not in content[:1024]:
        return "Report files must be PDF documents; this file is not a PDF."
    return ""


def _read_provision(
    item: Any, path: str, providers: list[Organisation], errors: _Errors
) -> ProvisionPart | None:
    if not isinstance(item, Mapping):
        errors.add(path, "Give each programme as an object.")
        return None
    fields: dict[str, Any] = {}
    fields["name_primary"] = _text(item.get("name_primary"))
    if not fields["name_primary"]:
        errors.add(f"{path}.name_primary", "Give the programme's name.")
    fields["qualification_primary"] = _text(item.get("qualification_primary"))
    alternatives = []
    for ai, alternative in enumerate(_as_list(item.get("alternative_names"))):
        if not isinstance(alternative, Mapping) or not _text(alternative.get("name_alternative")):
            errors.add(f"{path}.alternative_names[{ai}].name_alternative", "Give the alternative name.")
            continue
        alternatives.append(
            {
                "name": _text(alternative.get("name_alternative")),
                "qualification": _text(alternative.get("qualification_alternative")),
            }
        )
    fields["alternative_names"] = alternatives
    identifiers = []
    for ii, ident in enumerate(_as_list(item.get("identifiers"))):
        if not isinstance(ident, Mapping) or not _text(ident.get("identifier")):
            errors.add(f"{path}.identifiers[{ii}].identifier", "Give the identifier.")
            continue
        identifiers.append(
            {"identifier": _text(ident.get("identifier")), "resource": _text(ident.get("resource"))}
        )
    resources = [i["resource"] for i in identifiers]
    if resources.count("") > 1:
        errors.add(f"{path}.identifiers", "Only one identifier may be given without a resource.")
    if len({r for r in resources if r}) != len([r for r in resources if r]):
        errors.add(f"{path}.identifiers", "Each identifier resource may be used only once.")
    fields["identifiers"] = identifiers
    country_list = []
    for ci, code in enumerate(_as_list(item.get("countries"))):
        found = country_code(_text(code))
        if found is None:
            errors.add(
                f"{path}.countries[{ci}]", f"'{code}' is not an ISO 3166-1 alpha-2 or alpha-3 country code."
            )
        else:
            country_list.append(found)
    fields["countries"] = country_list
    fields["nqf_level"] = _text(item.get("nqf_level"))
    raw_level = item.get("qf_ehea_level")
    level = _choice(raw_level, QF_EHEA_IDS | {NOT_APPLICABLE: NOT_APPLICABLE}, [*QFEHEALevel.values])
    if _text(raw_level) and level is None:
        errors.add(
            f"{path}.qf_ehea_level",
            f"'{raw_level}' is not a QF-EHEA level: use 0-3, short/first/second/third cycle, or not applicable.",
        )
    fields["qf_ehea_level"] = level or ""
    raw_outcome = item.get("degree_outcome")
    outcome = DEGREE_OUTCOMES.get(_text(raw_outcome).lower()) if raw_outcome is not None else None
    if raw_outcome is None or _text(raw_outcome) == "":
        errors.add(
            f"{path}.degree_outcome", "Give the degree outcome: 1 (full degree) or 2 (no full degree)."
        )
    elif outcome is None:
        errors.add(
            f"{path}.degree_outcome",
            f"'{raw_outcome}' is not a degree outcome: use 1/full degree or 2/no full degree.",
        )
    fields["degree_outcome"] = outcome or ""
    raw_workload = item.get("workload_ects")
    fields["workload_ects"], fields["workload_not_applicable"] = None, False
    workload_unreadable = False
    if _text(raw_workload).lower() == NOT_APPLICABLE:
        fields["workload_not_applicable"] = True
    elif _text(raw_workload):
        if isinstance(raw_workload, bool) or not _text(raw_workload).isdigit():
            errors.add(f"{path}.workload_ects", "The ECTS workload is a whole number (or 'not applicable').")
            workload_unreadable = True
        else:
            fields["workload_ects"] = int(_text(raw_workload))
    raw_assessment = item.get("assessment_certification")
    assessment = _choice(raw_assessment, ASSESSMENT_IDS, list(AssessmentCertification.values))
    if _text(raw_assessment) and assessment is None:
        errors.add(
            f"{path}.assessment_certification",
            f"'{raw_assessment}' is not an assessment and certification value (1-3).",
        )
    fields["assessment_certification"] = assessment or ""
    if outcome == DegreeOutcome.NO_FULL_DEGREE:
        if (
            fields["workload_ects"] is None
            and not fields["workload_not_applicable"]
            and not workload_unreadable
        ):
            errors.add(
                f"{path}.workload_ects", "ECTS credits are required for a provision without a full degree."
            )
        if not fields["assessment_certification"] and not _text(raw_assessment):
            errors.add(
                f"{path}.assessment_certification",
                "Assessment information is required for a provision without a full degree.",
            )
    if not fields["qf_ehea_level"] and not _text(raw_level):
        errors.add(f"{path}.qf_ehea_level", "Give the QF-EHEA level (or 'not applicable').")
    field_study = _text(item.get("field_study"))
    if field_study and not (
        (field_study.isdigit() and 2 <= len(field_study) <= 4) or field_study.startswith(ESCO_ISCED_PREFIX)
    ):
        errors.add(f"{path}.field_study", "Give an ISCED-F code (2 to 4 digits) or an ESCO isced-f URI.")
    fields["field_study"] = field_study
    fields["field_study_title"] = _text(item.get("field_study_title"))
    outcomes = []
    for oi, uri in enumerate(_as_list(item.get("learning_outcomes"))):
        text = _text(uri)
        if not text.startswith(ESCO_SKILL_PREFIX):
            errors.add(
                f"{path}.learning_outcomes[{oi}]",
                f"Learning outcomes are ESCO skill URIs ({ESCO_SKILL_PREFIX}…).",
            )
        elif text not in outcomes:
            outcomes.append(text)
    fields["learning_outcomes"] = outcomes
    fields["learning_outcome_description"] = _text(item.get("learning_outcome_description"))
    raw_mc = item.get("mc_as_part_of_accreditation")
    if isinstance(raw_mc, bool):
        fields["mc_as_part_of_accreditation"] = raw_mc
    elif _text(raw_mc).lower() in BOOLEAN_WORDS:
        fields["mc_as_part_of_accreditation"] = BOOLEAN_WORDS[_text(raw_mc).lower()]
    else:
        errors.add(f"{path}.mc_as_part_of_accreditation", "Answer yes or no.")
    micro_credential = None
    raw_link = _text(item.get("micro_credential"))
    if raw_link:
        micro_credential = _find_micro_credential(raw_link, providers)
        if micro_credential is None:
            errors.add(
                f"{path}.micro_credential",
                f"No published micro-credential '{raw_link}' of the report's providers is known.",
            )
    return ProvisionPart(fields=fields, micro_credential=micro_credential)


def _find_micro_credential(reference: str, providers: list[Organisation]) -> MicroCredential | None:
    """Credence's extension: a programme may name our micro-credential by id or by `<provider slug>/<code>`."""
    queryset = MicroCredential.objects.filter(
        Q(organisation__in=providers) | Q(partnerships__organisation__in=providers),
        published_version__isnull=False,
    ).distinct()
    if reference.isdigit():
        return queryset.filter(pk=int(reference)).first()
    slug, _, code = reference.partition("/")
    return queryset.filter(organisation__slug=slug, code=code).first() if code else None


def read_package(data: Any, *, update: bool = False) -> ReportPackage:
    """Check a DEQAR v2 submission package; return it resolved, or raise every problem at once."""
    errors = _Errors()
    if not isinstance(data, Mapping):
        raise ValidationError({"__all__": "Send one report as a JSON object in DEQAR's submission shape."})

    report: QAReport | None = None
    if not update and _text(data.get("report_id")):
        errors.add("report_id", "A new report cannot carry a report_id; update an existing report with PUT.")

    raw_agency = data.get("agency")
    agency = None
    if raw_agency is None or _text(raw_agency) == "":
        errors.add("agency", "Give the agency (its DEQAR id or acronym).")
    elif not isinstance(raw_agency, str):
        errors.add("agency", "Give the agency as a string: its DEQAR id or acronym.")
    else:
        agency = find_agency(raw_agency)
        if agency is None:
            errors.add("agency", f"No QA agency '{_text(raw_agency)}' is in the register.")
    contributing: list[Organisation] = []
    for index, reference in enumerate(_as_list(data.get("contributing_agencies"))):
        found = find_agency(reference)
        if found is None:
            errors.add(
                f"contributing_agencies[{index}]", f"No QA agency '{_text(reference)}' is in the register."
            )
        elif found != agency and found not in contributing:
            contributing.append(found)

    local_identifier = _text(data.get("local_identifier"))
    if len(local_identifier) > 255:
        errors.add("local_identifier", "The local identifier is longer than 255 characters.")

    if update and agency is not None:
        report_id = _text(data.get("report_id"))
        if report_id:
            report = QAReport.objects.filter(pk=int(report_id)).first() if report_id.isdigit() else None
            if report is None or report.organisation_id != agency.pk:
                errors.add("report_id", f"No report {report_id} of this agency exists.")
                report = None
        elif local_identifier:
            report = QAReport.objects.filter(organisation=agency, local_identifier=local_identifier).first()
            if report is None:
                errors.add(
                    "local_identifier",
                    f"No report with local identifier '{local_identifier}' exists to update.",
                )
        else:
            errors.add("report_id", "Give the report_id or local_identifier of the report to update.")
    if agency is not None and local_identifier and not errors.by_path.get("local_identifier"):
        clash = QAReport.objects.filter(organisation=agency, local_identifier=local_identifier)
        if report is not None:
            clash = clash.exclude(pk=report.pk)
        if clash.exists():
            errors.add(
                "local_identifier",
                f"The agency already has a report with local identifier '{local_identifier}'; update it with PUT.",
            )

    activities: list[AgencyActivity] = []
    raw_activities = data.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        errors.add("activities", "Give at least one of the agency's activities.")
    elif agency is not None:
        for index, item in enumerate(raw_activities):
            for activity in _resolve_activity(
                item, f"activities[{index}]", agency, [agency, *contributing], errors
            ):
                if activity not in activities:
                    activities.append(activity)

    status = _choice(data.get("status"), STATUS_IDS, list(ReportStatus.values))
    if status is None:
        errors.add("status", "Give the status: 1 (part of obligatory EQA system) or 2 (voluntary).")
    decision = _choice(data.get("decision"), DECISION_IDS, list(ReportDecision.values))
    if decision is None:
        errors.add(
            "decision",
            "Give the decision: 1 positive, 2 positive with conditions or restrictions, 3 negative, 4 not applicable.",
        )

    date_format = _text(data.get("date_format")) or "%Y-%m-%d"
    valid_from = valid_to = None
    if not _text(data.get("valid_from")):
        errors.add("valid_from", "Give the date the report is valid from.")
    else:
        valid_from = _date(data.get("valid_from"), date_format, "valid_from", errors)
    if _text(data.get("valid_to")):
        valid_to = _date(data.get("valid_to"), date_format, "valid_to", errors)
    if valid_from and valid_to and valid_to <= valid_from:
        errors.add("valid_to", "The report must be valid to a date after its valid-from date.")

    if valid_from and agency is not None:
        profile = AgencyProfile.objects.filter(organisation=agency).first()
        if profile is not None and not profile.registered_on(valid_from):
            errors.add(
                "valid_from",
                f"{valid_from:%Y-%m-%d} is outside {agency.acronym or agency}'s registration "
                f"({profile.registration_start or '…'} to {profile.registration_valid_to or '…'}).",
            )
        for activity in activities:
            if not activity.valid_on(valid_from):
                errors.add(
                    "valid_from",
                    f"{valid_from:%Y-%m-%d} is outside the validity of activity #{activity.deqar_id or activity.pk} "
                    f"({activity.valid_from or '…'} to {activity.valid_to or '…'}).",
                )
    if agency is not None and activities:
        with_activity = {a.organisation_id for a in activities}
        for other in [agency, *contributing]:
            if other.pk not in with_activity:
                errors.add("activities", f"Give at least one activity of {other.acronym or other}.")

    providers: list[Organisation] = []
    raw_institutions = data.get("institutions")
    if not isinstance(raw_institutions, list) or not raw_institutions:
        errors.add("institutions", "Give at least one provider the report is about.")
    elif agency is not None:
        for index, item in enumerate(raw_institutions):
            if not isinstance(item, Mapping):
                errors.add(f"institutions[{index}]", "Give each provider as an object.")
                continue
            found, problem = find_provider(item, agency)
            if found is None:
                errors.add(f"institutions[{index}]", problem)
            elif found not in providers:
                providers.append(found)
    platforms: list[Organisation] = []
    for index, item in enumerate(_as_list(data.get("platforms"))):
        if not isinstance(item, Mapping) or agency is None:
            errors.add(f"platforms[{index}]", "Give each platform as an object.")
            continue
        found, problem = find_provider(item, agency)
        if found is None:
            errors.add(f"platforms[{index}]", problem)
        elif found in providers:
            errors.add(
                f"platforms[{index}]", f"{found} cannot be both a provider and a platform of the same report."
            )
        elif found not in platforms:
            platforms.append(found)

    provisions: list[ProvisionPart] = []
    raw_programmes = data.get("programmes")
    for index, item in enumerate(_as_list(raw_programmes)):
        part = _read_provision(item, f"programmes[{index}]", providers, errors)
        if part is not None:
            provisions.append(part)

    if activities:
        types = {a.activity_type for a in activities}
        if ActivityType.JOINT_PROGRAMME in types:
            if len(_as_list(raw_institutions)) < 2:
                errors.add("institutions", "A joint programme report covers at least two providers.")
            if not provisions:
                errors.add("programmes", "A joint programme report needs at least one programme.")
        elif types & {ActivityType.PROGRAMME, ActivityType.INSTITUTIONAL_PROGRAMME}:
            if len(_as_list(raw_institutions)) > 1:
                errors.add("institutions", "A programme report covers exactly one provider.")
            if not provisions:
                errors.add("programmes", "A programme report needs at least one programme.")
        elif provisions:
            errors.add("programmes", "An institutional report cannot list programmes.")

    if providers and all(p.kind == OrganisationKind.ALTERNATIVE_PROVIDER for p in providers):
        if status == ReportStatus.OBLIGATORY:
            errors.add(
                "status",
                "Status should be 'voluntary': every provider of this report is an alternative provider.",
            )
        for index, part in enumerate(provisions):
            if part.fields.get("degree_outcome") == DegreeOutcome.FULL_DEGREE:
                errors.add(
                    f"programmes[{index}].degree_outcome",
                    "Degree outcome should be '2 / no full degree': alternative providers do not award full degrees.",
                )

    links: list[dict[str, str]] = []
    for index, item in enumerate(_as_list(data.get("report_links"))):
        link = _text(item.get("link")) if isinstance(item, Mapping) else ""
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.add(f"report_links[{index}].link", "Enter a valid http(s) URL.")
            continue
        links.append({"link": link, "display_name": _text(item.get("link_display_name"))})
    files = _read_files(data.get("report_files"), errors)

    if errors:
        raise ValidationError(errors.by_path)
    assert agency is not None and status is not None and decision is not None and valid_from is not None
    return ReportPackage(
        agency=agency,
        contributing_agencies=contributing,
        activities=activities,
        local_identifier=local_identifier,
        status=status,
        decision=decision,
        summary=_text(data.get("summary")),
        other_comment=_text(data.get("other_comment")),
        valid_from=valid_from,
        valid_to=valid_to,
        providers=providers,
        platforms=platforms,
        provisions=provisions,
        files=files,
        links=links,
        report=report,
    )
