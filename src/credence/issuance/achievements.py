"""The Open Badges 3.0 Achievement for a published version, with the EU Annex I elements.

Built once per version (it is the same for every learner) from the version's own data. Elements the
OB 3.0 vocabulary has a term for use it (name, description, criteria, alignment, creditsAvailable,
fieldOfStudy, inLanguage, creator, humanCode, version, resultDescription); the others (hours, level,
assessment, form of participation, QA) are alignments and tagged text, so any wallet can show them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from credence.microcredentials.models import (
    AssessmentCertification,
    FormOfParticipation,
    MicroCredentialVersion,
    Supervision,
)
from credence.microcredentials.vocabularies import isced_fields
from credence.organisations.models import Organisation

EQF_URL = "http://data.europa.eu/snb/eqf/{level}"
ISCED_URL = "http://data.europa.eu/snb/isced-f/{code}"


def public_url(path: str) -> str:
    return f"{settings.CREDENCE_PUBLIC_URL}{path}"


def catalogue_url(version: MicroCredentialVersion) -> str:
    return public_url(reverse("microcredentials:detail", args=[version.micro_credential_id]))


def achievement_id(version: MicroCredentialVersion) -> str:
    return f"{catalogue_url(version)}#version-{version.number}"


def issuer_profile(organisation: Organisation, issuer_id: str) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": issuer_id, "type": ["Profile"], "name": organisation.display_name}
    if organisation.website:
        profile["url"] = organisation.website
    seat = organisation.legal_seat
    if seat is not None:
        profile["address"] = {
            "type": ["Address"],
            "addressCountry": seat.country_name,
            "addressLocality": seat.city,
        }
    return profile


def _alignment(name: str, url: str, *, code: str = "", framework: str = "", kind: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"type": ["Alignment"], "targetName": name, "targetUrl": url}
    if code:
        item["targetCode"] = code
    if framework:
        item["targetFramework"] = framework
    if kind:
        item["targetType"] = kind
    return item


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def criteria_narrative(version: MicroCredentialVersion) -> str:
    lines = [
        "The learner completed the micro-credential and passed its assessment, showing that they can:",
        "",
    ]
    lines += [f"- {outcome.text}" for outcome in version.learning_outcomes.all()]
    assessments = list(version.assessments.all())
    if assessments:
        lines += ["", "Assessed by:", ""]
        for assessment in assessments:
            weight = f" ({assessment.weight:g} %)" if assessment.weight is not None else ""
            detail = f": {assessment.description}" if assessment.description else ""
            lines.append(f"- {assessment.get_type_display()}{weight}{detail}")
    return "\n".join(lines)


def build_achievement(version: MicroCredentialVersion, creator: dict[str, Any]) -> dict[str, Any]:
    micro_credential = version.micro_credential
    url = catalogue_url(version)
    alignments: list[dict[str, Any]] = []
    result_descriptions: list[dict[str, Any]] = []
    for outcome in version.learning_outcomes.all():
        for skill in outcome.skills or []:
            alignments.append(
                _alignment(
                    skill.get("label") or skill["uri"], skill["uri"], framework="ESCO", kind="ext:ESCOSkill"
                )
            )
    if version.eqf_level:
        alignments.append(
            _alignment(
                f"EQF level {version.eqf_level}",
                EQF_URL.format(level=version.eqf_level),
                code=str(version.eqf_level),
                framework="European Qualifications Framework",
                kind="ext:EQFLevel",
            )
        )
    if version.field_of_study:
        alignments.append(
            _alignment(
                isced_fields().get(version.field_of_study, version.field_of_study),
                ISCED_URL.format(code=version.field_of_study),
                code=version.field_of_study,
                framework="ISCED-F 2013",
                kind="ext:ISCEDField",
            )
        )
    achievement: dict[str, Any] = {
        "id": achievement_id(version),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": version.title,
        "description": version.summary or version.title,
        "criteria": {"id": url, "narrative": criteria_narrative(version)},
        "creator": creator,
        "humanCode": micro_credential.code,
        "version": str(version.number),
    }
    if version.credits is not None and version.credit_system and version.credit_system != "none":
        achievement["creditsAvailable"] = float(version.credits)
    if version.field_of_study:
        achievement["fieldOfStudy"] = isced_fields().get(version.field_of_study, version.field_of_study)
    if version.languages:
        achievement["inLanguage"] = version.languages[0]
    if alignments:
        achievement["alignment"] = alignments
    result_descriptions.append(
        {
            "id": f"{achievement['id']}-result",
            "type": ["ResultDescription"],
            "name": "Final result",
            "resultType": "Status",
        }
    )
    if version.grading_scheme:
        result_descriptions.append(
            {
                "id": f"{achievement['id']}-grade",
                "type": ["ResultDescription"],
                "name": f"Grade ({version.grading_scheme[:200]})",
                "resultType": "LetterGrade",
            }
        )
    achievement["resultDescription"] = result_descriptions
    tags = [f"{name}: {value}" for name, value in annex_elements(version) if value]
    if tags:
        achievement["tag"] = tags
    return achievement


def annex_elements(version: MicroCredentialVersion) -> list[tuple[str, str]]:
    """The EU Annex I elements not covered by an OB 3.0 term, as (name, text) pairs."""
    credits = ""
    if version.credits is not None and version.credit_system and version.credit_system != "none":
        credits = f"{version.credits.normalize():f} {version.credit_system}"
    return [
        ("Credits", credits),
        ("Notional learning hours", str(version.notional_hours or "")),
        ("EQF level", str(version.eqf_level or "")),
        (
            "Type of assessment",
            ", ".join(sorted({a.get_type_display() for a in version.assessments.all()})),
        ),
        (
            "Assessment and certification",
            _label(AssessmentCertification, version.assessment_certification)
            if version.assessment_certification
            else "",
        ),
        (
            "Supervision and identity verification",
            _label(Supervision, version.supervision) if version.supervision else "",
        ),
        (
            "Form of participation",
            _label(FormOfParticipation, version.form_of_participation)
            if version.form_of_participation
            else "",
        ),
        ("Type of quality assurance", version.quality_assurance[:500]),
        ("Awarding body", version.micro_credential.organisation.display_name),
        ("Catalogue page", catalogue_url(version)),
    ]
