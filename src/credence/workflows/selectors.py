"""Reads of governance: proposals, templates, stage runs and tasks, scoped to the organisations the
user belongs to (anything else answers as missing); the pipeline board, a proposal's timeline and the
cycle-time figures."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from credence.audit.models import AuditEvent
from credence.errors import NotVisible
from credence.organisations.authorization import organisation_ids_of
from credence.organisations.models import Organisation

from .models import (
    Decision,
    Proposal,
    ProposalStatus,
    Stage,
    StageKind,
    StageRun,
    StageRunStatus,
    Task,
    TaskStatus,
    WorkflowRun,
    WorkflowTemplate,
)


def _org_ids(user: Any) -> list[int] | None:
    """None means every organisation (platform admin)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    return organisation_ids_of(user)


def _scoped(queryset: QuerySet[Any], user: Any, path: str) -> QuerySet[Any]:
    org_ids = _org_ids(user)
    return queryset if org_ids is None else queryset.filter(**{f"{path}__in": org_ids})


def proposals_visible_to(user: Any) -> QuerySet[Proposal]:
    queryset = Proposal.objects.select_related(
        "organisation", "micro_credential", "version", "proposer", "template"
    )
    return _scoped(queryset, user, "organisation_id")


def get_proposal(user: Any, pk: int) -> Proposal:
    found = proposals_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such proposal.")
    return found


def templates_visible_to(user: Any) -> QuerySet[WorkflowTemplate]:
    queryset = WorkflowTemplate.objects.select_related("organisation").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.prefetch_related("assignees").order_by("order", "pk"))
    )
    return _scoped(queryset, user, "organisation_id")


def get_template(user: Any, pk: int) -> WorkflowTemplate:
    found = templates_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such workflow template.")
    return found


def stage_runs_visible_to(user: Any) -> QuerySet[StageRun]:
    queryset = StageRun.objects.select_related(
        "stage", "run", "run__proposal", "run__proposal__micro_credential", "run__proposal__version"
    )
    return _scoped(queryset, user, "run__proposal__organisation_id")


def get_stage_run(user: Any, pk: int) -> StageRun:
    found = stage_runs_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such stage.")
    return found


def awaiting_committee(
    *, user: Any, organisation: Organisation, committee_slug: str | None = None
) -> QuerySet[StageRun]:
    """The proposals waiting at a committee stage of `organisation` (optionally of one committee): the
    stage runs in progress, oldest first. Empty for someone who is not a member of the organisation."""
    queryset = (
        stage_runs_visible_to(user)
        .filter(
            run__proposal__organisation=organisation,
            status=StageRunStatus.ACTIVE,
            stage__kind=StageKind.COMMITTEE,
        )
        .select_related("run__proposal__proposer")
        .order_by("started_at", "pk")
    )
    if committee_slug is not None:
        queryset = queryset.filter(stage__committee_slug=committee_slug)
    return queryset


def open_tasks_for(user: Any) -> QuerySet[Task]:
    """The open tasks assigned to `user`, the soonest due first (those without a due date last)."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    from django.db.models import F

    return (
        Task.objects.filter(assignee_id=user.pk, status=TaskStatus.OPEN)
        .select_related(
            "proposal", "proposal__micro_credential", "organisation", "stage_run__stage", "review"
        )
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    return _scoped(
        Task.objects.select_related("proposal", "assignee", "organisation", "stage_run__stage"),
        user,
        "organisation_id",
    )


def get_task(user: Any, pk: int) -> Task:
    found = tasks_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such task.")
    return found


def runs_of(proposal: Proposal) -> list[WorkflowRun]:
    """The proposal's runs, newest first, with their stage runs, decisions and tasks."""
    return list(
        WorkflowRun.objects.filter(proposal=proposal)
        .select_related("template", "submission", "submission__version")
        .prefetch_related(
            Prefetch(
                "stage_runs",
                queryset=StageRun.objects.select_related("stage")
                .prefetch_related(
                    Prefetch("decisions", queryset=Decision.objects.select_related("user")),
                    Prefetch("tasks", queryset=Task.objects.select_related("assignee", "review")),
                )
                .order_by("stage__order", "stage_id"),
            )
        )
        .order_by("-started_at", "-pk")
    )


def active_stage_runs(proposal: Proposal) -> list[StageRun]:
    return list(
        StageRun.objects.filter(run__proposal=proposal, status=StageRunStatus.ACTIVE)
        .select_related("stage", "run")
        .order_by("stage__order", "stage_id")
    )


def conditions_of(proposal: Proposal) -> QuerySet[Task]:
    return Task.objects.filter(proposal=proposal, kind="condition").select_related("assignee", "completed_by")


def timeline(proposal: Proposal) -> list[AuditEvent]:
    """Everything that happened to the proposal and the versions it submitted, oldest first."""
    version_ids = {str(proposal.version_id)} | {
        str(pk) for pk in proposal.submissions.values_list("version_id", flat=True)
    }
    task_ids = [str(pk) for pk in proposal.tasks.values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            Q(object_type="workflows.proposal", object_id=str(proposal.pk))
            | Q(object_type="microcredentials.microcredentialversion", object_id__in=version_ids)
            | Q(object_type="workflows.task", object_id__in=task_ids)
        ).order_by("sequence")
    )


def committee_exists(organisation: Organisation, slug: str) -> bool | None:
    """Whether the committees app knows the committee; None when that app has no such model (yet)."""
    from django.apps import apps

    try:
        model = apps.get_model("committees", "Committee")
    except LookupError:
        return None
    if not any(f.name == "slug" for f in model._meta.get_fields()):
        return None
    return bool(model.objects.filter(organisation=organisation, slug=slug).exists())


# --- the pipeline board ---------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    title: str
    proposals: list[Proposal] = field(default_factory=list)


def pipeline(user: Any, organisation: Organisation | None = None) -> list[Column]:
    """The open proposals by where they stand: drafts, each stage in progress (by stage name), returned,
    and approved but not yet published."""
    proposals = proposals_visible_to(user).filter(
        status__in=[
            ProposalStatus.DRAFT,
            ProposalStatus.IN_WORKFLOW,
            ProposalStatus.RETURNED,
            ProposalStatus.APPROVED,
        ]
    )
    if organisation is not None:
        proposals = proposals.filter(organisation=organisation)
    proposals = proposals.order_by("submitted_at", "created_at", "pk")
    active: dict[int, list[StageRun]] = {}
    for stage_run in (
        StageRun.objects.filter(run__proposal__in=proposals, status=StageRunStatus.ACTIVE)
        .select_related("stage", "run")
        .order_by("stage__order", "stage_id")
    ):
        active.setdefault(stage_run.run.proposal_id, []).append(stage_run)
    drafts = Column("draft", "Draft")
    returned = Column("returned", "Returned for changes")
    approved = Column("approved", "Approved, to publish")
    stages: dict[tuple[int, str], Column] = {}
    for proposal in proposals:
        proposal.active_stage_runs = active.get(proposal.pk, [])  # type: ignore[attr-defined]
        if proposal.status == ProposalStatus.DRAFT:
            drafts.proposals.append(proposal)
        elif proposal.status == ProposalStatus.RETURNED:
            returned.proposals.append(proposal)
        elif proposal.status == ProposalStatus.APPROVED:
            approved.proposals.append(proposal)
        else:
            for stage_run in proposal.active_stage_runs:  # type: ignore[attr-defined]
                key = (stage_run.stage.order, stage_run.stage.name)
                column = stages.setdefault(key, Column(f"stage-{len(stages) + 1}", stage_run.stage.name))
                column.proposals.append(proposal)
    return [drafts, *[stages[k] for k in sorted(stages)], returned, approved]


# --- cycle times ----------------------------------------------------------------------------------------

PERIODS = ("month", "quarter", "year")


def period_of(moment: dt.datetime, period: str) -> str:
    if period == "month":
        return f"{moment:%Y-%m}"
    if period == "year":
        return f"{moment:%Y}"
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def _period_range(first: str, last: str, period: str) -> list[str]:
    """Every period from `first` to `last`, so that a period with nothing finished shows as a gap."""
    if period == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    step = 3 if period == "quarter" else 1

    def start_month(label: str) -> tuple[int, int]:
        year, rest = label.split("-")
        return int(year), (int(rest[1:]) - 1) * 3 + 1 if period == "quarter" else int(rest)

    year, month = start_month(first)
    labels: list[str] = []
    while True:
        label = period_of(dt.datetime(year, month, 1), period)
        labels.append(label)
        if label == last:
            return labels
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def p90(values: Sequence[float]) -> float:
    """The 90th percentile by the nearest-rank method: the smallest value with at least 90 % of the
    values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


@dataclass
class Figure:
    n: int
    median: float
    p90: float


def _figure(values: Sequence[float]) -> Figure | None:
    if not values:
        return None
    return Figure(len(values), round(statistics.median(values), 1), round(p90(values), 1))


@dataclass
class CycleRow:
    label: str
    by_period: dict[str, Figure | None]
    overall: Figure | None


@dataclass
class CycleTimes:
    period: str
    periods: list[str]
    stages: list[CycleRow]
    end_to_end: CycleRow


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


def _row(label: str, samples: Iterable[tuple[str, float]], periods: list[str]) -> CycleRow:
    grouped: dict[str, list[float]] = {}
    everything: list[float] = []
    for period, days in samples:
        grouped.setdefault(period, []).append(days)
        everything.append(days)
    return CycleRow(label, {p: _figure(grouped.get(p, [])) for p in periods}, _figure(everything))


def cycle_times(
    *, user: Any, organisation: Organisation, period: str = "quarter", since: dt.datetime | None = None
) -> CycleTimes:
    """Days spent per stage (each completed stage run: start to finish) and end to end (first submission
    to approval), median and 90th percentile, by the period in which they finished.

    Stages are grouped by name across template versions, in the order of their first appearance.
    """
    if period not in PERIODS:
        period = "quarter"
    org_ids = _org_ids(user)
    if org_ids is not None and organisation.pk not in org_ids:
        raise NotVisible("No such organisation.")
    stage_runs = StageRun.objects.filter(
        run__proposal__organisation=organisation,
        status=StageRunStatus.COMPLETED,
        started_at__isnull=False,
        finished_at__isnull=False,
    ).select_related("stage")
    approved = Proposal.objects.filter(
        organisation=organisation,
        submitted_at__isnull=False,
        decided_at__isnull=False,
        status__in=[
            ProposalStatus.APPROVED,
            ProposalStatus.PUBLISHED,
            ProposalStatus.RETIRED,
            ProposalStatus.RENEWED,
        ],
    )
    if since is not None:
        stage_runs = stage_runs.filter(finished_at__gte=since)
        approved = approved.filter(decided_at__gte=since)
    stage_samples: dict[str, list[tuple[str, float]]] = {}
    order: dict[str, tuple[int, int]] = {}
    periods: set[str] = set()
    for stage_run in stage_runs.order_by("stage__order", "pk"):
        assert stage_run.started_at is not None and stage_run.finished_at is not None
        label = period_of(stage_run.finished_at, period)
        periods.add(label)
        stage_samples.setdefault(stage_run.stage.name, []).append(
            (label, _days(stage_run.started_at, stage_run.finished_at))
        )
        order.setdefault(stage_run.stage.name, (stage_run.stage.order, stage_run.pk))
    end_samples: list[tuple[str, float]] = []
    for proposal in approved:
        assert proposal.submitted_at is not None and proposal.decided_at is not None
        label = period_of(proposal.decided_at, period)
        periods.add(label)
        end_samples.append((label, _days(proposal.submitted_at, proposal.decided_at)))
    ordered_periods = _period_range(min(periods), max(periods), period) if periods else []
    return CycleTimes(
        period=period,
        periods=ordered_periods,
        stages=[
            _row(name, stage_samples[name], ordered_periods)
            for name in sorted(stage_samples, key=lambda n: order[n])
        ],
        end_to_end=_row("End to end (submission to approval)", end_samples, ordered_periods),
    )
