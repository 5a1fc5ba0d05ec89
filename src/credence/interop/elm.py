"""European Learning Model (ELM v3) export of a published micro-credential version.

`micro_credential_to_elm(version)` gives the micro-credential as an ELM `Qualification` (a learning
achievement specification) carrying the Council Recommendation's Annex I elements, with the register's QA
reports that cover it as ELM `Accreditation`s. `micro_credential_to_edc(version)` wraps that specification
in a European Digital Credential template (the claim's `specifiedBy`), which is what the EDC SHACL shapes
validate. Both are JSON-LD using the W3C VC v1 context and the EDC application-profile context; copies of
both contexts are bundled in `data/` so a reader can work without the network (`with_local_contexts`).

The shape follows the EDC sample micro-credential (`Sample-MC-Annex1-unsigned.jsonld`): concepts carry
their `inScheme`, countries and languages use the EU Publications Office authority tables. See
docs/interop.md for the mapping.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.utils import timezone

from credence.microcredentials.models import (
    AssessmentType,
    CreditSystem,
    FormOfParticipation,
    MicroCredentialVersion,
    PartnerRole,
    VersionStatus,
)
from credence.microcredentials.vocabularies import isced_fields, languages
from credence.organisations.models import IdentifierResource, Organisation
from credence.organisations.vocabularies import countries
from credence.register.models import ActivityType, QAReport
from credence.register.selectors import external_qa_of

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
CONTEXT = [VC_CONTEXT, EDC_CONTEXT]
EDC_SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"

_DATA = Path(__file__).resolve().parent / "data"
BUNDLED_CONTEXTS: dict[str, Path] = {
    VC_CONTEXT: _DATA / "credentials-v1.jsonld",
    EDC_CONTEXT: _DATA / "edc-ap-context.jsonld",
}

EQF = "http://data.europa.eu/snb/eqf/"
ISCED_F = "http://data.europa.eu/snb/isced-f/"
COUNTRY = "http://publications.europa.eu/resource/authority/country"
LANGUAGE = "http://publications.europa.eu/resource/authority/language"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
LEARNING_ASSESSMENT = "http://data.europa.eu/snb/learning-assessment/"
# Europass "mode of learning and assessment" concepts.
MODES: dict[str, tuple[str, str]] = {
    FormOfParticipation.ONLINE_SELF_PACED: ("920fbb3cbe", "Online"),
    FormOfParticipation.ONLINE_SCHEDULED: ("920fbb3cbe", "Online"),
    FormOfParticipation.BLENDED: ("e92d221e4d", "Blended"),
    FormOfParticipation.ON_SITE: ("9191af2ed9", "Presential"),
}
SHORT_LEARNING_PROGRAMME = "http://data.europa.eu/snb/learning-opportunity/74a4a268e8"
ACCREDITATION = "http://data.europa.eu/snb/accreditation/"
# As DEQAR's QDR export: institutional reports, and programme (here: micro-credential) reports.
ACCREDITATION_INSTITUTIONAL = ACCREDITATION + "c_1f1a469a"
ACCREDITATION_PROGRAMME = ACCREDITATION + "c_64666c29"
GENERIC_PROFILE = "http://data.europa.eu/snb/credential/e34929035b"
# Credence's own schemes, for values ELM has no controlled vocabulary for.
ASSESSMENT_TYPE_SCHEME = "urn:credence:assessment-type"
QA_DECISION_SCHEME = "urn:credence:qa-decision"
# A 1x1 transparent PNG: the EDC display needs an image; a real issuer renders its own.
BLANK_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
# Identifiers that can stand as the issuer's legal identifier, best first.
LEGAL_IDENTIFIERS = (
    IdentifierResource.EU_VAT,
    IdentifierResource.NATIONAL,
    IdentifierResource.EU_PIC,
    IdentifierResource.ERASMUS,
    IdentifierResource.SCHAC,
)


class ElmExportError(ValueError):
    """The version cannot be exported (not published, or missing something ELM requires)."""


# ---------------------------------------------------------------------------------------- vocabularies


def concept(uri: str, scheme: str, label: str, lang: str = "en", notation: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": uri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
        "prefLabel": {lang: label},
    }
    if notation:
        node["notation"] = notation
    return node


def country_iso3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 for our country codes (alpha-2, 'UK', and DEQAR's 'BE-fl', 'UK-SCT'...)."""
    base = code.split("-")[0].upper()
    base = {"UK": "GB", "EL": "GR"}.get(base, base)
    found = pycountry.countries.get(alpha_2=base)
    return found.alpha_3 if found else None


def country_concept(code: str) -> dict[str, Any] | None:
    iso3 = country_iso3(code)
    if iso3 is None:
        return None
    name = countries().get(code) or countries().get(code.split("-")[0], code)
    return concept(f"{COUNTRY}/{iso3}", COUNTRY, name, notation="country")


def language_concept(code: str) -> dict[str, Any] | None:
    """The EU language authority table uses upper-case three-letter codes (ENG, FRA, DEU...)."""
    found = pycountry.languages.get(alpha_2=code)
    if found is None:
        return None
    return concept(
        f"{LANGUAGE}/{found.alpha_3.upper()}",
        LANGUAGE,
        languages().get(code, found.name),
        notation="language",
    )


def eqf_concept(level: int) -> dict[str, Any]:
    return concept(f"{EQF}{level}", f"{EQF}25831c2", f"Level {level}")


def isced_concept(code: str) -> dict[str, Any]:
    return concept(f"{ISCED_F}{code}", f"{ISCED_F}25831c2", isced_fields().get(code, code))


def note(text: str, lang: str, node_id: str = "") -> dict[str, Any]:
    """A Note; give `node_id` when the same note may be embedded more than once (a blank node would be
    counted once per embedding)."""
    return ({"id": node_id} if node_id else {}) | {"type": "Note", "noteLiteral": {lang: text}}


def web_resource(url: str) -> dict[str, Any]:
    return {"id": url, "type": "WebResource", "contentURL": url}


def _id(kind: str, *parts: Any) -> str:
    return ":".join(["urn:credence", kind, *(str(p) for p in parts)])


def _public_url(path: str) -> str:
    return f"{settings.CREDENCE_PUBLIC_URL}{path}"


def _datetime(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def _number(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


# ---------------------------------------------------------------------------------------- organisations


def _legal_identifier(organisation: Organisation, country: dict[str, Any] | None) -> dict[str, Any]:
    by_resource = {i.resource: i for i in organisation.identifiers.all()}
    chosen = next((by_resource[r] for r in LEGAL_IDENTIFIERS if r in by_resource), None)
    node: dict[str, Any] = {"id": _id("legal-identifier", organisation.slug), "type": "LegalIdentifier"}
    if chosen is not None:
        node |= {"notation": chosen.value, "schemeName": chosen.get_resource_display()}
    else:
        node |= {"notation": organisation.slug, "schemeName": "Credence organisation"}
    if country is not None:
        node["spatial"] = country
    return node


def organisation_node(organisation: Organisation) -> dict[str, Any]:
    """An ELM Organisation: legal name, legal seat (country), identifiers, homepage."""
    seat = organisation.legal_seat or next(iter(organisation.locations.all()), None)
    if seat is None:
        raise ElmExportError(f"{organisation} has no location: ELM needs the country of its legal seat.")
    country = country_concept(seat.country)
    if country is None:
        raise ElmExportError(f"{organisation}'s legal seat country '{seat.country}' has no ISO 3166 code.")
    address: dict[str, Any] = {
        "id": _id("address", organisation.slug),
        "type": "Address",
        "countryCode": country,
        "fullAddress": note(
            ", ".join(p for p in (seat.postcode, seat.city) if p),
            "en",
            _id("full-address", organisation.slug),
        ),
    }
    node: dict[str, Any] = {
        "id": _id("organisation", organisation.slug),
        "type": "Organisation",
        "legalName": {"en": organisation.name_english or organisation.name},
        "location": {"id": _id("location", organisation.slug), "type": "Location", "address": address},
        "registration": _legal_identifier(organisation, country),
    }
    if organisation.acronym:
        node["altLabel"] = {"en": organisation.acronym}
    pairs = [("DEQAR", organisation.deqar_id), ("ETER", organisation.eter_id)] + [
        (i.get_resource_display(), i.value) for i in organisation.identifiers.all()
    ]
    identifiers = [
        {
            "id": _id("identifier", organisation.slug, index),
            "type": "Identifier",
            "notation": value,
            "schemeName": scheme,
        }
        for index, (scheme, value) in enumerate(((s, v) for s, v in pairs if v), start=1)
    ]
    if identifiers:
        node["identifier"] = identifiers
    if organisation.website:
        node["homepage"] = web_resource(organisation.website)
    return node


# ---------------------------------------------------------------------------------------- QA reports


def accreditation_node(
    report: QAReport, about_micro_credential: bool, qualification_id: str, provider: dict[str, Any]
) -> dict[str, Any]:
    """A register QA report as an ELM Accreditation (as DEQAR's QDR export does for its reports)."""
    programme = about_micro_credential or report.activity_type != ActivityType.INSTITUTIONAL
    kind = (
        concept(ACCREDITATION_PROGRAMME, ACCREDITATION + "25831c2", "Programme accreditation")
        if programme
        else concept(ACCREDITATION_INSTITUTIONAL, ACCREDITATION + "25831c2", "Institutional accreditation")
    )
    agency = report.organisation
    title = f"{agency.acronym or agency} report {report.local_identifier or report.pk}"
    node: dict[str, Any] = {
        "id": _id("accreditation", report.pk),
        "type": "Accreditation",
        "dcType": kind,
        "title": {"en": title},
        "accreditingAgent": organisation_node(agency),
        "organisation": provider,
        "decision": concept(
            f"{QA_DECISION_SCHEME}:{report.decision.replace(' ', '-')}",
            QA_DECISION_SCHEME,
            report.get_decision_display(),
        ),
        "dateIssued": _datetime(report.valid_from),
        "expiryDate": _datetime(report.valid_to_calculated),
        "landingPage": web_resource(_public_url(f"/register/reports/{report.pk}/")),
        "status": report.get_status_display(),
    }
    if about_micro_credential:
        node["limitQualification"] = {"id": qualification_id, "type": "Qualification"}
    if report.summary:
        node["description"] = {"en": report.summary}
    link = next(iter(report.links.all()), None)
    if link is not None:
        node["report"] = web_resource(link.link)
    return node


# ---------------------------------------------------------------------------------------- the specification


def _require_published(version: MicroCredentialVersion) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise ElmExportError(
            f"Version {version.number} of {version.micro_credential} is {version.get_status_display().lower()}:"
            " only a published version can be exported to ELM."
        )


def micro_credential_to_elm(version: MicroCredentialVersion) -> dict[str, Any]:
    """The published `version` as an ELM v3 Qualification (JSON-LD, with its @context)."""
    return {"@context": CONTEXT, **qualification_node(version)}


def qualification_node(version: MicroCredentialVersion) -> dict[str, Any]:
    _require_published(version)
    mc = version.micro_credential
    lang = (version.languages or ["en"])[0]
    spec_id = _id("qualification", mc.pk, version.number)
    awarding = [mc.organisation] + [
        p.organisation for p in mc.partnerships.all() if p.role == PartnerRole.AWARDING_BODY
    ]
    awarding_bodies = [organisation_node(o) for o in dict.fromkeys(awarding)]

    node: dict[str, Any] = {
        "id": spec_id,
        "type": "Qualification",
        "title": {lang: version.title},
        "identifier": {"type": "Identifier", "notation": mc.code, "schemeName": str(mc.organisation)},
        "dcType": concept(
            SHORT_LEARNING_PROGRAMME,
            "http://data.europa.eu/snb/learning-opportunity/25831c2",
            "Short learning programme",
        ),
        "homepage": web_resource(_public_url(f"/micro-credentials/{mc.pk}/")),
        "isPartialQualification": version.is_stackable,
        "awardingOpportunity": {
            "id": _id("awarding-opportunity", mc.pk, version.number),
            "type": "AwardingOpportunity",
            "awardingBody": awarding_bodies,
        },
    }
    if version.summary:
        node["description"] = {lang: version.summary}
    outcomes = list(version.learning_outcomes.all())
    if outcomes:
        node["learningOutcome"] = [_outcome(o, mc.pk, version.number, lang) for o in outcomes]
    if version.credit_system == CreditSystem.ECTS and version.credits:
        node["creditPoint"] = {
            "id": _id("credit-point", mc.pk, version.number),
            "type": "CreditPoint",
            "framework": concept(
                ECTS, "http://data.europa.eu/snb/education-credit/25831c2", "European Credit Transfer System"
            ),
            "point": _number(version.credits),
        }
    if version.notional_hours:
        node["volumeOfLearning"] = f"PT{version.notional_hours}H"
    if version.duration_weeks:
        node["maximumDuration"] = f"P{max(1, round(version.duration_weeks * 7))}D"
    if version.eqf_level and not version.level_not_applicable:
        node["eqfLevel"] = eqf_concept(version.eqf_level)
    if version.field_of_study:
        node["thematicArea"] = isced_concept(version.field_of_study)
    if version.form_of_participation in MODES:
        code, label = MODES[version.form_of_participation]
        node["mode"] = concept(LEARNING_ASSESSMENT + code, LEARNING_ASSESSMENT + "25831c2", label)
    language_nodes = [c for c in (language_concept(code) for code in version.languages) if c]
    if language_nodes:
        node["language"] = language_nodes
    if version.prerequisites:
        node["entryRequirement"] = note(version.prerequisites, lang)
    assessments = list(version.assessments.all())
    if assessments:
        node["provenBy"] = [_assessment(a, version, lang) for a in assessments]
    modules = list(version.modules.all())
    if modules:
        node["influencedBy"] = [_module(m, version, lang) for m in modules]
    notes = _notes(version, lang)
    if notes:
        node["additionalNote"] = notes
    accreditations = [
        accreditation_node(row.report, row.about == "micro-credential", spec_id, awarding_bodies[0])
        for row in external_qa_of(mc)
        if not row.report.is_withdrawn
    ]
    if accreditations:
        node["accreditation"] = accreditations
    return node


def _outcome(outcome: Any, mc_pk: int, number: int, lang: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": _id("learning-outcome", mc_pk, number, outcome.order),
        "type": "LearningOutcome",
        "title": {lang: outcome.text},
    }
    esco = [s for s in outcome.skills if str(s.get("uri", "")).startswith(ESCO_SKILL)]
    other = [s for s in outcome.skills if s not in esco]
    if esco:
        node["relatedESCOSkill"] = [
            concept(s["uri"], ESCO_SKILLS_SCHEME, s.get("label") or s["uri"], notation="Skill") for s in esco
        ]
    if other:
        node["relatedSkill"] = [
            {"id": s["uri"], "type": "Concept", "prefLabel": {"en": s.get("label") or s["uri"]}}
            for s in other
        ]
    return node


def _assessment(assessment: Any, version: MicroCredentialVersion, lang: str) -> dict[str, Any]:
    mc_pk, number = version.micro_credential_id, version.number
    label = (
        AssessmentType(assessment.type).label if assessment.type in AssessmentType.values else assessment.type
    )
    node: dict[str, Any] = {
        "id": _id("assessment-specification", mc_pk, number, assessment.order),
        "type": "LearningAssessmentSpecification",
        "title": {lang: label},
        "dcType": concept(
            f"{ASSESSMENT_TYPE_SCHEME}:{assessment.type.replace(' ', '-')}", ASSESSMENT_TYPE_SCHEME, label
        ),
    }
    if assessment.description:
        node["description"] = {lang: assessment.description}
    if version.grading_scheme:
        node["gradingScheme"] = {
            "id": _id("grading-scheme", mc_pk, number),
            "type": "GradingScheme",
            "title": {lang: "Grading scheme"},
            "description": {lang: version.grading_scheme},
        }
    extra = []
    if assessment.weight is not None:
        extra.append(f"Weight: {_number(assessment.weight)}%.")
    extra.append("Summative." if assessment.summative else "Formative.")
    if version.supervision:
        extra.append(f"Supervision and identity verification: {version.get_supervision_display()}.")
    node["additionalNote"] = note(" ".join(extra), "en")
    return node


def _module(module: Any, version: MicroCredentialVersion, lang: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": _id("activity-specification", version.micro_credential_id, version.number, module.order),
        "type": "LearningActivitySpecification",
        "title": {lang: module.title},
    }
    if module.description:
        node["description"] = {lang: module.description}
    if module.hours:
        node["volumeOfLearning"] = f"PT{_number(module.hours)}H"
    return node


def _notes(version: MicroCredentialVersion, lang: str) -> list[dict[str, Any]]:
    """Annex I elements ELM has no structured place for (or no vocabulary we can cite)."""
    texts: list[str] = []
    if version.level_not_applicable:
        texts.append(f"Level: not applicable. {version.level_not_applicable_reason}".strip())
    if version.qf_ehea_level:
        texts.append(f"QF-EHEA level: {version.get_qf_ehea_level_display()}.")
    if version.nqf_level:
        texts.append(f"National framework level: {version.nqf_framework} {version.nqf_level}".strip() + ".")
    if version.credits and version.credit_system not in ("", CreditSystem.ECTS, CreditSystem.NONE):
        texts.append(f"Credits: {_number(version.credits)} {version.get_credit_system_display()}.")
    if version.assessment_certification:
        texts.append(f"Assessment and certification: {version.get_assessment_certification_display()}.")
    if version.form_of_participation:
        texts.append(f"Form of participation: {version.get_form_of_participation_display()}.")
    if version.quality_assurance:
        texts.append(f"Type of quality assurance: {version.quality_assurance}")
    if version.target_learners:
        texts.append(f"Target learners: {version.target_learners}")
    if version.stackability_note:
        texts.append(f"Stackability and recognition: {version.stackability_note}")
    if version.further_information:
        texts.append(version.further_information)
    return [note(t, lang) for t in texts]


# ---------------------------------------------------------------------------------------- the credential


def micro_credential_to_edc(
    version: MicroCredentialVersion, *, issued: dt.datetime | None = None
) -> dict[str, Any]:
    """A European Digital Credential template for `version`: the learner is a placeholder, the claim is a
    LearningAchievement specified by the micro-credential's Qualification. An issuing service fills in the
    learner and seals it."""
    spec = qualification_node(version)
    mc = version.micro_credential
    lang = (version.languages or ["en"])[0]
    primary_language = language_concept(lang) or language_concept("en")
    issuer = organisation_node(mc.organisation)
    issuer["eIDASIdentifier"] = issuer["registration"]
    when = _datetime(issued or version.published_at or timezone.now())
    return {
        "@context": CONTEXT,
        "id": _id("credential", mc.pk, version.number),
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": concept(
            GENERIC_PROFILE, "http://data.europa.eu/snb/credential/25831c2", "Generic"
        ),
        "credentialSchema": {"id": EDC_SCHEMA, "type": "ShaclValidator2017"},
        "issuer": issuer,
        "issued": when,
        "validFrom": when,
        "displayParameter": {
            "id": _id("display", mc.pk, version.number),
            "type": "DisplayParameter",
            "title": {lang: version.title},
            "language": primary_language,
            "primaryLanguage": primary_language,
            "individualDisplay": {
                "id": _id("individual-display", mc.pk, version.number),
                "type": "IndividualDisplay",
                "language": primary_language,
                "displayDetail": {
                    "id": _id("display-detail", mc.pk, version.number),
                    "type": "DisplayDetail",
                    "page": 1,
                    "image": {
                        "id": _id("image", mc.pk, version.number),
                        "type": "MediaObject",
                        "content": BLANK_PNG,
                        "contentEncoding": concept(
                            "http://data.europa.eu/snb/encoding/6146cde7dd",
                            "http://data.europa.eu/snb/encoding/25831c2",
                            "base64",
                        ),
                        "contentType": concept(
                            "http://publications.europa.eu/resource/authority/file-type/PNG",
                            "http://publications.europa.eu/resource/authority/file-type",
                            "PNG",
                            notation="file-type",
                        ),
                    },
                },
            },
        },
        "credentialSubject": {
            "id": _id("learner", "template"),
            "type": "Person",
            "hasClaim": {
                "id": _id("achievement", mc.pk, version.number),
                "type": "LearningAchievement",
                "title": {lang: version.title},
                "awardedBy": {
                    "id": _id("awarding-process", mc.pk, version.number),
                    "type": "AwardingProcess",
                    "awardingBody": spec["awardingOpportunity"]["awardingBody"],
                },
                "specifiedBy": spec,
            },
        },
    }


# ---------------------------------------------------------------------------------------- reading it back


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """The bundled copy of a JSON-LD context document (the whole document, with its @context)."""
    path = BUNDLED_CONTEXTS.get(url)
    if path is None:
        raise KeyError(f"No bundled copy of the JSON-LD context {url}.")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def with_local_contexts(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with its remote @context references replaced by the bundled contexts, so a JSON-LD
    processor (rdflib, PyLD) reads it without fetching anything."""
    contexts = document.get("@context", [])
    contexts = contexts if isinstance(contexts, list) else [contexts]
    inlined = [bundled_context(c)["@context"] if isinstance(c, str) else c for c in contexts]
    return {**document, "@context": inlined}
