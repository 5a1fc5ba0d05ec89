"""Playing a proposal's history at past dates through the real services (the demo's generated history,
the cycle-time tests): submit at a moment, then decide each stage a given number of days later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from credence.organisations.models import Role

from . import services
from .clock import clock_at
from .models import Proposal, StageKind, StageRun, StageRunStatus, TaskStatus


def _first_active(proposal: Proposal) -> StageRun:
    stage_run = (
        StageRun.objects.filter(run__proposal=proposal, status=StageRunStatus.ACTIVE)
        .select_related("stage")
        .order_by("stage__order", "stage_id")
        .first()
    )
    if stage_run is None:
        raise ValueError(f"Proposal {proposal.pk} has no stage in progress.")
    return stage_run


def play(
    *,
    proposal: Proposal,
    submitted_at: dt.datetime,
    stage_days: Sequence[float],
    final: str = "approve",
    comment: str = "",
) -> Proposal:
    """Submit `proposal` at `submitted_at`; then decide the stage in progress `stage_days[i]` days after
    the one before. Every decision approves except the last, which is `final` (approve, return, reject).
    Approval stages are decided by their first open task's assignee, committee stages by a secretary."""
    with clock_at(submitted_at):
        proposal = services.submit_proposal(actor=proposal.proposer, proposal=proposal)
    moment = submitted_at
    for index, days in enumerate(stage_days):
        moment = moment + dt.timedelta(days=days)
        action = final if index == len(stage_days) - 1 else "approve"
        with clock_at(moment):
            stage_run = _first_active(proposal)
            if stage_run.stage.kind == StageKind.COMMITTEE:
                secretary = services._members_with_role(proposal.organisation_id, Role.COMMITTEE_SECRETARY)[0]
                outcome = {"approve": "approved", "reject": "rejected"}.get(action)
                if outcome is None:
                    raise ValueError("A committee stage is approved or rejected in a generated history.")
                services.record_committee_outcome(
                    actor=secretary, stage_run=stage_run, outcome=outcome, conditions=[], note=comment
                )
            elif stage_run.stage.kind == StageKind.APPROVAL:
                task = stage_run.tasks.filter(status=TaskStatus.OPEN).order_by("pk").first()
                if task is None:
                    raise ValueError(f"Nobody holds a task at '{stage_run.stage.name}'.")
                services.decide(
                    actor=task.assignee,
                    stage_run=stage_run,
                    action=action,
                    comment=comment or ("Approved." if action == "approve" else "See the comments."),
                )
            else:
                raise ValueError("A generated history plays approval and committee stages only.")
    proposal.refresh_from_db()
    return proposal
