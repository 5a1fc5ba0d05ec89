"""Each machine check, with a version that passes it and one that fails it (documents built in memory)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from credence.frameworks.checks import REGISTRY, Sibling, Subject, run_check

TODAY = dt.date(2026, 6, 1)


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Practical data analysis",
        "summary": "A short course.",
        "target_learners": "People at work.",
        "prerequisites": "None.",
        "credit_system": "ECTS",
        "credits": Decimal(5),
        "notional_hours": 130,
        "contact_hours": 30,
        "eqf_level": 6,
        "nqf_level": "",
        "qf_ehea_level": "",
        "level_not_applicable": False,
        "level_not_applicable_reason": "",
        "assessment_certification": "assessment based certificate",
        "supervision": "supervised with identity verification",
        "form_of_participation": "online scheduled",
        "quality_assurance": "Approved by the academic council.",
        "employer_involvement": "Designed with the regional employers' network.",
        "next_review_date": dt.date(2027, 1, 1),
        "content_lifespan_months": 12,
        "learning_outcomes": [
            {"number": 1, "text": "Clean and describe a data set."},
            {"number": 2, "text": "Choose and interpret a statistical test."},
        ],
        "assessments": [
            {"type": "project", "weight": Decimal(60), "summative": True, "outcomes": [1, 2]},
            {"type": "online test", "weight": Decimal(40), "summative": False, "outcomes": [1]},
        ],
        "modules": [{"title": "Describing data", "hours": Decimal(60), "outcomes": [1, 2]}],
        "pathways": [],
    }
    return base | changes


def subject(document: dict[str, Any], **extra: Any) -> Subject:
    return Subject(
        document=document,
        micro_credential_id=1,
        organisation_name="University of Home",
        organisation_countries=("IE",),
        known_micro_credential_ids=frozenset({1, 2}),
        today=TODAY,
        **extra,
    )


# (check id, params, a passing document, a failing document, the field the failure points at)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], str]] = [
    (
        "required_elements",
        {"elements": ["title", "learning_outcomes", "level"]},
        doc(),
        doc(learning_outcomes=[]),
        "learning_outcomes",
    ),
    (
        "credit_range",
        {"min": 1, "max": 40, "unit": "NZQF"},
        doc(credit_system="NZQF", credits=Decimal(15)),
        doc(credit_system="NZQF", credits=Decimal(60)),
        "credits",
    ),
    (
        "credit_range_any",
        {"options": [{"unit": "ECTS", "min": 4, "max": 6}]},
        doc(),
        doc(credits=Decimal(10)),
        "credits",
    ),
    (
        "credit_hours",
        {"unit": "ECTS", "min_hours_per_credit": 25, "max_hours_per_credit": 30},
        doc(),
        doc(notional_hours=60),
        "notional_hours",
    ),
    ("level", {"framework": "EQF", "min": 1, "max": 8}, doc(), doc(eqf_level=None), "eqf_level"),
    (
        "outcomes_assessed",
        {},
        doc(),
        doc(assessments=[{"weight": 100, "outcomes": [1]}]),
        "learning_outcomes[1]",
    ),
    (
        "assessments_aligned",
        {},
        doc(),
        doc(assessments=[{"weight": 100, "outcomes": []}]),
        "assessments[0].outcomes",
    ),
    ("assessment_weights", {}, doc(), doc(assessments=[{"weight": 50, "outcomes": [1]}]), "assessments"),
    (
        "modules_cover_outcomes",
        {},
        doc(),
        doc(modules=[{"title": "One", "hours": 10, "outcomes": [1]}]),
        "learning_outcomes[1]",
    ),
    ("module_hours", {}, doc(), doc(modules=[{"title": "Big", "hours": 500, "outcomes": [1, 2]}]), "modules"),
    (
        "measurable_outcomes",
        {},
        doc(),
        doc(learning_outcomes=[{"text": "Understand statistics."}]),
        "learning_outcomes[0].text",
    ),
    (
        "outcome_count",
        {"min": 1, "max": 12},
        doc(),
        doc(learning_outcomes=[{"text": f"Apply rule {n}."} for n in range(13)]),
        "learning_outcomes",
    ),
    (
        "title_restricted_words",
        {"words": ["diploma", "New Zealand"]},
        doc(),
        doc(title="Diploma in data analysis"),
        "title",
    ),
    (
        "identity_verification",
        {"require_verified": True},
        doc(),
        doc(supervision="unsupervised, no identity verification"),
        "supervision",
    ),
    ("next_review", {}, doc(), doc(next_review_date=dt.date(2030, 1, 1)), "next_review_date"),
    (
        "stacking",
        {"required": True},
        doc(pathways=[{"kind": "stacks into", "target_micro_credential": 2, "credits": 5}]),
        doc(pathways=[{"kind": "stacks into", "target_micro_credential": 99}]),
        "pathways[0].target_micro_credential",
    ),
    ("employer_involvement", {}, doc(), doc(employer_involvement=""), "employer_involvement"),
    ("workload_range", {"min": 100, "max": 150}, doc(), doc(notional_hours=40), "notional_hours"),
    (
        "assessed",
        {},
        doc(),
        doc(assessment_certification="attendance certificate"),
        "assessment_certification",
    ),
    (
        "summative_assessment",
        {},
        doc(),
        doc(assessments=[{"summative": False, "outcomes": [1]}]),
        "assessments",
    ),
    ("likely_duplicate", {"threshold": 0.6}, doc(), doc(), "title"),
]


def test_every_registered_check_has_a_case():
    assert {case[0] for case in CASES} | {"issuer_identified", "at_issuance"} == set(REGISTRY)


@pytest.mark.parametrize(("check_id", "params", "good", "bad", "field"), CASES, ids=[c[0] for c in CASES])
def test_it_passes_a_good_version_and_fails_a_bad_one(check_id, params, good, bad, field):
    extra: dict[str, Any] = {}
    if check_id == "likely_duplicate":
        # The same document passes alone and fails next to a near-identical sibling.
        extra = {
            "siblings": [
                Sibling(
                    7,
                    "MC-OLD",
                    "Practical data analysis",
                    ("Clean and describe a data set.", "Choose and interpret a statistical test."),
                )
            ]
        }
    passed = run_check(check_id, subject(good), params)
    failed = run_check(check_id, subject(bad, **extra), params)

    assert passed.status == "pass", passed.message
    assert failed.status == "fail"
    assert failed.field == field
    assert failed.message


def test_a_check_that_does_not_apply_says_so():
    result = run_check("credit_range", subject(doc()), {"min": 1, "max": 40, "unit": "NZQF"})

    assert result.status == "not_applicable"
    assert "ECTS" in result.message


def test_the_vague_verbs_are_flagged_after_a_learners_will_prefix():
    result = run_check(
        "measurable_outcomes",
        subject(doc(learning_outcomes=[{"text": "Learners will be able to know the basics."}])),
        {},
    )

    assert result.status == "fail"
    assert "'know'" in result.message


def test_a_level_marked_not_applicable_needs_a_reason():
    missing = run_check(
        "level", subject(doc(eqf_level=None, level_not_applicable=True)), {"framework": "EQF"}
    )
    given = run_check(
        "level",
        subject(
            doc(eqf_level=None, level_not_applicable=True, level_not_applicable_reason="Professional CPD.")
        ),
        {"framework": "EQF"},
    )

    assert (missing.status, missing.field) == ("fail", "level_not_applicable_reason")
    assert given.status == "pass"


def test_the_issuer_check_needs_a_country():
    result = run_check("issuer_identified", Subject(document=doc(), organisation_name="Nowhere U"), {})

    assert result.status == "fail"
    assert run_check("issuer_identified", subject(doc()), {}).status == "pass"


def test_elements_of_an_issued_credential_do_not_apply_to_a_version():
    result = run_check("at_issuance", subject(doc()), {"element": "The date of issuing"})

    assert result.status == "not_applicable"
    assert "issued" in result.message
