"""The machine checks: pure functions over one version, registered by id and parameterised by a pack.

A check reads a `Subject` (the version as a plain document, in the shape of
`credence.microcredentials.documents.version_document`, plus the little it needs to know about the
organisation) and returns a `CheckResult`: pass, fail or not applicable, a sentence a person
understands, and the path of the field at fault (`learning_outcomes[2].text`). Checks never do I/O and
never raise on an incomplete or inconsistent draft: anything missing or of the wrong type is read as
"not given".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

PASS = "pass"
FAIL = "fail"
NOT_APPLICABLE = "not_applicable"
STATUSES = (PASS, FAIL, NOT_APPLICABLE)
STATUS_LABELS = {PASS: "Pass", FAIL: "Fail", NOT_APPLICABLE: "Not applicable"}


@dataclass(frozen=True)
class CheckResult:
    status: str
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"status": self.status, "message": self.message, "field": self.field}


@dataclass(frozen=True)
class Sibling:
    """Another micro-credential of the same organisation, as the duplicate check needs it."""

    micro_credential_id: int
    code: str
    title: str
    outcomes: tuple[str, ...] = ()


@dataclass
class Subject:
    """What the checks read: the version's document and a little context around it."""

    document: Mapping[str, Any]
    micro_credential_id: int | None = None
    organisation_name: str = ""
    organisation_countries: tuple[str, ...] = ()
    siblings: Sequence[Sibling] = ()
    known_micro_credential_ids: frozenset[int] = frozenset()
    today: dt.date = field(default_factory=dt.date.today)


CheckFunction = Callable[[Subject, Mapping[str, Any]], CheckResult]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    function: CheckFunction
    params_schema: Mapping[str, Any]


REGISTRY: dict[str, CheckSpec] = {}


def check(
    check_id: str, title: str, params: Mapping[str, Any] | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under `check_id`; `params` is the JSON schema of its parameters."""
    schema = {"type": "object", "additionalProperties": False, "properties": {}, **(params or {})}

    def register(function: CheckFunction) -> CheckFunction:
        if check_id in REGISTRY:
            raise RuntimeError(f"Two checks are registered as '{check_id}'.")
        REGISTRY[check_id] = CheckSpec(check_id, title, function, schema)
        return function

    return register


def run_check(check_id: str, subject: Subject, params: Mapping[str, Any] | None = None) -> CheckResult:
    return REGISTRY[check_id].function(subject, params or {})


# --- reading a document that may be incomplete or inconsistent ---------------------------------------


def _get(doc: Mapping[str, Any], name: str) -> Any:
    try:
        return doc.get(name)
    except AttributeError:  # not a mapping at all
        return None


def _text(doc: Mapping[str, Any], name: str) -> str:
    value = _get(doc, name)
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | str):
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None
    return None


def _field_number(doc: Mapping[str, Any], name: str) -> Decimal | None:
    return _number(_get(doc, name))


def _parts(doc: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = _get(doc, name)
    if type(value) is not list and not isinstance(value, list | tuple):
        return []
    return [part if isinstance(part, Mapping) else {} for part in value]


def _numbers_in(value: Any) -> set[int]:
    if not isinstance(value, list | tuple | set | frozenset):
        return set()
    return {n for n in value if type(n) is int}


def _present(doc: Mapping[str, Any], name: str) -> bool:
    value = _get(doc, name)
    if value is None or value is False:
        return False
    if type(value) is str:
        return bool(value.strip())
    if isinstance(value, list | tuple | dict | set):
        return len(value) > 0
    return True


def _fmt(number: Decimal | None) -> str:
    if number is None:
        return "—"
    text = format(number.normalize(), "f")
    return text if len(text) <= 24 else f"{number:.3e}"


def _bounds(params: Mapping[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    return _number(params.get("min")), _number(params.get("max"))


NUMBER = {"type": "number"}
STRING_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}


# --- the checks ------------------------------------------------------------------------------------------

ELEMENT_LABELS = {
    "title": "the title",
    "summary": "a description",
    "target_learners": "who it is for",
    "prerequisites": "the prerequisites",
    "languages": "the language(s) of instruction",
    "credit_system": "the credit system",
    "credits": "the credit value",
    "notional_hours": "the notional learning hours",
    "contact_hours": "the contact hours",
    "duration_weeks": "the duration",
    "field_of_study": "the field of study",
    "learning_activities": "the learning activities",
    "assessment_certification": "the kind of assessment and certification",
    "supervision": "supervision and identity verification",
    "grading_scheme": "the grading scheme",
    "form_of_participation": "the form of participation",
    "support_academic": "the academic support",
    "support_administrative": "the administrative support",
    "support_library": "the library and learning resources",
    "technology_needed": "the technology learners need",
    "instructors": "the instructors",
    "stackability_note": "how it stacks or is recognised",
    "quality_assurance": "the type of quality assurance",
    "content_lifespan_months": "the content lifespan",
    "next_review_date": "the next review date",
    "employer_involvement": "employer or industry involvement",
    "sdgs": "the Sustainable Development Goals it contributes to",
    "fee_amount": "the fee",
    "further_information": "further information",
    "learning_outcomes": "at least one learning outcome",
    "assessments": "at least one assessment",
    "modules": "at least one module or topic",
    "pathways": "at least one pathway",
}
LEVEL_FIELDS = ("eqf_level", "qf_ehea_level", "nqf_level")


@check(
    "required_elements",
    "Required elements are present",
    {
        "required": ["elements"],
        "properties": {
            "elements": {"type": "array", "minItems": 1, "items": {"enum": [*ELEMENT_LABELS, "level"]}}
        },
    },
)
def required_elements(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    missing: list[str] = []
    for name in params.get("elements", []):
        if name == "level":
            given = any(_present(doc, n) for n in LEVEL_FIELDS) or (
                doc.get("level_not_applicable") is True and bool(_text(doc, "level_not_applicable_reason"))
            )
            if not given:
                missing.append(name)
        elif not _present(doc, name):
            missing.append(name)
    if missing:
        labels = [ELEMENT_LABELS.get(n, "a level (or 'not applicable' with a reason)") for n in missing]
        return CheckResult(FAIL, "Missing: " + "; ".join(labels) + ".", missing[0])
    return CheckResult(PASS, "Every required element is given.")


@check(
    "credit_range",
    "Credit value within the range",
    {
        "properties": {"min": NUMBER, "max": NUMBER, "unit": {"type": "string"}},
        "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
    },
)
def credit_range(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    unit = params.get("unit")
    system = _text(doc, "credit_system")
    credits = _field_number(doc, "credits")
    low, high = _bounds(params)
    span = f"{_fmt(low) if low is not None else 'any'}–{_fmt(high) if high is not None else 'any'}"
    if unit and system and system != unit:
        return CheckResult(NOT_APPLICABLE, f"Its credits are in {system}, not {unit}.", "credit_system")
    if credits is None:
        return CheckResult(
            FAIL, f"No credit value is given (expected {span} {unit or 'credits'}).", "credits"
        )
    if (low is not None and credits < low) or (high is not None and credits > high):
        return CheckResult(
            FAIL, f"{_fmt(credits)} credits is outside the range {span} {unit or ''}.".strip(), "credits"
        )
    return CheckResult(PASS, f"{_fmt(credits)} {system or 'credits'} is within {span}.")


@check(
    "credit_range_any",
    "Credit value within one of the ranges",
    {
        "required": ["options"],
        "properties": {
            "options": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["unit", "min", "max"],
                    "additionalProperties": False,
                    "properties": {"unit": {"type": "string"}, "min": NUMBER, "max": NUMBER},
                },
            }
        },
    },
)
def credit_range_any(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    system = _text(doc, "credit_system")
    credits = _field_number(doc, "credits")
    options = [o for o in params.get("options", []) if isinstance(o, Mapping)]
    wanted = ", ".join(f"{o.get('min')}–{o.get('max')} {o.get('unit')}" for o in options)
    if credits is None:
        return CheckResult(FAIL, f"No credit value is given (expected {wanted}).", "credits")
    for option in options:
        low, high = _bounds(option)
        if option.get("unit") == system and low is not None and high is not None and low <= credits <= high:
            return CheckResult(PASS, f"{_fmt(credits)} {system} is within the expected size.")
    return CheckResult(FAIL, f"{_fmt(credits)} {system or 'credits'} is not one of: {wanted}.", "credits")


@check(
    "credit_hours",
    "Credits consistent with notional hours",
    {
        "required": ["unit", "min_hours_per_credit", "max_hours_per_credit"],
        "properties": {
            "unit": {"type": "string"},
            "min_hours_per_credit": NUMBER,
            "max_hours_per_credit": NUMBER,
        },
    },
)
def credit_hours(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    unit = params.get("unit")
    system = _text(doc, "credit_system")
    credits = _field_number(doc, "credits")
    hours = _field_number(doc, "notional_hours")
    low = _number(params.get("min_hours_per_credit")) or Decimal(0)
    high = _number(params.get("max_hours_per_credit")) or Decimal(0)
    if system != unit or credits is None or credits <= 0:
        return CheckResult(NOT_APPLICABLE, f"It carries no {unit} credits.", "credits")
    if hours is None:
        return CheckResult(
            FAIL, "Give the notional learning hours, so the credits can be checked.", "notional_hours"
        )
    expected = (
        f"{_fmt(credits * low)}–{_fmt(credits * high)} h" if low != high else f"{_fmt(credits * low)} h"
    )
    if not (credits * low <= hours <= credits * high):
        return CheckResult(
            FAIL,
            f"{_fmt(credits)} {unit} credits should mean {expected} of learning; {_fmt(hours)} h are given.",
            "notional_hours",
        )
    return CheckResult(PASS, f"{_fmt(hours)} h fits {_fmt(credits)} {unit} credits ({expected}).")


@check(
    "level",
    "Level given and within the range",
    {
        "properties": {
            "framework": {"enum": ["EQF", "NQF"]},
            "min": {"type": "integer"},
            "max": {"type": "integer"},
            "allow_not_applicable": {"type": "boolean"},
        },
        "required": ["framework"],
    },
)
def level(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    framework = params.get("framework", "EQF")
    name = "eqf_level" if framework == "EQF" else "nqf_level"
    if doc.get("level_not_applicable") is True:
        if not params.get("allow_not_applicable", True):
            return CheckResult(FAIL, f"This framework expects a {framework} level.", "level_not_applicable")
        if not _text(doc, "level_not_applicable_reason"):
            return CheckResult(
                FAIL,
                "The level is marked not applicable, but no reason is given.",
                "level_not_applicable_reason",
            )
        return CheckResult(PASS, "No level applies, and the reason is given.")
    raw = doc.get(name)
    number = _number(raw.strip()) if isinstance(raw, str) else _number(raw)
    if number is None:
        if isinstance(raw, str) and raw.strip():
            return CheckResult(FAIL, f"'{raw.strip()[:40]}' is not a level number.", name)
        return CheckResult(
            FAIL, f"Give the {framework} level, or mark the level not applicable with a reason.", name
        )
    low, high = _bounds(params)
    if (low is not None and number < low) or (high is not None and number > high):
        return CheckResult(
            FAIL, f"{framework} level {_fmt(number)} is outside {_fmt(low)}–{_fmt(high)}.", name
        )
    return CheckResult(PASS, f"{framework} level {_fmt(number)}.")


@check("outcomes_assessed", "Every outcome is assessed")
def outcomes_assessed(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    outcomes = _parts(subject.document, "learning_outcomes")
    if not outcomes:
        return CheckResult(FAIL, "There are no learning outcomes to assess.", "learning_outcomes")
    covered: set[int] = set()
    for assessment in _parts(subject.document, "assessments"):
        covered |= _numbers_in(assessment.get("outcomes"))
    missing = [n for n in range(1, len(outcomes) + 1) if n not in covered]
    if missing:
        names = ", ".join(f"LO{n}" for n in missing[:10]) + ("…" if len(missing) > 10 else "")
        return CheckResult(FAIL, f"No assessment assesses {names}.", f"learning_outcomes[{missing[0] - 1}]")
    return CheckResult(PASS, f"All {len(outcomes)} outcomes are assessed.")


@check("assessments_aligned", "Every assessment is aligned to an outcome")
def assessments_aligned(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    assessments = _parts(subject.document, "assessments")
    if not assessments:
        return CheckResult(FAIL, "There are no assessments.", "assessments")
    count = len(_parts(subject.document, "learning_outcomes"))
    for index, assessment in enumerate(assessments):
        valid = {n for n in _numbers_in(assessment.get("outcomes")) if 1 <= n <= count}
        if not valid:
            return CheckResult(
                FAIL,
                f"Assessment {index + 1} is not aligned to any learning outcome.",
                f"assessments[{index}].outcomes",
            )
    return CheckResult(PASS, f"All {len(assessments)} assessments are aligned to outcomes.")


@check("assessment_weights", "Assessment weights add up to 100%")
def assessment_weights(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    assessments = _parts(subject.document, "assessments")
    if not assessments:
        return CheckResult(NOT_APPLICABLE, "There are no assessments to weigh.", "assessments")
    total = Decimal(0)
    for index, assessment in enumerate(assessments):
        weight = _number(assessment.get("weight"))
        if weight is None:
            return CheckResult(FAIL, f"Assessment {index + 1} has no weight.", f"assessments[{index}].weight")
        total += weight
    if total != 100:
        return CheckResult(FAIL, f"The weights add up to {_fmt(total)}%, not 100%.", "assessments")
    return CheckResult(PASS, "The weights add up to 100%.")


@check("modules_cover_outcomes", "Modules cover every outcome")
def modules_cover_outcomes(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    modules = _parts(subject.document, "modules")
    outcomes = _parts(subject.document, "learning_outcomes")
    if not modules:
        return CheckResult(NOT_APPLICABLE, "No modules are described.", "modules")
    covered: set[int] = set()
    for module in modules:
        covered |= _numbers_in(module.get("outcomes"))
    missing = [n for n in range(1, len(outcomes) + 1) if n not in covered]
    if missing:
        names = ", ".join(f"LO{n}" for n in missing[:10]) + ("…" if len(missing) > 10 else "")
        return CheckResult(FAIL, f"No module covers {names}.", f"learning_outcomes[{missing[0] - 1}]")
    return CheckResult(PASS, "The modules cover every outcome.")


@check("module_hours", "Module hours fit the total")
def module_hours(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    modules = _parts(subject.document, "modules")
    hours = [_number(m.get("hours")) for m in modules]
    given = [h for h in hours if h is not None]
    total_hours = _field_number(subject.document, "notional_hours")
    if not given:
        return CheckResult(NOT_APPLICABLE, "No module hours are given.", "modules")
    if total_hours is None:
        return CheckResult(
            FAIL, "Module hours are given but the notional learning hours are not.", "notional_hours"
        )
    total = sum(given, Decimal(0))
    if total > total_hours:
        return CheckResult(
            FAIL,
            f"The modules add up to {_fmt(total)} h, more than the {_fmt(total_hours)} notional hours.",
            "modules",
        )
    return CheckResult(PASS, f"The modules take {_fmt(total)} of {_fmt(total_hours)} notional hours.")


_PREFIX = re.compile(r"^(learners?|students?|participants?)\s+(will|can|should)\s+(be able to\s+)?")
VAGUE_VERBS = (
    "understand",
    "know",
    "appreciate",
    "learn about",
    "be aware of",
    "be familiar with",
    "comprehend",
)


@check(
    "measurable_outcomes",
    "Outcomes start with an observable action verb",
    {"properties": {"vague_verbs": STRING_LIST}},
)
def measurable_outcomes(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    vague = [v.lower() for v in params.get("vague_verbs") or VAGUE_VERBS if isinstance(v, str)]
    outcomes = _parts(subject.document, "learning_outcomes")
    if not outcomes:
        return CheckResult(NOT_APPLICABLE, "There are no learning outcomes yet.", "learning_outcomes")
    for index, outcome in enumerate(outcomes):
        text = outcome.get("text")
        words = _PREFIX.sub("", text.strip().lower()) if isinstance(text, str) else ""
        words = words.removeprefix("to ")
        if not words:
            return CheckResult(FAIL, f"LO{index + 1} has no text.", f"learning_outcomes[{index}].text")
        for verb in vague:
            if words == verb or words.startswith(verb + " "):
                return CheckResult(
                    FAIL,
                    f"LO{index + 1} starts with '{verb}', which cannot be observed: say what the learner will do (e.g. explain, apply, design).",
                    f"learning_outcomes[{index}].text",
                )
    return CheckResult(PASS, "Every outcome starts with an observable action.")


@check(
    "outcome_count",
    "Number of outcomes within the range",
    {
        "properties": {"min": {"type": "integer", "minimum": 0}, "max": {"type": "integer", "minimum": 1}},
        "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
    },
)
def outcome_count(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    count = len(_parts(subject.document, "learning_outcomes"))
    low, high = _bounds(params)
    if low is not None and count < low:
        return CheckResult(
            FAIL, f"{count} learning outcome(s); at least {_fmt(low)} are expected.", "learning_outcomes"
        )
    if high is not None and count > high:
        return CheckResult(
            FAIL,
            f"{count} learning outcomes; at most {_fmt(high)} are expected for something this small.",
            "learning_outcomes",
        )
    return CheckResult(PASS, f"{count} learning outcomes.")


@functools.lru_cache(maxsize=1024)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")


@check(
    "title_restricted_words",
    "Title free of restricted words",
    {"required": ["words"], "properties": {"words": STRING_LIST}},
)
def title_restricted_words(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    title = _text(subject.document, "title").lower()
    if not title:
        return CheckResult(FAIL, "There is no title.", "title")
    found = [
        w for w in params.get("words", []) if isinstance(w, str) and _whole_word(w.lower()).search(title)
    ]
    if found:
        return CheckResult(
            FAIL,
            f"The title uses {', '.join(repr(w) for w in found)}, which may be confused with a qualification.",
            "title",
        )
    return CheckResult(PASS, "The title uses none of the restricted words.")


@check(
    "identity_verification",
    "Identity verification declared for assessment",
    {"properties": {"require_verified": {"type": "boolean"}}},
)
def identity_verification(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    certification = _text(doc, "assessment_certification")
    supervision = _text(doc, "supervision")
    if certification and certification != "assessment based certificate":
        return CheckResult(
            NOT_APPLICABLE, "No certificate follows an assessment.", "assessment_certification"
        )
    if not supervision:
        return CheckResult(
            FAIL,
            "Say how assessment is supervised and whether the learner's identity is verified.",
            "supervision",
        )
    if params.get("require_verified") and supervision != "supervised with identity verification":
        return CheckResult(
            FAIL,
            "This framework requires the learner's identity to be verified at assessment.",
            "supervision",
        )
    return CheckResult(PASS, f"Declared: {supervision}.")


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(min(year, dt.MAXYEAR), month, min(day.day, 28))


@check(
    "next_review",
    "Next review date set and within the content lifespan",
    {"properties": {"max_months": {"type": "integer", "minimum": 1}}},
)
def next_review(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    value = doc.get("next_review_date")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return CheckResult(FAIL, "Set the date of the next review.", "next_review_date")
    if value < subject.today:
        return CheckResult(FAIL, f"The review date {value.isoformat()} has passed.", "next_review_date")
    lifespan = _field_number(doc, "content_lifespan_months")
    limits = [
        int(n) for n in (lifespan, _number(params.get("max_months"))) if n is not None and 0 < n < 100_000
    ]
    if limits:
        latest = _add_months(subject.today, min(limits))
        if value > latest:
            return CheckResult(
                FAIL,
                f"The next review ({value.isoformat()}) is later than {min(limits)} months from now: the content may be out of date by then.",
                "next_review_date",
            )
    return CheckResult(PASS, f"Next review on {value.isoformat()}.")


STACKING_KINDS = ("stacks into", "credit recognised towards")


@check(
    "stacking",
    "Stacking target exists and the credits add up",
    {"properties": {"required": {"type": "boolean"}}},
)
def stacking(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    pathways = [(i, p) for i, p in enumerate(_parts(doc, "pathways")) if p.get("kind") in STACKING_KINDS]
    if not pathways:
        if params.get("required"):
            return CheckResult(
                FAIL,
                "Name at least one award or micro-credential it stacks into or counts towards.",
                "pathways",
            )
        return CheckResult(NOT_APPLICABLE, "It does not stack into anything.", "pathways")
    own = _field_number(doc, "credits")
    for index, pathway in pathways:
        target = pathway.get("target_micro_credential")
        if isinstance(target, int) and not isinstance(target, bool):
            if subject.known_micro_credential_ids and target not in subject.known_micro_credential_ids:
                return CheckResult(
                    FAIL,
                    f"Pathway {index + 1} points at a micro-credential that does not exist.",
                    f"pathways[{index}].target_micro_credential",
                )
            if subject.micro_credential_id is not None and target == subject.micro_credential_id:
                return CheckResult(
                    FAIL,
                    f"Pathway {index + 1} points at this micro-credential itself.",
                    f"pathways[{index}].target_micro_credential",
                )
        elif not (isinstance(pathway.get("external_award"), str) and pathway["external_award"].strip()):
            return CheckResult(FAIL, f"Pathway {index + 1} names no target.", f"pathways[{index}]")
        recognised = _number(pathway.get("credits"))
        if recognised is not None and (own is None or recognised > own):
            return CheckResult(
                FAIL,
                f"Pathway {index + 1} recognises {_fmt(recognised)} credits, more than the {_fmt(own)} it carries.",
                f"pathways[{index}].credits",
            )
    return CheckResult(
        PASS, f"{len(pathways)} stacking pathway(s), each with a target and credits that add up."
    )


@check("employer_involvement", "Employer involvement recorded")
def employer_involvement(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    if _text(subject.document, "employer_involvement"):
        return CheckResult(PASS, "Employer or industry involvement is described.")
    return CheckResult(FAIL, "Describe how employers or industry were involved.", "employer_involvement")


@check(
    "workload_range",
    "Notional hours within the range",
    {"properties": {"min": NUMBER, "max": NUMBER}, "anyOf": [{"required": ["min"]}, {"required": ["max"]}]},
)
def workload_range(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    hours = _field_number(subject.document, "notional_hours")
    low, high = _bounds(params)
    span = f"{_fmt(low) if low is not None else 'any'}–{_fmt(high) if high is not None else 'any'} h"
    if hours is None:
        return CheckResult(FAIL, f"Give the notional learning hours (expected {span}).", "notional_hours")
    if (low is not None and hours < low) or (high is not None and hours > high):
        return CheckResult(FAIL, f"{_fmt(hours)} notional hours is outside {span}.", "notional_hours")
    return CheckResult(PASS, f"{_fmt(hours)} notional hours, within {span}.")


@check("assessed", "Learning is assessed")
def assessed(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    doc = subject.document
    if _text(doc, "assessment_certification") in (
        "no assessment and no certificate",
        "attendance certificate",
    ):
        return CheckResult(
            FAIL,
            "It is not assessed: a micro-credential certifies assessed learning.",
            "assessment_certification",
        )
    if not _parts(doc, "assessments"):
        return CheckResult(FAIL, "Describe at least one assessment.", "assessments")
    return CheckResult(PASS, "Learning is assessed.")


@check("summative_assessment", "A summative assessment")
def summative_assessment(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    assessments = _parts(subject.document, "assessments")
    if any(a.get("summative") is True for a in assessments):
        return CheckResult(PASS, "At least one assessment is summative.")
    return CheckResult(FAIL, "No assessment is summative.", "assessments")


@check("issuer_identified", "Awarding body and its country known")
def issuer_identified(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    if not subject.organisation_name.strip():
        return CheckResult(FAIL, "The awarding organisation is not known.", "organisation")
    if not subject.organisation_countries:
        return CheckResult(
            FAIL, f"{subject.organisation_name} has no country on record.", "organisation.locations"
        )
    return CheckResult(PASS, f"{subject.organisation_name} ({', '.join(subject.organisation_countries)}).")


@check(
    "at_issuance", "Filled in when a credential is issued", {"properties": {"element": {"type": "string"}}}
)
def at_issuance(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    element = params.get("element") or "This element"
    return CheckResult(
        NOT_APPLICABLE, f"{element} is written on each credential when it is issued, not on the version."
    )


@functools.lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if len(w) > 2)


_WORD = re.compile(r"[a-z0-9]+")


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@check(
    "likely_duplicate",
    "Not a likely duplicate of another micro-credential",
    {"properties": {"threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}}},
)
def likely_duplicate(subject: Subject, params: Mapping[str, Any]) -> CheckResult:
    threshold = float(params.get("threshold") or 0.6)
    title = _words(_text(subject.document, "title"))
    outcomes = _words(
        " ".join(
            str(o.get("text"))
            for o in _parts(subject.document, "learning_outcomes")
            if isinstance(o.get("text"), str)
        )
    )
    if not title:
        return CheckResult(NOT_APPLICABLE, "There is no title to compare.", "title")
    for sibling in subject.siblings:
        if (
            subject.micro_credential_id is not None
            and sibling.micro_credential_id == subject.micro_credential_id
        ):
            continue
        title_score = similarity(title, _words(sibling.title))
        if (title_score < threshold) if not outcomes else (0.5 * title_score + 0.5 < threshold):
            continue  # even identical outcomes could not reach the threshold
        outcome_score = similarity(outcomes, _words(" ".join(sibling.outcomes)))
        score = 0.5 * title_score + 0.5 * outcome_score if outcomes else title_score
        if score >= threshold:
            return CheckResult(
                FAIL,
                f"Very like {sibling.code} '{sibling.title}' (similarity {score:.0%}): check that it is not a duplicate.",
                "title",
            )
    return CheckResult(PASS, "No other micro-credential of the organisation looks like it.")
