"""A version as one plain document: its elements and its ordered parts.

The API reads and writes this shape, `update_draft` validates it, and the diff compares two of them.
Assessments and modules name the outcomes they cover by number (1 = LO1) within the same version.
"""

from __future__ import annotations

from typing import Any

from .models import DESCRIPTIVE_FIELDS, MicroCredentialVersion

PART_FIELDS: dict[str, tuple[str, ...]] = {
    "learning_outcomes": ("text", "skills"),
    "assessments": ("type", "description", "weight", "summative", "outcomes"),
    "modules": ("title", "description", "hours", "outcomes"),
    "pathways": ("kind", "target_micro_credential", "external_award", "external_provider", "credits", "note"),
}
PART_LABELS = {
    "learning_outcomes": ("learning outcome", "LO"),
    "assessments": ("assessment", "Assessment "),
    "modules": ("module", "Module "),
    "pathways": ("pathway", "Pathway "),
}


def version_document(version: MicroCredentialVersion, *, with_ids: bool = True) -> dict[str, Any]:
    """Everything that describes `version`. Prefetch its parts to keep this to a few queries."""
    document: dict[str, Any] = {name: getattr(version, name) for name in DESCRIPTIVE_FIELDS}
    outcomes = list(version.learning_outcomes.all())
    number_of = {outcome.pk: index for index, outcome in enumerate(outcomes, start=1)}

    def part(obj: Any, fields: dict[str, Any]) -> dict[str, Any]:
        identity = {"id": obj.pk, "key": str(obj.key)} if with_ids else {"key": str(obj.key)}
        return identity | fields

    document["learning_outcomes"] = [
        part(o, {"number": number_of[o.pk], "text": o.text, "skills": o.skills}) for o in outcomes
    ]
    document["assessments"] = [
        part(
            a,
            {
                "type": a.type,
                "description": a.description,
                "weight": a.weight,
                "summative": a.summative,
                "outcomes": sorted(number_of[o.pk] for o in a.outcomes.all() if o.pk in number_of),
            },
        )
        for a in version.assessments.all()
    ]
    document["modules"] = [
        part(
            m,
            {
                "title": m.title,
                "description": m.description,
                "hours": m.hours,
                "outcomes": sorted(number_of[o.pk] for o in m.outcomes.all() if o.pk in number_of),
            },
        )
        for m in version.modules.all()
    ]
    document["pathways"] = [
        part(
            p,
            {
                "kind": p.kind,
                "target_micro_credential": p.target_micro_credential_id,
                "external_award": p.external_award,
                "external_provider": p.external_provider,
                "credits": p.credits,
                "note": p.note,
            },
        )
        for p in version.pathways.all()
    ]
    return document


def prefetch_parts(queryset: Any) -> Any:
    return queryset.select_related("micro_credential__organisation").prefetch_related(
        "learning_outcomes",
        "assessments__outcomes",
        "modules__outcomes",
        "pathways__target_micro_credential",
    )
