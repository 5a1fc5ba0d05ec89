"""schema.org descriptions of a catalogue entry: a Course and the EducationalOccupationalCredential it
leads to, as one JSON-LD graph embedded in the page (a data block; browsers never run it)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from credence.microcredentials.models import FormOfParticipation, MicroCredentialVersion

from .models import SearchEntry

COURSE_MODE: dict[str, str] = {
    FormOfParticipation.ONLINE_SELF_PACED: "online",
    FormOfParticipation.ONLINE_SCHEDULED: "online",
    FormOfParticipation.BLENDED: "blended",
    FormOfParticipation.ON_SITE: "onsite",
}


def describe(
    entry: SearchEntry, version: MicroCredentialVersion, url: str, provider_url: str
) -> dict[str, Any]:
    credential_id = url + "#credential"
    provider = {"@type": "EducationalOrganization", "name": entry.provider_name, "url": provider_url}
    credential: dict[str, Any] = {
        "@type": "EducationalOccupationalCredential",
        "@id": credential_id,
        "name": version.title,
        "credentialCategory": "Micro-credential",
        "recognizedBy": provider,
        "url": url,
    }
    if version.eqf_level:
        credential["educationalLevel"] = f"EQF level {version.eqf_level}"
    skills = [
        {"@type": "DefinedTerm", "name": s.get("label", ""), "url": s.get("uri", "")}
        for o in version.learning_outcomes.all()
        for s in (o.skills or [])
        if isinstance(s, dict) and s.get("uri")
    ]
    if skills:
        credential["competencyRequired"] = skills
    course: dict[str, Any] = {
        "@type": "Course",
        "@id": url + "#course",
        "name": version.title,
        "description": version.summary or version.title,
        "courseCode": entry.code,
        "url": url,
        "provider": provider,
        "educationalCredentialAwarded": {"@id": credential_id},
        "teaches": [o.text for o in version.learning_outcomes.all()],
    }
    if version.notional_hours:
        course["timeRequired"] = f"PT{version.notional_hours}H"
    if version.credits is not None and version.credit_system:
        course["numberOfCredits"] = {
            "@type": "StructuredValue",
            "value": float(version.credits),
            "unitText": version.credit_system,
        }
    if version.languages:
        course["inLanguage"] = list(version.languages)
    if version.prerequisites:
        course["coursePrerequisites"] = version.prerequisites
    if version.fee_amount is not None:
        course["offers"] = {
            "@type": "Offer",
            "price": str(version.fee_amount),
            "priceCurrency": version.fee_currency,
            "category": "Free" if version.fee_amount == 0 else "Paid",
        }
    mode = COURSE_MODE.get(version.form_of_participation)
    if mode:
        instance: dict[str, Any] = {"@type": "CourseInstance", "courseMode": mode}
        if version.notional_hours and version.duration_weeks:
            hours_per_week = round(float(version.notional_hours) / float(version.duration_weeks))
            instance["courseWorkload"] = f"PT{hours_per_week}H"
        course["hasCourseInstance"] = instance
    return {"@context": "https://schema.org", "@graph": [course, credential]}


def as_script_text(data: dict[str, Any]) -> SafeString:
    """JSON that cannot close the script element or open a comment in it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - the markup characters are escaped above
