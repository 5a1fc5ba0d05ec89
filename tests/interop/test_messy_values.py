"""The messy values real catalogues hold come in as clean elements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credence.interop.values import (
    ValueProblem,
    parse_credits,
    parse_eqf,
    parse_hours,
    parse_isced,
    parse_languages,
    parse_weeks,
    split_outcomes,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 ECTS", (Decimal(5), "ECTS")),
        ("7,5 ECTS", (Decimal("7.5"), "ECTS")),
        ("2.5 ECTS credits", (Decimal("2.5"), "ECTS")),
        ("10 credits", (Decimal(10), "ECTS")),  # the default system of the import
        ("ECTS: 6", (Decimal(6), "ECTS")),
        ("15 CATS", (Decimal(15), "UK")),
        ("20 SCQF credits", (Decimal(20), "UK")),
        ("3 US credit hours", (Decimal(3), "US-credit-hours")),
        ("1.5 CEUs", (Decimal("1.5"), "CEU")),
        ("none", (None, "none")),
        ("", (None, "")),
    ],
)
def test_credits_are_read_with_their_system(text, expected):
    assert parse_credits(text, default_system="ECTS") == expected


@pytest.mark.parametrize("text", ["lots", "5 bananas", "ECTS"])
def test_unreadable_credits_are_named(text):
    with pytest.raises(ValueProblem) as problem:
        parse_credits(text)
    assert text[:5] in str(problem.value)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("120 hours", 120),
        ("120", 120),
        ("6 weeks, 4 hours per week", 24),
        ("3 h/week for 10 weeks", 30),
        ("10 weeks at 5 hrs a week", 50),
        ("six weeks, 4-6 hours per week", 24),
        ("Approx. 40 hours of study", 40),
        ("2 months, 5 hours each week", 43),
    ],
)
def test_hours_are_worked_out(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["4 hours per week", "a few evenings"])
def test_hours_that_cannot_be_worked_out_are_named(text):
    with pytest.raises(ValueProblem):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("6 weeks", Decimal(6)),
        ("6 weeks, 4 hours per week", Decimal(6)),
        ("3 months", Decimal("12.9")),
        ("8", Decimal(8)),
    ],
)
def test_durations_in_weeks(text, weeks):
    assert parse_weeks(text) == weeks


@pytest.mark.parametrize(
    ("text", "outcomes"),
    [
        (
            "By the end of the course you will be able to:\n• Find open data\n• Build a dashboard",
            ["Find open data", "Build a dashboard"],
        ),
        (
            "1. Describe threats\n2. Assess a register\n3) Recommend controls",
            ["Describe threats", "Assess a register", "Recommend controls"],
        ),
        ("- Recognise dementia\n- Communicate calmly", ["Recognise dementia", "Communicate calmly"]),
        ("* One thing\r\n* Another thing", ["One thing", "Another thing"]),
        (
            "Analyse a footprint; Compare schemes; Design a plan",
            ["Analyse a footprint", "Compare schemes", "Design a plan"],
        ),
        (
            "• Explain risk • Apply controls • Report to a board",
            ["Explain risk", "Apply controls", "Report to a board"],
        ),
        ("Write a short business case.", ["Write a short business case."]),
        ("", []),
    ],
)
def test_outcomes_in_one_cell_are_split(text, outcomes):
    assert split_outcomes(text) == outcomes


def test_languages_by_code_or_name():
    assert parse_languages("English; Irish") == ["en", "ga"]
    assert parse_languages("en/fr") == ["en", "fr"]
    with pytest.raises(ValueProblem, match="Klingon"):
        parse_languages("Klingon")


@pytest.mark.parametrize(
    ("text", "level"), [("6", 6), ("EQF 6", 6), ("Level 7", 7), ("EQF level 5", 5), ("", None)]
)
def test_eqf_levels(text, level):
    assert parse_eqf(text) == level


@pytest.mark.parametrize("text", ["9", "SCQF 11", "high"])
def test_bad_eqf_levels_are_named(text):
    with pytest.raises(ValueProblem):
        parse_eqf(text)


def test_isced_codes_with_or_without_their_names():
    assert parse_isced("0613") == "0613"
    assert parse_isced("613") == "0613"
    assert parse_isced("0613 Software and applications development and analysis") == "0613"
    with pytest.raises(ValueProblem, match="5555"):
        parse_isced("5555")
