"""The catalogue's facets: the query parameter, the search-entry column, the title and the labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from credence.microcredentials.models import AssessmentCertification, FormOfParticipation
from credence.microcredentials.vocabularies import isced_fields, languages
from credence.organisations.models import OrganisationKind
from credence.organisations.vocabularies import countries

from .models import QAStatus


@dataclass(frozen=True)
class Facet:
    param: str  # in the query string
    column: str  # in catalogue_searchentry
    title: str
    labels: Callable[[], dict[str, str]]
    kind: str = "text"  # text, int, bool

    def label(self, value: str) -> str:
        return self.labels().get(value, value)

    def parse(self, raw: str) -> str | int | bool | None:
        """The value as the column holds it, or None when it cannot be one (then it is ignored)."""
        raw = raw.strip()
        if not raw or len(raw) > 100:
            return None
        if self.kind == "int":
            return int(raw) if raw.isdigit() and len(raw) < 4 else None
        if self.kind == "bool":
            return {"yes": True, "no": False}.get(raw)
        return raw


@cache
def _countries() -> dict[str, str]:
    return countries()


@cache
def _fields() -> dict[str, str]:
    return {code: f"{name} ({code})" for code, name in isced_fields().items()}


def _none() -> dict[str, str]:
    return {}


FACETS: tuple[Facet, ...] = (
    Facet("qa", "qa_status", "Quality assurance", lambda: dict(QAStatus.choices)),
    Facet("provider", "provider_slug", "Provider", _none),
    Facet("provider_type", "provider_kind", "Type of provider", lambda: dict(OrganisationKind.choices)),
    Facet("country", "country", "Country", _countries),
    Facet("field", "field_of_study", "Field of study", _fields),
    Facet("eqf", "eqf_level", "EQF level", lambda: {str(n): f"Level {n}" for n in range(1, 9)}, "int"),
    Facet(
        "credits",
        "credit_band",
        "Credits (ECTS or equivalent)",
        lambda: {
            "lt1": "Less than 1",
            "1-4": "1 to 4",
            "5-9": "5 to 9",
            "10-14": "10 to 14",
            "15+": "15 or more",
        },
    ),
    Facet(
        "hours",
        "hours_band",
        "Notional learning hours",
        lambda: {
            "lt25": "Under 25 hours",
            "25-49": "25 to 49 hours",
            "50-99": "50 to 99 hours",
            "100-199": "100 to 199 hours",
            "200+": "200 hours or more",
        },
    ),
    Facet(
        "form", "form_of_participation", "Form of participation", lambda: dict(FormOfParticipation.choices)
    ),
    Facet("language", "language", "Main language", languages),
    Facet(
        "fee",
        "fee_band",
        "Fee (in the provider's currency)",
        lambda: {
            "free": "Free",
            "lt100": "Under 100",
            "100-499": "100 to 499",
            "500-999": "500 to 999",
            "1000+": "1,000 or more",
        },
    ),
    Facet(
        "assessment",
        "assessment_certification",
        "Assessment and certification",
        lambda: dict(AssessmentCertification.choices),
    ),
    Facet(
        "stackable",
        "stackable",
        "Stackable",
        lambda: {"yes": "Stacks into something", "no": "Stands alone"},
        "bool",
    ),
)
BY_PARAM = {f.param: f for f in FACETS}
