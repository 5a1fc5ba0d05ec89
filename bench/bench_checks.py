"""Every check of every shipped pack on 10,000 versions with 5 to 12 outcomes each.

The versions are plain documents built in memory (the shape of `version_document`), so the figure
measures the checks, not the database. Goal: at least 2,000 version-checks per second, where one
version-check is one version run through every machine check of every shipped pack.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

NAME = "checks"
PARAMS = {"versions": 10_000, "seed": 2026}

VERBS = [
    "Apply",
    "Analyse",
    "Design",
    "Evaluate",
    "Explain",
    "Build",
    "Compare",
    "Understand",
    "Plan",
    "Test",
]
TOPICS = ["data pipelines", "risk registers", "safety cases", "budgets", "user interviews", "cloud networks"]
SYSTEMS = ["ECTS", "NZQF", "UK", "US-credit-hours", ""]


def _document(rng: random.Random, n: int) -> dict[str, Any]:
    outcomes = rng.randint(5, 12)
    system = rng.choice(SYSTEMS)
    credits = Decimal(rng.randint(1, 30)) if system else None
    return {
        "title": f"{rng.choice(TOPICS).title()} in practice {n}",
        "summary": "A short course." if rng.random() > 0.1 else "",
        "target_learners": "People at work.",
        "prerequisites": "" if rng.random() < 0.3 else "None.",
        "credit_system": system,
        "credits": credits,
        "notional_hours": rng.randint(20, 400) if rng.random() > 0.05 else None,
        "contact_hours": rng.randint(5, 40),
        "duration_weeks": Decimal(rng.randint(2, 16)),
        "eqf_level": rng.randint(3, 8) if rng.random() > 0.1 else None,
        "nqf_level": str(rng.randint(3, 10)),
        "qf_ehea_level": "",
        "level_not_applicable": False,
        "level_not_applicable_reason": "",
        "learning_activities": "Workshops and a project.",
        "assessment_certification": "assessment based certificate",
        "supervision": rng.choice(
            ["", "supervised with identity verification", "unsupervised, no identity verification"]
        ),
        "grading_scheme": "Pass/fail",
        "form_of_participation": "online scheduled",
        "support_academic": "Tutor",
        "support_administrative": "Office",
        "support_library": "Library",
        "technology_needed": "A laptop",
        "instructors": "Dr A",
        "stackability_note": "Stacks into the MSc.",
        "quality_assurance": "Academic council",
        "content_lifespan_months": 24,
        "next_review_date": dt.date(2027, rng.randint(1, 12), 1),
        "employer_involvement": "Employer panel" if rng.random() > 0.3 else "",
        "sdgs": [4],
        "fee_amount": Decimal(500),
        "further_information": "",
        "learning_outcomes": [
            {"number": i, "text": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} for case {i}."}
            for i in range(1, outcomes + 1)
        ],
        "assessments": [
            {
                "type": "project",
                "weight": Decimal(60),
                "summative": True,
                "outcomes": list(range(1, outcomes)),
            },
            {"type": "online test", "weight": Decimal(40), "summative": False, "outcomes": [1, outcomes]},
        ],
        "modules": [
            {"title": f"Module {m}", "hours": Decimal(rng.randint(10, 60)), "outcomes": [m, m + 1]}
            for m in range(1, outcomes, 2)
        ],
        "pathways": [
            {
                "kind": "stacks into",
                "target_micro_credential": None,
                "external_award": "MSc",
                "credits": credits,
            }
        ],
    }


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    from credence.frameworks.checks import REGISTRY, Sibling, Subject
    from credence.frameworks.packs import shipped_packs

    rng = random.Random(params["seed"])
    count = int(params["versions"])
    siblings = [
        Sibling(1000 + i, f"OLD-{i}", f"{rng.choice(TOPICS).title()} basics", ("Explain the basics.",))
        for i in range(20)
    ]
    subjects = [
        Subject(
            document=_document(rng, n),
            micro_credential_id=n,
            organisation_name="Bench University",
            organisation_countries=("IE",),
            siblings=siblings,
            known_micro_credential_ids=frozenset({n}),
            today=dt.date(2026, 6, 1),
        )
        for n in range(count)
    ]
    packs = list(shipped_packs().values())
    figures: dict[str, tuple[float, str, str]] = {}
    total = 0.0
    for pack in packs:
        checks = [(REGISTRY[c.check].function, c.params) for _, c in pack.criteria if c.check]
        start = time.perf_counter()
        for subject in subjects:
            for function, check_params in checks:
                function(subject, check_params)
        elapsed = time.perf_counter() - start
        total += elapsed
        figures[f"seconds_{pack.id}"] = (round(elapsed, 3), "s", f"{len(checks)} checks x {count} versions")
    figures["version_checks_per_second"] = (
        round(count / total),
        "versions/s",
        ">= 2000 versions/s (every check of every pack)",
    )
    return figures
