"""The committees part of the permission matrix: every committees API operation x every principal, on a
committee of their own organisation and of another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from credence.committees import services
from credence.committees.models import AgendaItem, Committee, Meeting
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User
from credence.workflows import services as workflows
from credence.workflows.models import StageRun, StageRunStatus

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, expected_status

pytestmark = pytest.mark.django_db


@dataclass
class Holdings:
    organisation: Organisation
    committee: Committee
    meeting: Meeting
    item: AgendaItem  # allocated, undecided
    waiting: StageRun  # waiting at the committee stage, not allocated


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _waiting(organisation: Organisation, proposer: User, code: str) -> StageRun:
    version = make_version(organisation, code=code)
    proposal = workflows.create_proposal(
        actor=proposer, micro_credential=version.micro_credential, kind="new",
        rationale="Employers ask for it.", demand_evidence="Three letters.", target_learners="People at work.",
    )
    workflows.submit_proposal(actor=proposer, proposal=proposal)
    return StageRun.objects.get(run__proposal=proposal, status=StageRunStatus.ACTIVE)


def _holdings(tag: str) -> Holdings:
    organisation = make_organisation(f"{tag} Board University")
    proposer = make_user(organisation, ["proposer"], username=f"cmt_proposer_{tag}")
    workflows.save_template(
        actor=None, organisation=organisation, proposal_kind="new", name="New courses",
        stages=[{"name": "Board", "kind": "committee", "order": 1, "committee_slug": "board"}],
    )
    committee = services.create_committee(actor=None, organisation=organisation, name="Board", slug="board")
    start = timezone.now() + dt.timedelta(days=10)
    meeting = services.schedule_meeting(
        actor=None, committee=committee, start=start, end=start + dt.timedelta(hours=2), place="Room 1"
    )
    item = services.allocate(actor=None, meeting=meeting, stage_run=_waiting(organisation, proposer, f"{tag}-A"))
    return Holdings(organisation, committee, meeting, item, _waiting(organisation, proposer, f"{tag}-B"))


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = Scene(holdings={"own": _holdings("OWN"), "other": _holdings("OTH")})
        own = built.holdings["own"].organisation
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"cmtmatrix_{role.value}")
        built.users["nobody"] = make_user(None, username="cmtmatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("cmtmatrix_admin")
        yield built
        transaction.set_rollback(True)


VIEW = "committees.view_committees"

ENDPOINTS = [
    Endpoint("GET /api/committees/", lambda h: "/api/committees/", signed_in=True),
    Endpoint("GET /api/committees/{id}/", lambda h: f"/api/committees/{h.committee.pk}/", sees=VIEW, signed_in=True),
    Endpoint("GET /api/meetings/", lambda h: "/api/meetings/?committee=board", signed_in=True),
    Endpoint("GET /api/meetings/{id}/", lambda h: f"/api/meetings/{h.meeting.pk}/", sees=VIEW, signed_in=True),
    Endpoint(
        "POST /api/meetings/{id}/allocate/",
        lambda h: f"/api/meetings/{h.meeting.pk}/allocate/",
        lambda h: {"stage_run": h.waiting.pk},
        sees=VIEW, needs="committees.manage_meetings", success=201,
    ),
    Endpoint(
        "POST /api/meetings/{id}/outcome/",
        lambda h: f"/api/meetings/{h.meeting.pk}/outcome/",
        lambda h: {"item": h.item.pk, "outcome": "approved_with_conditions", "conditions": ["Publish the rubric."]},
        sees=VIEW, needs="committees.record_outcome",
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_committees_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None
    send = getattr(client, endpoint.method.lower())
    response = send(endpoint.url(holdings), body, format="json") if body is not None else send(endpoint.url(holdings))

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's committee: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )
    if endpoint.operation == "GET /api/meetings/" and want == 200:
        ids = [m["id"] for m in response.json()["results"]]
        sees = principal == "platform_admin" or (principal in Role.values and owner == "own")
        assert (holdings.meeting.pk in ids) is sees


def test_an_outcome_for_an_item_of_another_meeting_is_a_400_and_changes_nothing(scene: Scene):
    h = scene.holdings["own"]
    start = timezone.now() + dt.timedelta(days=20)
    other = services.schedule_meeting(actor=None, committee=h.committee, start=start, end=start + dt.timedelta(hours=1), place="Room 2")

    response = client_for(scene.users["committee_secretary"]).post(
        f"/api/meetings/{other.pk}/outcome/", {"item": h.item.pk, "outcome": "approved"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["item"] == ["That item is not on the agenda of this meeting."]
    assert AgendaItem.objects.get(pk=h.item.pk).outcome == ""


def test_the_table_uses_every_committees_permission_with_an_api():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    # Setting up committees and seats is done on the pages only.
    assert {p for p in REGISTERED if p.startswith("committees.")} - used == {"committees.manage_committees"}
