"""A report in DEQAR's submission shape (API v2), so it can be submitted to DEQAR or back to Credence.

The export is the import's inverse: `submit_report(package=report_as_deqar(r), update=True)` changes
nothing. Two Credence extensions ride along, which DEQAR ignores: `micro_credential` on a programme, and
providers without a DEQAR or ETER id named as `{"identifier": <slug>, "resource": "credence"}`.
"""

from __future__ import annotations

import base64
from typing import Any

from credence.organisations.models import IdentifierResource, Organisation

from .models import QAReport, ReportedProvision
from .submission import CREDENCE_RESOURCE

DATE_FORMAT = "%Y-%m-%d"


def agency_reference(agency: Organisation) -> str:
    profile = getattr(agency, "agency_profile", None)
    if profile is not None and profile.deqar_agency_id:
        return str(profile.deqar_agency_id)
    return agency.acronym or agency.slug


def provider_reference(provider: Organisation) -> dict[str, str]:
    if provider.deqar_id:
        return {"deqar_id": provider.deqar_id}
    if provider.eter_id:
        return {"eter_id": provider.eter_id}
    for identifier in provider.identifiers.all():
        if identifier.resource not in (
            IdentifierResource.LOCAL,
            IdentifierResource.DEQAR,
            IdentifierResource.ETER,
        ):
            return {"identifier": identifier.value, "resource": identifier.resource}
    return {"identifier": provider.slug, "resource": CREDENCE_RESOURCE}


def _activity_reference(report: QAReport) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for activity in report.activities.all().select_related("organisation"):
        item: dict[str, Any]
        if activity.deqar_id:
            item = {"id": str(activity.deqar_id)}
        elif activity.local_identifier:
            item = {"local_identifier": activity.local_identifier}
        else:
            item = {"activity": activity.name}
        if activity.organisation_id != report.organisation_id:
            item["agency"] = agency_reference(activity.organisation)
        out.append(item)
    return sorted(out, key=lambda i: sorted(i.items()))


def _programme(provision: ReportedProvision) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name_primary": provision.name_primary,
        "qualification_primary": provision.qualification_primary,
        "alternative_names": [
            {"name_alternative": a["name"], "qualification_alternative": a.get("qualification", "")}
            for a in provision.alternative_names
        ],
        "identifiers": [dict(i) for i in provision.identifiers],
        "countries": list(provision.countries),
        "nqf_level": provision.nqf_level,
        "qf_ehea_level": provision.qf_ehea_level,
        "degree_outcome": provision.degree_outcome,
        "workload_ects": "not applicable" if provision.workload_not_applicable else provision.workload_ects,
        "assessment_certification": provision.assessment_certification,
        "field_study": provision.field_study,
        "field_study_title": provision.field_study_title,
        "learning_outcomes": list(provision.learning_outcomes),
        "learning_outcome_description": provision.learning_outcome_description,
        "mc_as_part_of_accreditation": provision.mc_as_part_of_accreditation,
    }
    if provision.micro_credential_id:
        mc = provision.micro_credential
        assert mc is not None
        item["micro_credential"] = f"{mc.organisation.slug}/{mc.code}"
    return {k: v for k, v in item.items() if v not in ("", None, [])}


def report_as_deqar(report: QAReport, *, include_file_content: bool = True) -> dict[str, Any]:
    """The report as a DEQAR v2 submission package (plus `report_id`, for an update)."""
    files = []
    for row in report.files.all():
        item: dict[str, Any] = {"report_language": list(row.languages)}
        if row.display_name:
            item["display_name"] = row.display_name
        if row.original_location:
            item["original_location"] = row.original_location
        elif row.file and include_file_content:
            with row.file.open("rb") as fh:
                item["file"] = base64.b64encode(fh.read()).decode("ascii")
            item["file_name"] = row.file_name
        files.append(item)
    package: dict[str, Any] = {
        "report_id": str(report.pk),
        "agency": agency_reference(report.organisation),
        "contributing_agencies": [agency_reference(a) for a in report.contributing_agencies.order_by("pk")],
        "local_identifier": report.local_identifier,
        "activities": _activity_reference(report),
        "status": report.status,
        "decision": report.decision,
        "summary": report.summary,
        "valid_from": report.valid_from.strftime(DATE_FORMAT),
        "valid_to": report.valid_to.strftime(DATE_FORMAT) if report.valid_to else None,
        "date_format": DATE_FORMAT,
        "report_links": [
            {"link": link.link, "link_display_name": link.display_name} for link in report.links.all()
        ],
        "report_files": files,
        "institutions": [provider_reference(p) for p in report.providers.order_by("pk")],
        "platforms": [provider_reference(p) for p in report.platforms.order_by("pk")],
        "programmes": [
            _programme(p) for p in report.provisions.select_related("micro_credential__organisation")
        ],
        "other_comment": report.other_comment,
    }
    return package
