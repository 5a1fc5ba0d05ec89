"""The elements a catalogue column can be mapped to, how each cell is read, and a first guess at the
mapping from the column headings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from credence.microcredentials.models import (
    AssessmentCertification,
    CreditSystem,
    FormOfParticipation,
    MicroCredentialVersion,
    Supervision,
)

from . import values
from .values import ValueProblem

IGNORE = ""


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    read: Callable[[str], dict[str, Any]]
    synonyms: tuple[str, ...] = ()


def _text(name: str) -> Callable[[str], dict[str, Any]]:
    return lambda cell: {name: cell.strip()}


def _credits(cell: str) -> dict[str, Any]:
    number, system = values.parse_credits(cell, default_system=CreditSystem.ECTS)
    return {"credits": number, "credit_system": system} if number is not None or system else {}


def _choice(name: str, choices: Sequence[tuple[str, str]], what: str) -> Callable[[str], dict[str, Any]]:
    return lambda cell: {name: values.parse_choice(cell, list(choices), what)}


def _decimal(name: str, what: str) -> Callable[[str], dict[str, Any]]:
    def read(cell: str) -> dict[str, Any]:
        cleaned = re.sub(r"[€$£]|\b[A-Z]{3}\b", "", cell).strip()
        return {name: values.parse_number(cleaned, what) if cleaned else None}

    return read


def _fee(cell: str) -> dict[str, Any]:
    """'EUR 450', '€450', '450' -> amount (and the currency when it is written)."""
    currency = {"€": "EUR", "£": "GBP", "$": "USD"}
    found = re.search(r"\b([A-Z]{3})\b", cell)
    code = found.group(1) if found else next((c for s, c in currency.items() if s in cell), "")
    amount = _decimal("fee_amount", "fee")(cell)
    return amount | ({"fee_currency": code} if code else {})


def _level_choice(cell: str) -> dict[str, Any]:
    field = MicroCredentialVersion._meta.get_field("qf_ehea_level")
    choices = [(str(value), str(label)) for value, label in field.choices or []]
    return {"qf_ehea_level": values.parse_choice(cell, choices, "QF-EHEA cycle")}


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "code",
            "Code (matches records on re-import)",
            lambda c: {"code": c.strip()},
            ("code", "course code", "module code", "id", "identifier", "reference", "ref"),
        ),
        Target(
            "title",
            "Title",
            _text("title"),
            (
                "title",
                "name",
                "course title",
                "course name",
                "course",
                "module title",
                "module name",
                "programme title",
                "micro credential title",
            ),
        ),
        Target(
            "summary",
            "Summary",
            _text("summary"),
            ("summary", "description", "overview", "about", "course description"),
        ),
        Target(
            "learning_outcomes",
            "Learning outcomes (one cell: lines, bullets or numbers)",
            lambda c: {"learning_outcomes": values.split_outcomes(c)},
            ("learning outcomes", "outcomes", "what you will learn", "intended learning outcomes", "ilos"),
        ),
        Target(
            "credits",
            "Credits ('5 ECTS', '10 credits')",
            _credits,
            ("credits", "ects", "credit", "ects credits", "credit value", "workload credits"),
        ),
        Target(
            "credit_system",
            "Credit system",
            _choice("credit_system", CreditSystem.choices, "credit system"),
            ("credit system", "credit type"),
        ),
        Target(
            "notional_hours",
            "Notional learning hours ('120 hours', '6 weeks, 4 hours per week')",
            lambda c: {"notional_hours": values.parse_hours(c)},
            (
                "hours",
                "notional hours",
                "study hours",
                "workload",
                "effort",
                "study time",
                "study hours per course",
                "total hours",
                "learning hours",
                "time commitment",
            ),
        ),
        Target(
            "contact_hours",
            "Contact hours",
            lambda c: {"contact_hours": values.parse_hours(c)},
            ("contact hours", "taught hours"),
        ),
        Target(
            "duration_weeks",
            "Duration in weeks ('6 weeks', '3 months')",
            lambda c: {"duration_weeks": values.parse_weeks(c)},
            ("duration", "length", "weeks", "duration weeks"),
        ),
        Target(
            "eqf_level",
            "EQF level",
            lambda c: {"eqf_level": values.parse_eqf(c)},
            ("eqf", "eqf level", "level"),
        ),
        Target("qf_ehea_level", "QF-EHEA cycle", _level_choice, ("qf ehea", "cycle", "qf ehea level")),
        Target("nqf_framework", "National framework", _text("nqf_framework"), ("nqf", "national framework")),
        Target(
            "nqf_level",
            "National framework level",
            _text("nqf_level"),
            ("nqf level", "national level", "nfq level", "scqf level"),
        ),
        Target(
            "field_of_study",
            "Field of study (ISCED-F code)",
            lambda c: {"field_of_study": values.parse_isced(c)},
            (
                "isced",
                "isced f",
                "field",
                "field of study",
                "subject area",
                "subject isced",
                "isced code",
                "isced f code",
                "discipline",
            ),
        ),
        Target(
            "languages",
            "Languages ('en', 'English; French')",
            lambda c: {"languages": values.parse_languages(c)},
            ("language", "languages", "language of instruction", "languages of instruction"),
        ),
        Target(
            "target_learners",
            "Target learners",
            _text("target_learners"),
            ("target learners", "audience", "who is it for", "target audience", "who should attend"),
        ),
        Target(
            "prerequisites",
            "Prerequisites",
            _text("prerequisites"),
            ("prerequisites", "entry requirements", "requirements", "admission requirements"),
        ),
        Target(
            "learning_activities",
            "Learning activities",
            _text("learning_activities"),
            ("learning activities", "teaching methods", "how you will learn"),
        ),
        Target(
            "assessment_certification",
            "Assessment and certification",
            _choice("assessment_certification", AssessmentCertification.choices, "kind of certification"),
            ("certification", "certificate", "assessment and certification"),
        ),
        Target(
            "supervision",
            "Supervision and identity verification",
            _choice("supervision", Supervision.choices, "kind of supervision"),
            ("supervision",),
        ),
        Target(
            "grading_scheme",
            "Grading scheme",
            _text("grading_scheme"),
            ("grading", "grading scheme", "grades"),
        ),
        Target(
            "form_of_participation",
            "Form of participation",
            _choice("form_of_participation", FormOfParticipation.choices, "form of participation"),
            (
                "mode",
                "delivery",
                "delivery mode",
                "form of participation",
                "study mode",
                "format",
                "mode of study",
            ),
        ),
        Target(
            "instructors",
            "Instructors",
            _text("instructors"),
            ("instructors", "tutors", "lecturers", "teachers"),
        ),
        Target(
            "quality_assurance",
            "Type of quality assurance",
            _text("quality_assurance"),
            ("quality assurance", "qa"),
        ),
        Target(
            "stackability_note",
            "Stackability and recognition",
            _text("stackability_note"),
            ("stackability", "stacks into", "recognition", "pathways"),
        ),
        Target(
            "employer_involvement",
            "Employer involvement",
            _text("employer_involvement"),
            ("employer involvement", "industry partner", "industry involvement"),
        ),
        Target("fee_amount", "Fee ('EUR 450', '€450')", _fee, ("fee", "fees", "price", "cost", "tuition")),
        Target(
            "fee_currency",
            "Fee currency (ISO 4217)",
            lambda c: {"fee_currency": c.strip().upper()},
            ("currency",),
        ),
        Target("fee_note", "About the fee", _text("fee_note"), ("fee note", "funding")),
        Target(
            "further_information",
            "Further information",
            _text("further_information"),
            ("further information", "notes", "more information", "url", "link", "web page"),
        ),
    )
}
REQUIRED = ("code", "title")


def target_choices() -> list[tuple[str, str]]:
    return [(IGNORE, "— do not import —")] + [(t.name, t.label) for t in TARGETS.values()]


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def guess_mapping(headers: Sequence[str], saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """A saved mapping wins; else a heading that names an element (or a common synonym) maps to it."""
    saved_normal = {_normal(k): v for k, v in (saved or {}).items()}
    by_word: dict[str, str] = {}
    for target in TARGETS.values():
        for word in (target.name.replace("_", " "), _normal(target.label.split("(")[0]), *target.synonyms):
            by_word.setdefault(_normal(word), target.name)
    result: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        key = _normal(header)
        if key in saved_normal:
            choice = saved_normal[key] if saved_normal[key] in TARGETS else IGNORE
        else:
            choice = by_word.get(key, IGNORE)
            if choice in used:
                choice = IGNORE
        result[header] = choice
        if choice:
            used.add(choice)
    return result


def mapping_problems(mapping: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    chosen = [v for v in mapping.values() if v]
    unknown = sorted({v for v in chosen if v not in TARGETS})
    if unknown:
        problems.append(f"Unknown element(s): {', '.join(unknown)}.")
    for name in REQUIRED:
        if name not in chosen:
            problems.append(f"Map a column to '{TARGETS[name].label}': every row needs one.")
    doubled = sorted({v for v in chosen if chosen.count(v) > 1})
    for name in doubled:
        columns = [k for k, v in mapping.items() if v == name]
        problems.append(
            f"'{TARGETS[name].label}' is mapped from several columns ({', '.join(columns)}): choose one."
        )
    return problems


def read_row(
    cells: Mapping[str, str], mapping: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The row as elements of a version (with 'code'), and the problems per column heading."""
    data: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for column, target in mapping.items():
        if not target or target not in TARGETS:
            continue
        cell = cells.get(column, "") or ""
        try:
            read = TARGETS[target].read(cell)
        except ValueProblem as problem:
            problems.setdefault(column, []).append(str(problem))
            continue
        for key, value in read.items():
            # An explicit column wins over what another column implied (a 'credits' cell's system).
            if key != target and key in data and data[key] not in ("", None):
                continue
            data[key] = value
    return data, problems
