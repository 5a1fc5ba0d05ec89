"""Setting up committees and seats, scheduling meetings (members are told)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from credence.committees import services
from credence.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_only_org_admins_set_up_committees(world):
    with pytest.raises(PermissionDenied):
        services.create_committee(actor=world.user("committee_secretary"), organisation=world.home, name="Board")
    committee = services.create_committee(actor=world.user("org_admin"), organisation=world.home, name="Quality Board")
    assert committee.slug == "quality-board"


def test_a_slug_is_unique_within_the_organisation(world, board):
    with pytest.raises(ValidationError) as error:
        services.create_committee(actor=None, organisation=world.home, name="Another", slug="academic-board")
    assert "already has a committee with the short name 'academic-board'" in error.value.message_dict["slug"][0]
    # Another organisation may use the same slug.
    services.create_committee(actor=None, organisation=world.other, name="Academic Board", slug="academic-board")


def test_a_seat_goes_to_members_of_the_organisation_and_there_is_one_chair(world, board):
    with pytest.raises(ValidationError) as error:
        services.seat_member(actor=None, committee=board.committee, user=world.outsider, role="member")
    assert "is not a member of University of Home" in error.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as error:
        services.seat_member(actor=None, committee=board.committee, user=world.user("reviewer"), role="chair")
    assert "already has a chair" in error.value.message_dict["role"][0]


def test_scheduling_tells_the_members_but_not_the_secretary_who_scheduled(world, board):
    told = set(Notification.objects.filter(event="meeting.scheduled").values_list("recipient__username", flat=True))
    assert told == {"home_approver", "home_committee_member"}


def test_a_meeting_needs_a_place_or_link_and_to_end_after_it_starts(world, board):
    start = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.schedule_meeting(actor=None, committee=board.committee, start=start, end=start - dt.timedelta(hours=1))
    assert error.value.message_dict["end"] == ["The meeting must end after it starts."]
    assert error.value.message_dict["place"] == ["Give a place, an online link, or both."]


def test_who_may_schedule(world, board):
    start = timezone.now() + dt.timedelta(days=3)
    kwargs = {"committee": board.committee, "start": start, "end": start + dt.timedelta(hours=1), "place": "Room 1"}
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(actor=world.user("committee_member"), **kwargs)
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(actor=world.user("reviewer"), **kwargs)
    # The chair holds the approver role only, but chairs the committee.
    services.schedule_meeting(actor=world.user("approver"), **kwargs)
    services.schedule_meeting(actor=world.user("org_admin"), **kwargs)


def test_minutes_mark_the_meeting_held(world, board):
    meeting = services.save_minutes(actor=world.user("committee_secretary"), meeting=board.meeting, minutes="Present: all.")
    assert meeting.status == "held" and meeting.minutes == "Present: all."
