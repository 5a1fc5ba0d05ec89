"""A committee of `world.home` ("academic-board") with a chair, a secretary and a member, and helpers
that bring proposals to its stage through the workflows services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from credence.committees import services
from credence.committees.models import Committee, Meeting
from credence.workflows.models import StageRun, StageRunStatus

from ..workflows.conftest import COMMITTEE, make_proposal, make_template


@dataclass
class Board:
    committee: Committee
    meeting: Meeting


@pytest.fixture
def board(world) -> Board:
    committee = services.create_committee(
        actor=world.user("org_admin"), organisation=world.home, name="Academic Board", slug="academic-board",
        terms_of_reference="Approves new micro-credentials.",
    )
    services.seat_member(actor=None, committee=committee, user=world.user("committee_secretary"), role="secretary")
    services.seat_member(actor=None, committee=committee, user=world.user("approver"), role="chair")
    services.seat_member(actor=None, committee=committee, user=world.user("committee_member"), role="member")
    start = timezone.now() + dt.timedelta(days=7)
    meeting = services.schedule_meeting(
        actor=world.user("committee_secretary"), committee=committee,
        start=start, end=start + dt.timedelta(hours=2), place="Senate Room", description="Spring round.",
    )
    return Board(committee=committee, meeting=meeting)


@pytest.fixture
def template(world):
    return make_template(world.home, [COMMITTEE])


def waiting_stage_run(world, code: str = "MC-1") -> StageRun:
    proposal = make_proposal(world, code=code)
    return StageRun.objects.select_related("stage", "run__proposal").get(
        run__proposal=proposal, status=StageRunStatus.ACTIVE
    )
