"""The committees demo: Northbridge's Academic Board, with abdul in the chair, sam as its secretary and
carmen as a member; a meeting held a month ago (with minutes) and one planned for next month. If the
workflows demo left proposals waiting at the board's stage, the first is put on the planned agenda.
Built through the services, as Northbridge's admin (olivia) and the board's secretary (sam)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from credence.committees import selectors, services
from credence.committees.models import Committee, MeetingStatus
from credence.organisations.models import User

ORDER = 45

TERMS = (
    "The Academic Board approves new micro-credentials and major changes to existing ones on behalf of the "
    "university, after internal review and the dean's approval. It meets twice a term. It may approve, "
    "approve with conditions (which the proposer must meet before the first offering), defer for more "
    "information, or reject."
)

PAST_MINUTES = (
    "Present: Abdul (chair), Sam (secretary), Carmen.\n\n"
    "1. The board noted the new workflow for micro-credential proposals and agreed to consider proposals "
    "allocated by the secretary at each meeting.\n"
    "2. The board asked for labour-market evidence to be attached to every business case from now on.\n"
    "3. Next meeting: next month, Senate Room and online."
)


def _at(days: int, hour: int) -> dt.datetime:
    day = (timezone.now() + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def load(context: Any) -> None:
    organisation = context.organisations.get("northbridge")
    people = {u.username: u for u in User.objects.filter(username__in=["olivia", "sam", "carmen", "abdul"])}
    if organisation is None or len(people) < 4:
        return
    committee = Committee.objects.filter(organisation=organisation, slug="academic-board").first()
    if committee is None:
        committee = services.create_committee(
            actor=people["olivia"], organisation=organisation, name="Academic Board", slug="academic-board",
            terms_of_reference=TERMS,
        )
        for username, role in (("abdul", "chair"), ("sam", "secretary"), ("carmen", "member")):
            services.seat_member(
                actor=people["olivia"], committee=committee, user=people[username], role=role,
                term_start=dt.date(2025, 9, 1), term_end=dt.date(2028, 8, 31),
            )
    sam = people["sam"]
    if not committee.meetings.exists():
        past = services.schedule_meeting(
            actor=sam, committee=committee, start=_at(-30, 14), end=_at(-30, 16), place="Senate Room, Main Building",
            description="First meeting under the new approval workflow.",
        )
        services.save_minutes(actor=sam, meeting=past, minutes=PAST_MINUTES)
        services.schedule_meeting(
            actor=sam, committee=committee, start=_at(30, 14), end=_at(30, 16), place="Senate Room, Main Building",
            online_link="https://meet.example.org/northbridge-academic-board",
            description="Proposals for the next intake. The secretary adds the papers to each item.",
        )
    upcoming = committee.meetings.filter(status=MeetingStatus.PLANNED, start__gte=timezone.now()).order_by("start").first()
    if upcoming is None or upcoming.items.exists():
        return
    waiting = selectors.awaiting(sam, committee)
    if waiting:
        services.allocate(actor=sam, meeting=upcoming, stage_run=waiting[0])
