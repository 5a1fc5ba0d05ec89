"""The monitoring indicators: what each one means, and how it is computed from counts.

Rates are percentages (0 to 100); scores are means on the 1 to 5 scale. `n` is always the number of people
(or answers) the value is computed over, which decides suppression (see MIN_CELL).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Anything public or shared shows a figure only when at least this many people are behind it.
MIN_CELL = 10


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # "%", "/5", "people", "days"
    formula: str


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("enrolled", "Enrolled", "people", "enrolments in the offering"),
        Indicator(
            "started", "Started", "people", "enrolments started, completed, or withdrawn after starting"
        ),
        Indicator("withdrawn", "Withdrawn", "people", "enrolments withdrawn"),
        Indicator("completed", "Completed", "people", "enrolments completed"),
        Indicator("passed", "Passed", "people", "completed enrolments marked passed"),
        Indicator(
            "retention_rate", "Retention", "%", "100 × (enrolled − withdrawn) ÷ enrolled; n = enrolled"
        ),
        Indicator("progression_rate", "Progression", "%", "100 × started ÷ enrolled; n = enrolled"),
        Indicator("completion_rate", "Completion", "%", "100 × completed ÷ enrolled; n = enrolled"),
        Indicator("pass_rate", "Pass rate", "%", "100 × passed ÷ completed; n = completed"),
        Indicator(
            "learner_satisfaction",
            "Learner satisfaction",
            "/5",
            "mean answer to the learner questionnaire's overall-satisfaction question; n = answers",
        ),
        Indicator(
            "employer_satisfaction",
            "Employer satisfaction",
            "/5",
            "mean answer to the employer questionnaire's overall-satisfaction question; n = answers",
        ),
        Indicator(
            "graduate_outcomes",
            "Positive graduate outcomes",
            "%",
            "100 × graduates reporting a new job, a promotion or further study ÷ graduates answering; "
            "n = graduates answering",
        ),
        Indicator(
            "response_rate",
            "Survey response rate",
            "%",
            "100 × responses ÷ invitations sent, over the offering's surveys; n = invitations",
        ),
        Indicator(
            "review_overdue",
            "Review overdue",
            "days",
            "days since the micro-credential's review fell due (0 when not overdue)",
        ),
    )
}
COUNTS = ("enrolled", "started", "withdrawn", "completed", "passed")
RATES = ("retention_rate", "progression_rate", "completion_rate", "pass_rate")
MEANS = ("learner_satisfaction", "employer_satisfaction")


@dataclass(frozen=True)
class Value:
    value: float | None
    n: int


def rate(part: int, whole: int) -> Value:
    """100 x part / whole, rounded to one decimal; no value when nobody is behind it."""
    return Value(round(100.0 * part / whole, 1) if whole else None, whole)


def mean(total: float, count: int) -> Value:
    return Value(round(total / count, 2) if count else None, count)


@dataclass
class Tally:
    """The raw counts an offering (or a sum of offerings) yields; every indicator is computed from them."""

    enrolled: int = 0
    started: int = 0
    withdrawn: int = 0
    completed: int = 0
    passed: int = 0
    learner_sum: float = 0.0
    learner_count: int = 0
    employer_sum: float = 0.0
    employer_count: int = 0
    graduates_positive: int = 0
    graduates_answering: int = 0
    invitations: int = 0
    responses: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def compute(t: Tally) -> dict[str, Value]:
    return {
        "enrolled": Value(float(t.enrolled), t.enrolled),
        "started": Value(float(t.started), t.enrolled),
        "withdrawn": Value(float(t.withdrawn), t.enrolled),
        "completed": Value(float(t.completed), t.enrolled),
        "passed": Value(float(t.passed), t.completed),
        "retention_rate": rate(t.enrolled - t.withdrawn, t.enrolled),
        "progression_rate": rate(t.started, t.enrolled),
        "completion_rate": rate(t.completed, t.enrolled),
        "pass_rate": rate(t.passed, t.completed),
        "learner_satisfaction": mean(t.learner_sum, t.learner_count),
        "employer_satisfaction": mean(t.employer_sum, t.employer_count),
        "graduate_outcomes": rate(t.graduates_positive, t.graduates_answering),
        "response_rate": rate(t.responses, t.invitations),
    }


def suppressed(value: Value, period: str) -> dict[str, object]:
    """The shape shared outside the provider: no value when fewer than MIN_CELL people are behind it."""
    hidden = value.n < MIN_CELL
    return {"value": None if hidden else value.value, "n": value.n, "period": period, "suppressed": hidden}


def crosses(value: float | None, comparison: str, limit: float) -> bool:
    if value is None:
        return False
    return value < limit if comparison == "below" else value > limit


def describe(key: str, value: float | None) -> str:
    indicator = INDICATORS[key]
    if value is None:
        return "–"
    if indicator.unit == "%":
        return f"{value:.1f} %"
    if indicator.unit == "/5":
        return f"{value:.2f} of 5"
    if indicator.unit == "days":
        return f"{value:.0f} days"
    return f"{value:.0f}"


def sum_tallies(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total
