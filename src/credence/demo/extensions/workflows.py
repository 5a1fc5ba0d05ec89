"""The workflows demo: Northbridge's workflow templates (one per kind of proposal, configured by its
admin Olivia), proposals at different stages, and a year of generated history so the cycle-time page has
figures. Everything goes through the workflows and lifecycle services, at past dates where it is history.

What a visitor finds:
- Priya's draft proposal for NB-PM130 (ready to submit; the end-to-end test submits it);
- NB-SCM160 at its quality review (Robert's task); NB-CYB201's major change at the parallel approvals
  (Abdul approved, Quinn's task is open); NB-CX140 waiting at the Academic Board (the committees demo puts
  it on the next meeting's agenda); NB-DA101's minor change approved and waiting to be published;
- eight earlier proposals played over the past year under version 1 of the 'new micro-credential'
  template, which then changed as version 2 (the running ones keep theirs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from credence.microcredentials import services as mc
from credence.microcredentials.models import MicroCredential
from credence.organisations.models import Organisation, User
from credence.reviews import services as review_services
from credence.reviews.models import Review
from credence.workflows import history, services
from credence.workflows.clock import clock_at
from credence.workflows.models import StageRunStatus, WorkflowTemplate

ORDER = 40

REVIEW = {
    "name": "Quality review",
    "kind": "review",
    "packs": ["eu-council-2022"],
    "role": "reviewer",
    "quorum": "all",
    "due_days": 10,
}
HEAD = {
    "name": "Head of school approval",
    "kind": "approval",
    "role": "approver",
    "quorum": "any",
    "due_days": 7,
}
QUALITY = {"name": "Quality office", "kind": "approval", "role": "qa_officer", "quorum": "any", "due_days": 5}
BOARD = {"name": "Academic Board", "kind": "committee", "committee_slug": "academic-board", "due_days": 30}

TEMPLATES: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "major_change": (
        "Major change",
        "Changes to outcomes, credits, level or assessment.",
        [
            {**REVIEW, "order": 1},
            {**HEAD, "order": 2},
            {**QUALITY, "order": 2},
            {
                **HEAD,
                "name": "Senate approval",
                "order": 3,
                "condition": "credits_above",
                "condition_value": "10",
                "quorum": "all",
            },
            {**BOARD, "order": 4},
        ],
    ),
    "minor_change": (
        "Minor change",
        "Corrections and small updates that leave the outcomes as they are.",
        [QUALITY],
    ),
    "retirement": (
        "Retirement",
        "Withdrawing a micro-credential, with a teach-out plan for enrolled learners.",
        [{**HEAD, "order": 1}, {**BOARD, "order": 2}],
    ),
    "cyclic_review": (
        "Cyclic review",
        "The periodic review of a running micro-credential, opened by the quality office.",
        [{**REVIEW, "order": 1, "packs": ["eu-council-2022", "esg-2015-part1"]}, {**BOARD, "order": 2}],
    ),
}
NEW_V1 = [{**HEAD, "order": 1}, {**QUALITY, "order": 2}, {**BOARD, "order": 3}]
NEW_V2 = [
    {**REVIEW, "order": 1},
    {**HEAD, "order": 2},
    {
        "name": "Partnerships office",
        "kind": "approval",
        "role": "org_admin",
        "order": 3,
        "condition": "external_partner",
        "due_days": 5,
    },
    {**BOARD, "order": 4},
]

CASE = {
    "rationale": "Regional employers report a shortage of staff with these skills; the course fills a gap "
    "in our lifelong-learning offer and stacks into an existing postgraduate certificate.",
    "demand_evidence": "Letters of support from three employers (attached to the business case), 310 job "
    "adverts asking for these skills in the region last year, and 42 enquiries to the lifelong-learning "
    "office.",
    "target_learners": "People in work who need the skills for their current role, studying part-time online.",
    "resources_and_costs": "One lecturer at 0.2 FTE, a tutor per 25 learners; set-up costs of EUR 8,000.",
    "pricing": "EUR 450, in line with similar courses in Ireland.",
    "risks": "Low enrolment in the first run: the course runs with 12 or more learners, else moves to the next intake.",
}


def _course(code: str, title: str, summary: str, outcomes: list[str]) -> dict[str, Any]:
    return {
        "code": code,
        "title": title,
        "summary": summary,
        "target_learners": "People in work who want a recognised, short course in the subject.",
        "languages": ["en"],
        "credit_system": "ECTS",
        "credits": "5",
        "notional_hours": 125,
        "contact_hours": 20,
        "duration_weeks": "8",
        "eqf_level": 6,
        "field_of_study": "0413",
        "assessment_certification": "assessment based certificate",
        "form_of_participation": "online scheduled",
        "supervision": "supervised with identity verification",
        "quality_assurance": "Reviewed and approved through the university's micro-credential workflow.",
        "learning_outcomes": [{"text": text} for text in outcomes],
        "assessments": [
            {
                "type": "project",
                "description": "A project from the learner's workplace.",
                "weight": "70",
                "outcomes": list(range(1, len(outcomes) + 1)),
            },
            {"type": "online test", "description": "Weekly quizzes.", "weight": "30", "outcomes": [1]},
        ],
    }


PROJECT = _course(
    "NB-PM130",
    "Project Management Essentials",
    "Plan, run and close small and medium projects at work with a light, well-tested method.",
    [
        "Write a project plan with scope, schedule, budget and risks for a workplace project.",
        "Track progress against the plan and report it to sponsors.",
        "Close a project and record what the team learned.",
    ],
)
CUSTOMER = _course(
    "NB-CX140",
    "Customer Experience Analytics",
    "Measure and improve customer experience with survey, journey and behavioural data.",
    [
        "Design a customer-experience survey and calculate standard scores from it.",
        "Map a customer journey and identify the points where customers drop out.",
    ],
)
SUPPLY = _course(
    "NB-SCM160",
    "Sustainable Supply Chains",
    "Measure and reduce the environmental footprint of a supply chain, and report on it.",
    [
        "Calculate the scope 3 emissions of a product's supply chain.",
        "Plan supplier engagement that reduces emissions and waste.",
    ],
)
HISTORY = [
    # code, title, days before today it was submitted, days at each of the three stages of version 1
    ("NB-H01", "Workplace Mental Health First Aid", 380, [3, 2, 21]),
    ("NB-H02", "Excel for Financial Modelling", 350, [5, 4, 30]),
    ("NB-H03", "Lean Six Sigma Yellow Belt", 300, [2, 6, 14]),
    ("NB-H04", "Inclusive Teaching Online", 260, [8, 3, 28]),
    ("NB-H05", "Introduction to Cloud Security", 200, [4, 2, 12]),
    ("NB-H06", "Grant Writing for Researchers", 150, [1, 1, 9]),
    ("NB-H07", "Procurement in the Public Sector", 110, [6, 2, 16]),
    ("NB-H08", "Low-Carbon Building Retrofit", 75, [2, 3, 10]),
]


def _people() -> dict[str, User]:
    names = ["priya", "rob", "quinn", "sam", "abdul", "olivia"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _create(organisation: Organisation, people: dict[str, User], spec: dict[str, Any]) -> MicroCredential:
    fields = {k: v for k, v in spec.items() if k not in ("code", "title")}
    version = mc.create_micro_credential(
        actor=people["priya"], organisation=organisation, code=spec["code"], title=spec["title"], **fields
    )
    return version.micro_credential


def _review_all(people: dict[str, User], proposal: Any, verdict: str = "met") -> None:
    for review in Review.objects.filter(version=proposal.version, reviewer=people["rob"], status="open"):
        pack_id = review.packs[0][0]
        review_services.record_judgement(
            actor=people["rob"],
            review=review,
            pack_id=pack_id,
            criterion_id="eu.p1",
            verdict=verdict,
            evidence="The business case and the version describe it.",
        )
        review_services.submit_review(
            actor=people["rob"], review=review, recommendation="approve", summary="Ready for approval."
        )


def _balance_weights(actor: User, version: Any) -> None:
    """Make the draft's assessment weights add up to 100 % (the proposer's last fix before submitting)."""
    from decimal import Decimal

    assessments = list(version.assessments.all())
    total = sum((a.weight or Decimal(0) for a in assessments), Decimal(0))
    if assessments and total != 100:
        last = assessments[-1]
        mc.change_part(
            actor=actor,
            version=version,
            kind="assessments",
            update=(last.pk, {"weight": str((last.weight or Decimal(0)) + 100 - total)}),
        )


def _history(organisation: Organisation, people: dict[str, User]) -> None:
    today = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
    for code, title, days_ago, stage_days in HISTORY:
        submitted = today - dt.timedelta(days=days_ago)
        with clock_at(submitted - dt.timedelta(days=3)):
            micro_credential = _create(
                organisation,
                people,
                _course(
                    code,
                    title,
                    f"A short, assessed course: {title.lower()}.",
                    [
                        f"Apply the core methods of {title.lower()} at work.",
                        "Evaluate the results and report them to colleagues.",
                    ],
                ),
            )
            proposal = services.create_proposal(
                actor=people["priya"], micro_credential=micro_credential, kind="new", **CASE
            )
        proposal = history.play(proposal=proposal, submitted_at=submitted, stage_days=stage_days)
        with clock_at(submitted + dt.timedelta(days=sum(stage_days) + 2)):
            services.publish_proposal(actor=people["quinn"], proposal=proposal)


def load(context: Any) -> None:
    organisation = context.organisations.get("northbridge")
    people = _people()
    if organisation is None or len(people) < 6:
        return
    if WorkflowTemplate.objects.filter(organisation=organisation).exists():
        return
    olivia = people["olivia"]
    new_v1 = services.save_template(
        actor=olivia,
        organisation=organisation,
        proposal_kind="new",
        name="New micro-credential",
        description="From business case to the Academic Board.",
        stages=NEW_V1,
    )
    for kind, (name, description, stages) in TEMPLATES.items():
        services.save_template(
            actor=olivia,
            organisation=organisation,
            proposal_kind=kind,
            name=name,
            description=description,
            stages=stages,
        )
    _history(organisation, people)
    # Version 2 adds the quality review and the partnerships office; the history keeps version 1.
    services.save_template(
        actor=olivia,
        organisation=organisation,
        proposal_kind="new",
        name="New micro-credential",
        description="Quality review against the EU Council elements, then the head of school, the "
        "partnerships office when there is an external partner, and the Academic Board.",
        stages=NEW_V2,
        template=new_v1,
    )

    # A draft proposal, ready for Priya to submit.
    project = _create(organisation, people, PROJECT)
    services.create_proposal(
        actor=people["priya"],
        micro_credential=project,
        kind="new",
        title="New: Project Management Essentials",
        first_offering=dt.date(timezone.now().year + 1, 1, 12),
        **CASE,
    )

    # NB-SCM160 at its quality review (Robert's task).
    supply = _create(organisation, people, SUPPLY)
    proposal = services.create_proposal(actor=people["priya"], micro_credential=supply, kind="new", **CASE)
    services.submit_proposal(actor=people["priya"], proposal=proposal)

    # NB-CYB201's major change at the parallel approvals: Abdul has approved, Quinn has not yet.
    cyber = MicroCredential.objects.filter(organisation=organisation, code="NB-CYB201").first()
    if cyber is not None:
        proposal = services.create_proposal(
            actor=people["priya"],
            micro_credential=cyber,
            kind="major_change",
            rationale="Small businesses now face ransomware through their suppliers: version 3 adds supply-chain "
            "risk and rebalances the assessment.",
        )
        _balance_weights(people["priya"], proposal.version)
        proposal = services.submit_proposal(actor=people["priya"], proposal=proposal)
        _review_all(people, proposal)
        head = proposal.runs.get().stage_runs.get(stage__name="Head of school approval")
        services.decide(actor=people["abdul"], stage_run=head, action="approve", comment="Well argued.")

    # NB-CX140 waiting at the Academic Board.
    customer = _create(organisation, people, CUSTOMER)
    proposal = services.create_proposal(actor=people["priya"], micro_credential=customer, kind="new", **CASE)
    proposal = services.submit_proposal(actor=people["priya"], proposal=proposal)
    _review_all(people, proposal)
    head = proposal.runs.get().stage_runs.get(
        stage__name="Head of school approval", status=StageRunStatus.ACTIVE
    )
    services.decide(
        actor=people["abdul"],
        stage_run=head,
        action="approve_with_conditions",
        conditions=["Name an employer representative for the course's advisory panel."],
    )

    # NB-DA101's minor change, approved and waiting to be published.
    analysis = MicroCredential.objects.filter(organisation=organisation, code="NB-DA101").first()
    if analysis is not None:
        proposal = services.create_proposal(
            actor=people["priya"],
            micro_credential=analysis,
            kind="minor_change",
            rationale="Update the software versions in the technology requirements.",
        )
        draft = proposal.version
        mc.update_draft(
            actor=people["priya"],
            version=draft,
            data={"technology_needed": "A computer with a modern browser, 8 GB of memory and Python 3.12."},
            lock_version=draft.lock_version,
        )
        proposal = services.submit_proposal(actor=people["priya"], proposal=proposal)
        stage_run = proposal.runs.get().stage_runs.get()
        services.decide(
            actor=people["quinn"], stage_run=stage_run, action="approve", comment="A routine update."
        )
