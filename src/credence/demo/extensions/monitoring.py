"""Demo monitoring: results imported for offerings of published micro-credentials (enough learners for
public figures on NB-CYB201 and LC-EVS-01; too few on NB-DA101, whose figures stay suppressed), learner,
employer and graduate surveys with anonymous responses and comments to moderate, Northbridge's
recommended thresholds with a completion flag raised, and review schedules, some overdue. Built through
the services, as Northbridge's QA officer (quinn) and the platform admin; runs after the issuance demo,
whose NB-DA101 offering it completes with results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credence.microcredentials.models import MicroCredential
from credence.monitoring import services as monitoring
from credence.monitoring.models import Answer, Offering
from credence.organisations.models import User

ORDER = 50  # with issuance (sorted by name, so after it)

HEADER = ["student_id", "name", "email", "status", "passed", "grade", "started_on", "completed_on"]
MAPPING = {
    "student_id": "external_id",
    "name": "name",
    "email": "email",
    "status": "status",
    "passed": "passed",
    "grade": "grade",
    "started_on": "started_on",
    "completed_on": "completed_on",
}
FIRST = [
    "Aisling",
    "Brian",
    "Chloe",
    "Dara",
    "Eoin",
    "Fiona",
    "Gareth",
    "Hannah",
    "Ivan",
    "Jade",
    "Kieran",
    "Laura",
]
LAST = ["Murphy", "Kelly", "Ryan", "Byrne", "Doyle", "Walsh", "Lynch", "Nolan"]


def _published(slug: str, code: str) -> Any:
    return MicroCredential.objects.get(organisation__slug=slug, code=code).published_version


def _rows(
    prefix: str, starts: dt.date, ends: dt.date, plan: list[tuple[str, bool | None]]
) -> list[list[str]]:
    rows = []
    for number, (status, passed) in enumerate(plan, start=1):
        first, last = FIRST[number % len(FIRST)], LAST[(number * 3) % len(LAST)]
        rows.append(
            [
                f"{prefix}-{number:03d}",
                f"{first} {last}",
                f"{first.lower()}.{last.lower()}.{prefix.lower()}{number}@learners.example",
                status,
                "" if passed is None else ("yes" if passed else "no"),
                ("Merit" if number % 3 else "Distinction") if passed else "",
                starts.isoformat() if status != "enrolled" else "",
                ends.isoformat() if status == "completed" else "",
            ]
        )
    return rows


def _offering(actor: Any, version: Any, code: str, starts: dt.date, ends: dt.date, **extra: Any) -> Offering:
    return monitoring.create_offering(
        actor=actor, version=version, code=code, starts_on=starts, ends_on=ends, **extra
    )


def _survey(
    actor: Any, offering: Offering, kind: str, answers: list[dict[str, str]], count: int | None = None
) -> None:
    survey = monitoring.open_survey(actor=actor, offering=offering, kind=kind)
    tokens = monitoring.invite(actor=actor, survey=survey, count=count, send_emails=False).tokens
    for token, answer in zip(tokens, answers, strict=False):
        monitoring.submit_response(token=token, answers=answer)
    monitoring.close_survey(actor=actor, survey=survey)


def load(context: Any) -> None:
    quinn = User.objects.filter(username="quinn").first() or context.admin
    northbridge = context.organisations["northbridge"]
    for key, comparison, value in monitoring.DEFAULT_THRESHOLDS:
        monitoring.set_threshold(
            actor=quinn, organisation=northbridge, indicator=key, comparison=comparison, value=value
        )

    # NB-CYB201: an autumn 2025 offering that went well and a spring 2026 one with low completion.
    cyber = _published("northbridge", "NB-CYB201")
    autumn = _offering(
        quinn,
        cyber,
        "NB-CYB201-2025-AUT",
        dt.date(2025, 9, 15),
        dt.date(2025, 12, 12),
        capacity=30,
        price="890.00",
        currency="EUR",
        instructors="Dr Niamh Gallagher, Tomás Reilly",
    )
    plan = (
        [("completed", True)] * 17
        + [("completed", False)] * 2
        + [("withdrawn", None)] * 3
        + [("started", None)] * 2
    )
    monitoring.import_results(
        actor=quinn,
        organisation=northbridge,
        header=HEADER,
        mapping=MAPPING,
        offering=autumn,
        rows=_rows("CYB25", autumn.starts_on, autumn.ends_on, plan),
        file_name="sis-export-cyb201-autumn.csv",
    )
    spring = _offering(
        quinn,
        cyber,
        "NB-CYB201-2026-SPR",
        dt.date(2026, 2, 2),
        dt.date(2026, 5, 15),
        capacity=30,
        price="890.00",
        currency="EUR",
        instructors="Dr Niamh Gallagher",
    )
    plan = (
        [("completed", True)] * 9
        + [("completed", False)]
        + [("withdrawn", None)] * 6
        + [("started", None)] * 2
    )
    monitoring.import_results(
        actor=quinn,
        organisation=northbridge,
        header=HEADER,
        mapping=MAPPING,
        offering=spring,
        rows=_rows("CYB26", spring.starts_on, spring.ends_on, plan),
        file_name="sis-export-cyb201-spring.csv",
    )
    scores = ["5", "4", "4", "5", "3", "4", "5", "4", "4", "2", "5", "4", "3", "4"]
    learner_answers = [
        {
            "satisfaction": s,
            "engaging": s,
            "profile": "4",
            "performance": "4",
            "workload": "3",
            "support": "4",
        }
        for s in scores
    ]
    learner_answers[0]["comment"] = "The incident-response labs were the most useful thing I did this year."
    learner_answers[1]["comment"] = "Week 6 needed far more hours than the 8 announced."
    _survey(quinn, autumn, "learner", learner_answers)
    _survey(
        quinn,
        autumn,
        "employer",
        [
            {"relevance": "5", "graduate_performance": "4", "satisfaction": "4"},
            {"relevance": "4", "graduate_performance": "4", "satisfaction": "5"},
            {"relevance": "4", "graduate_performance": "3", "satisfaction": "4"},
        ],
        count=8,
    )
    situations = [
        "promoted",
        "employed_new",
        "unchanged",
        "promoted",
        "further_study",
        "unchanged",
        "promoted",
        "employed_new",
        "unchanged",
        "promoted",
        "promoted",
    ]
    _survey(quinn, autumn, "graduate", [{"situation": s, "relevance": "4"} for s in situations])
    first_comment = Answer.objects.filter(
        response__survey__offering=autumn, question="comment", text__startswith="The incident"
    ).first()
    if first_comment is not None:
        monitoring.moderate_comment(actor=quinn, answer=first_comment, approve=True)

    # NB-DA101: the issuance demo's six learners get their results (too few for public figures).
    data_analysis = Offering.objects.get(code="NB-DA101-2026-SPRING")
    monitoring.import_results(
        actor=quinn,
        organisation=northbridge,
        header=["student_id", "status", "passed", "completed_on", "started_on"],
        mapping={
            "student_id": "external_id",
            "status": "status",
            "passed": "passed",
            "completed_on": "completed_on",
            "started_on": "started_on",
        },
        offering=data_analysis,
        rows=[
            ["NB-24001", "completed", "yes", "2026-04-24", "2026-02-02"],
            ["NB-24002", "completed", "yes", "2026-04-24", "2026-02-02"],
            ["NB-24003", "completed", "yes", "2026-04-22", "2026-02-02"],
            ["NB-24004", "completed", "yes", "2026-04-24", "2026-02-02"],
            ["NB-24005", "started", "", "", "2026-02-02"],
            ["NB-24006", "started", "", "", "2026-02-02"],
        ],
        file_name="sis-export-da101.csv",
    )

    # LC-EVS-01 at Lakeshore: one offering with good results, so its public figures show.
    lakeshore = context.organisations["lakeshore-college"]
    evs = _published("lakeshore-college", "LC-EVS-01")
    run = _offering(
        context.admin, evs, "LC-EVS-01-2025-F", dt.date(2025, 9, 8), dt.date(2025, 11, 28), capacity=20
    )
    plan = [("completed", True)] * 11 + [("completed", False)] + [("withdrawn", None)]
    monitoring.import_results(
        actor=context.admin,
        organisation=lakeshore,
        header=HEADER,
        mapping=MAPPING,
        offering=run,
        rows=_rows("EVS", run.starts_on, run.ends_on, plan),
        file_name="lms-results.xlsx",
    )
    _survey(
        context.admin,
        run,
        "learner",
        [{"satisfaction": s} for s in ["4", "5", "4", "4", "5", "3", "4", "5", "4", "4"]],
    )

    for organisation in (northbridge, lakeshore, context.organisations["hanseatic-tu"]):
        monitoring.refresh_review_schedules(organisation=organisation, actor=context.admin)
