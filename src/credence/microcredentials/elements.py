"""How the descriptive elements of a version are grouped and shown to people.

The editor's fieldsets, the detail page and the show-changes page all read the same groups, so an
element sits in the same place everywhere, and each value is shown in words (labels, not codes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import models

from .models import DESCRIPTIVE_FIELDS, MicroCredentialVersion
from .vocabularies import currencies, isced_fields, languages, sdgs

ELEMENT_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("what", "What it is", ("title", "summary", "target_learners", "prerequisites", "languages")),
    ("volume", "Volume", ("credit_system", "credits", "notional_hours", "contact_hours", "duration_weeks")),
    (
        "level",
        "Level",
        (
            "eqf_level",
            "nqf_framework",
            "nqf_level",
            "qf_ehea_level",
            "level_not_applicable",
            "level_not_applicable_reason",
        ),
    ),
    ("field", "Field of study", ("field_of_study",)),
    (
        "learning",
        "Learning and assessment",
        (
            "learning_activities",
            "form_of_participation",
            "assessment_certification",
            "supervision",
            "grading_scheme",
        ),
    ),
    (
        "support",
        "Support",
        ("support_academic", "support_administrative", "support_library", "technology_needed", "instructors"),
    ),
    ("recognition", "Stackability and recognition", ("stackability_note", "degree_outcome")),
    (
        "quality",
        "Quality assurance",
        ("quality_assurance", "content_lifespan_months", "next_review_date", "employer_involvement", "sdgs"),
    ),
    (
        "fees",
        "Fees and further information",
        ("fee_amount", "fee_currency", "fee_note", "further_information"),
    ),
)


# Elements whose text is long enough to be shown as paragraphs and compared word by word.
def _field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", MicroCredentialVersion._meta.get_field(name))


TEXT_ELEMENTS = frozenset(
    name
    for name in DESCRIPTIVE_FIELDS
    if _field(name).get_internal_type() in ("TextField", "CharField") and not _field(name).choices
)


def element_label(name: str) -> str:
    label = str(_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}".rstrip("0")


def display_value(name: str, value: Any) -> str:
    """`value` of element `name` in words, or "" when it is not given. Works on plain (JSON) values too."""
    if value is None or value == "" or value == []:
        return ""
    if name == "languages":
        return ", ".join(languages().get(str(code), str(code)) for code in value)
    if name == "sdgs":
        return "; ".join(f"{goal}. {sdgs().get(str(goal), '')}".rstrip(". ") for goal in value)
    if name == "field_of_study":
        return f"{value} {isced_fields().get(str(value), '')}".strip()
    if name == "fee_currency":
        return f"{value} ({currencies()[value]})" if value in currencies() else str(value)
    field = _field(name)
    if field.choices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal | float) or field.get_internal_type() == "DecimalField":
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def element_groups(version: MicroCredentialVersion) -> list[dict[str, Any]]:
    """The groups with each element's label and value in words, for the detail page."""
    return [
        {
            "slug": slug,
            "title": title,
            "elements": [
                {
                    "name": name,
                    "label": element_label(name),
                    "value": display_value(name, getattr(version, name)),
                    "is_text": name in TEXT_ELEMENTS and name != "title",
                }
                for name in names
            ],
        }
        for slug, title, names in ELEMENT_GROUPS
    ]


PART_FIELD_LABELS: dict[str, str] = {
    "text": "Outcome",
    "skills": "Skills (ESCO)",
    "type": "Type",
    "description": "Description",
    "weight": "Weight",
    "summative": "Summative",
    "outcomes": "Outcomes",
    "title": "Title",
    "hours": "Hours",
    "kind": "Kind",
    "target_micro_credential": "Micro-credential",
    "external_award": "Award",
    "external_provider": "Awarding provider",
    "credits": "Credits",
    "note": "Note",
}
# Part fields whose text is compared word by word on the show-changes page.
PART_TEXT_FIELDS = frozenset({"text", "description", "title", "external_award", "external_provider", "note"})


def display_part_value(name: str, value: Any, target_codes: dict[int, str] | None = None) -> str:
    """The value of a field of an outcome, assessment, module or pathway, in words ("" if not given)."""
    from .models import AssessmentType, PathwayKind

    if value is None or value == "" or value == []:
        return ""
    if name == "outcomes":
        return ", ".join(f"LO{n}" for n in value)
    if name == "skills":
        return "; ".join(str(s.get("label") or s.get("uri", "")) for s in value if isinstance(s, dict))
    if name == "type":
        return str(dict(AssessmentType.choices).get(value, value))
    if name == "kind":
        return str(dict(PathwayKind.choices).get(value, value))
    if name == "weight":
        return f"{_number(value)} %"
    if name in ("hours", "credits"):
        return _number(value)
    if name == "summative":
        return "Yes" if value else "No"
    if name == "target_micro_credential":
        return (target_codes or {}).get(value, f"micro-credential {value}")
    return str(value)
