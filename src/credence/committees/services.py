"""Every write of committees: committees and seats, meetings, agendas, papers, outcomes and minutes.

Recording an outcome checks what only the committee knows (the item is on this meeting's agenda, not yet
decided) and then calls `credence.workflows.services.record_committee_outcome`, which checks the stage
is still waiting and moves the workflow on. The committee never moves a run itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from credence.audit.services import record_event
from credence.files.models import Attachment
from credence.files.services import attach_file
from credence.notifications.services import notify
from credence.organisations.authorization import can, require
from credence.organisations.models import Membership, Organisation, User

from .models import AgendaItem, Committee, CommitteeMember, ItemOutcome, Meeting, MeetingStatus, SeatRole

PAPER_TYPES = ("pdf", "docx", "xlsx", "png", "jpeg")
MAX_CONDITIONS = 20


# --- who may ----------------------------------------------------------------------------------------------


def holds_seat(user: Any, committee: Committee, roles: Sequence[str] = (SeatRole.CHAIR, SeatRole.SECRETARY)) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return committee.members.filter(user_id=user.pk, role__in=list(roles)).exists()


def can_manage_meetings(user: Any, committee: Committee) -> bool:
    return can(user, "committees.manage_meetings", committee.organisation) or (
        can(user, "committees.view_committees", committee.organisation) and holds_seat(user, committee)
    )


def can_record_outcome(user: Any, committee: Committee) -> bool:
    return can(user, "committees.record_outcome", committee.organisation) or (
        can(user, "committees.view_committees", committee.organisation) and holds_seat(user, committee)
    )


def _require_meetings(actor: Any, committee: Committee) -> None:
    if not can_manage_meetings(actor, committee):
        raise PermissionDenied(
            "Only committee secretaries, organisation admins, and the chair or secretary of "
            f"'{committee.name}' can change its meetings."
        )


# --- committees ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_committee(
    *, actor: User | None, organisation: Organisation, name: str, slug: str = "", terms_of_reference: str = ""
) -> Committee:
    if actor is not None:
        require(actor, "committees.manage_committees", organisation)
    name = (name or "").strip()
    slug = (slug or "").strip() or slugify(name)[:100]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the committee a name."]
    elif len(name) > 200:
        errors["name"] = ["The name is at most 200 characters."]
    if not slug or slug != slugify(slug):
        errors["slug"] = ["The short name may hold only lower-case letters, digits and hyphens."]
    elif Committee.objects.filter(organisation=organisation, slug=slug).exists():
        errors["slug"] = [f"{organisation} already has a committee with the short name '{slug}'."]
    if errors:
        raise ValidationError(errors)
    committee = Committee.objects.create(
        organisation=organisation, name=name, slug=slug, terms_of_reference=terms_of_reference.strip()
    )
    record_event(
        actor=actor, action="committee.created", obj=committee, organisation=organisation,
        changes={"name": [None, name], "slug": [None, slug]},
    )
    return committee


@transaction.atomic
def seat_member(
    *,
    actor: User | None,
    committee: Committee,
    user: User,
    role: str = SeatRole.MEMBER,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> CommitteeMember:
    """Give `user` a seat on the committee (or change their seat). A committee has one chair."""
    if actor is not None:
        require(actor, "committees.manage_committees", committee.organisation)
    errors: dict[str, list[str]] = {}
    if role not in SeatRole.values:
        errors["role"] = [f"Choose a seat: {', '.join(SeatRole.values)}."]
    if not Membership.objects.filter(user=user, organisation=committee.organisation, active=True).exists():
        errors["user"] = [f"{user.get_username()} is not a member of {committee.organisation}."]
    if term_start and term_end and term_end < term_start:
        errors["term_end"] = ["The term cannot end before it starts."]
    if role == SeatRole.CHAIR and committee.members.filter(role=SeatRole.CHAIR).exclude(user=user).exists():
        errors["role"] = [f"'{committee.name}' already has a chair; change that seat first."]
    if errors:
        raise ValidationError(errors)
    seat, created = CommitteeMember.objects.update_or_create(
        committee=committee, user=user,
        defaults={"role": role, "term_start": term_start, "term_end": term_end},
    )
    record_event(
        actor=actor, action="committee.member_seated", obj=committee, organisation=committee.organisation,
        changes={f"members[{user.get_username()}]": [None if created else "changed", role]},
    )
    return seat


@transaction.atomic
def unseat_member(*, actor: User | None, seat: CommitteeMember) -> None:
    committee = seat.committee
    if actor is not None:
        require(actor, "committees.manage_committees", committee.organisation)
    record_event(
        actor=actor, action="committee.member_unseated", obj=committee, organisation=committee.organisation,
        changes={f"members[{seat.user.get_username()}]": [seat.role, None]},
    )
    seat.delete()


# --- meetings -------------------------------------------------------------------------------------------------

MEETING_FIELDS = ("start", "end", "place", "online_link", "description")


def _check_meeting(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    start, end = values.get("start"), values.get("end")
    if not isinstance(start, dt.datetime):
        errors["start"] = ["Give the date and time the meeting starts."]
    if not isinstance(end, dt.datetime):
        errors["end"] = ["Give the date and time the meeting ends."]
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end <= start:
        errors["end"] = ["The meeting must end after it starts."]
    if not (values.get("place") or "").strip() and not (values.get("online_link") or "").strip():
        errors["place"] = ["Give a place, an online link, or both."]
    link = (values.get("online_link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["online_link"] = ["The online link must start with https:// or http://."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_meeting(
    *,
    actor: User | None,
    committee: Committee,
    start: dt.datetime,
    end: dt.datetime,
    place: str = "",
    online_link: str = "",
    description: str = "",
) -> Meeting:
    """Plan a meeting of the committee; its members are told (`meeting.scheduled`)."""
    if actor is not None:
        _require_meetings(actor, committee)
    values = {"start": start, "end": end, "place": place, "online_link": online_link, "description": description}
    _check_meeting(values)
    meeting = Meeting.objects.create(
        committee=committee, organisation=committee.organisation,
        start=start, end=end, place=place.strip(), online_link=online_link.strip(), description=description.strip(),
    )
    record_event(
        actor=actor, action="meeting.scheduled", obj=meeting, organisation=committee.organisation,
        changes={k: [None, str(v)] for k, v in values.items() if v},
    )
    if meeting.start > timezone.now():
        notify(
            recipients=[seat.user for seat in committee.members.select_related("user")],
            event="meeting.scheduled",
            subject=f"{committee.name} meets on {timezone.localtime(meeting.start):%d %B %Y at %H:%M}",
            body=" · ".join(x for x in (meeting.place, meeting.online_link) if x),
            url=meeting_url(meeting),
            organisation=committee.organisation,
            actor=actor,
        )
    return meeting


def meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("committees:meeting", args=[meeting.pk])


@transaction.atomic
def update_meeting(*, actor: User | None, meeting: Meeting, **changes: Any) -> Meeting:
    """Change a meeting's date, place, link, description or status (planned, held, cancelled)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if actor is not None:
        _require_meetings(actor, meeting.committee)
    unknown = set(changes) - {*MEETING_FIELDS, "status"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    values = {name: changes.get(name, getattr(meeting, name)) for name in MEETING_FIELDS}
    _check_meeting(values)
    status = changes.get("status", meeting.status)
    if status not in MeetingStatus.values:
        raise ValidationError({"status": [f"Choose a status: {', '.join(MeetingStatus.values)}."]})
    diff: dict[str, list[Any]] = {}
    for name, value in [*values.items(), ("status", status)]:
        if isinstance(value, str):
            value = value.strip()
        if getattr(meeting, name) != value:
            diff[name] = [str(getattr(meeting, name)), str(value)]
            setattr(meeting, name, value)
    if diff:
        meeting.save()
        record_event(actor=actor, action="meeting.changed", obj=meeting, organisation=meeting.organisation, changes=diff)
    return meeting


@transaction.atomic
def save_minutes(*, actor: User | None, meeting: Meeting, minutes: str, held: bool = True) -> Meeting:
    """Write the meeting's minutes (and, by default, mark it held)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if actor is not None:
        _require_meetings(actor, meeting.committee)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"minutes": ["This meeting was cancelled: it has no minutes."]})
    if len(minutes) > 100_000:
        raise ValidationError({"minutes": ["The minutes are at most 100,000 characters."]})
    before = (meeting.minutes, meeting.status)
    meeting.minutes = minutes.strip()
    if held:
        meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "status"])
    record_event(
        actor=actor, action="meeting.minutes_saved", obj=meeting, organisation=meeting.organisation,
        changes={"minutes": [before[0], meeting.minutes], "status": [before[1], meeting.status]},
    )
    return meeting


# --- the agenda -------------------------------------------------------------------------------------------------


@transaction.atomic
def allocate(*, actor: User | None, meeting: Meeting, stage_run: Any) -> AgendaItem:
    """Put a proposal waiting at this committee's stage on the meeting's agenda (at the end)."""
    from credence.workflows.models import StageKind, StageRunStatus

    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    committee = meeting.committee
    if actor is not None:
        _require_meetings(actor, committee)
    proposal = stage_run.run.proposal
    problems: list[str] = []
    if meeting.status != MeetingStatus.PLANNED:
        problems.append(f"The meeting is {meeting.get_status_display().lower()}: only a planned meeting takes new items.")
    if proposal.organisation_id != committee.organisation_id:
        problems.append("That proposal belongs to another organisation.")
    elif stage_run.stage.kind != StageKind.COMMITTEE or stage_run.stage.committee_slug != committee.slug:
        problems.append(f"'{proposal.title}' is not at a stage of {committee.name}.")
    elif stage_run.status != StageRunStatus.ACTIVE:
        problems.append(
            f"'{proposal.title}' is no longer waiting at {stage_run.stage.name} (it is {stage_run.get_status_display().lower()})."
        )
    elif AgendaItem.objects.filter(stage_run=stage_run, outcome="", meeting__status=MeetingStatus.PLANNED).exists():
        other = AgendaItem.objects.filter(stage_run=stage_run, outcome="").select_related("meeting").first()
        problems.append(f"'{proposal.title}' is already on the agenda of the meeting of {other.meeting.start:%d %B %Y}.")  # type: ignore[union-attr]
    if problems:
        raise ValidationError({"stage_run": problems})
    last = meeting.items.aggregate(n=Max("order"))["n"] or 0
    item = AgendaItem.objects.create(meeting=meeting, order=last + 1, stage_run=stage_run, title=proposal.title[:300])
    record_event(
        actor=actor, action="meeting.item_allocated", obj=meeting, organisation=meeting.organisation,
        changes={f"items[{item.order}]": [None, proposal.title]},
    )
    return item


@transaction.atomic
def withdraw_item(*, actor: User | None, meeting: Meeting, item: AgendaItem | int) -> None:
    """Take an undecided item off the agenda."""
    if actor is not None:
        _require_meetings(actor, meeting.committee)
    item = _item_of(meeting, item)
    if item.outcome:
        raise ValidationError({"item": [f"'{item.title}' was decided ({item.get_outcome_display()}): it stays on the agenda."]})
    record_event(
        actor=actor, action="meeting.item_withdrawn", obj=meeting, organisation=meeting.organisation,
        changes={f"items[{item.order}]": [item.title, None]},
    )
    item.delete()


def _item_of(meeting: Meeting, item: AgendaItem | int) -> AgendaItem:
    pk = item if isinstance(item, int) else item.pk
    found = AgendaItem.objects.select_for_update().filter(pk=pk, meeting_id=meeting.pk).first()
    if found is None:
        raise ValidationError({"item": ["That item is not on the agenda of this meeting."]})
    return found


def clean_conditions(conditions: Any) -> list[str]:
    if isinstance(conditions, str):
        conditions = conditions.splitlines()
    if not isinstance(conditions, list | tuple) or not all(isinstance(c, str) for c in conditions):
        raise ValidationError({"conditions": ["Give the conditions as a list of texts."]})
    cleaned = [c.strip() for c in conditions if c.strip()]
    if len(cleaned) > MAX_CONDITIONS:
        raise ValidationError({"conditions": [f"At most {MAX_CONDITIONS} conditions; there are {len(cleaned)}."]})
    return cleaned


@transaction.atomic
def record_outcome(
    *,
    actor: User,
    meeting: Meeting,
    item: AgendaItem | int,
    outcome: str,
    conditions: Sequence[str] | str = (),
    note: str = "",
) -> AgendaItem:
    """Record the committee's outcome on one agenda item and move the proposal's workflow on.

    Refused, with nothing changed, when the item is not on this meeting's agenda, was already decided,
    or the proposal's stage has moved on; conditions go with 'approved with conditions' only (they become
    tasks of the proposer, made by the workflow).
    """
    from credence.workflows.models import StageRunStatus
    from credence.workflows.services import record_committee_outcome

    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    if not can_record_outcome(actor, meeting.committee):
        raise PermissionDenied(
            f"Only the secretary or the chair of {meeting.committee.name} (or a committee secretary or "
            "organisation admin) can record outcomes."
        )
    found = _item_of(meeting, item)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"item": ["This meeting was cancelled: it records no outcomes."]})
    if found.outcome:
        raise ValidationError(
            {"item": [f"'{found.title}' was already decided at this meeting ({found.get_outcome_display()})."]}
        )
    if outcome not in ItemOutcome.values:
        raise ValidationError({"outcome": [f"Choose an outcome: {', '.join(ItemOutcome.values)}."]})
    cleaned = clean_conditions(conditions)
    stage_run = found.stage_run
    if stage_run.status != StageRunStatus.ACTIVE:
        raise ValidationError(
            {"item": [f"'{found.title}' has moved on from {stage_run.stage.name} since it was allocated "
                      f"(the stage is {stage_run.get_status_display().lower()}); nothing was recorded."]}
        )
    record_committee_outcome(actor=actor, stage_run=stage_run, outcome=outcome, conditions=cleaned, note=note)
    found.outcome = outcome
    found.conditions = cleaned
    found.note = note.strip()
    found.recorded_by = actor
    found.recorded_at = timezone.now()
    found.save(update_fields=["outcome", "conditions", "note", "recorded_by", "recorded_at"])
    record_event(
        actor=actor, action="meeting.outcome_recorded", obj=meeting, organisation=meeting.organisation,
        changes={f"items[{found.order}].outcome": [None, outcome], f"items[{found.order}].conditions": [None, cleaned]},
    )
    return found


# --- papers -------------------------------------------------------------------------------------------------


@transaction.atomic
def add_paper(*, actor: User, meeting: Meeting, upload: File, item: AgendaItem | None = None) -> Attachment:
    """Attach a paper to the meeting, or to one of its agenda items."""
    _require_meetings(actor, meeting.committee)
    owner: Meeting | AgendaItem = meeting if item is None else _item_of(meeting, item)
    return attach_file(
        actor=actor, organisation=meeting.organisation, owner=owner, upload=upload,
        allowed_types=PAPER_TYPES, permission=None,
    )
