"""Reads of committees: the committees, meetings and agendas of the organisations a person belongs to."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from credence.errors import NotVisible
from credence.organisations.authorization import organisation_ids_of

from .models import AgendaItem, Committee, CommitteeMember, Meeting, MeetingStatus


def _org_ids(user: Any) -> list[int] | None:
    """None: every organisation (platform admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return organisation_ids_of(user)


def committees_visible_to(user: Any) -> QuerySet[Committee]:
    queryset = Committee.objects.select_related("organisation")
    ids = _org_ids(user)
    return queryset if ids is None else queryset.filter(organisation_id__in=ids)


def committee_for(user: Any, slug: str, *, organisation_id: int | None = None) -> Committee:
    """The committee with this slug among the person's organisations (the active one first)."""
    found = list(committees_visible_to(user).filter(slug=slug))
    if not found:
        raise NotVisible("No such committee.")
    preferred = [c for c in found if c.organisation_id == organisation_id]
    return (preferred or found)[0]


def committee_by_pk(user: Any, pk: int) -> Committee:
    found = committees_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such committee.")
    return found


def seats_of(committee: Committee) -> QuerySet[CommitteeMember]:
    return committee.members.select_related("user").order_by("role", "user__username")


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    queryset = Meeting.objects.select_related("committee", "organisation")
    ids = _org_ids(user)
    return queryset if ids is None else queryset.filter(organisation_id__in=ids)


def meetings_of(user: Any, committee: Committee) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(committee=committee)


def upcoming_meetings(user: Any, committee: Committee) -> QuerySet[Meeting]:
    return meetings_of(user, committee).filter(start__gte=timezone.now(), status=MeetingStatus.PLANNED).order_by("start")


def meeting_for(user: Any, pk: int) -> Meeting:
    items = AgendaItem.objects.select_related(
        "stage_run__stage", "stage_run__run__proposal__proposer", "recorded_by"
    ).order_by("order", "pk")
    found = meetings_visible_to(user).prefetch_related(Prefetch("items", queryset=items)).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such meeting.")
    return found


def awaiting(user: Any, committee: Committee) -> list[Any]:
    """The proposals waiting at this committee's stage that are not on a planned meeting's agenda yet."""
    from credence.workflows.selectors import awaiting_committee

    runs = list(awaiting_committee(user=user, organisation=committee.organisation, committee_slug=committee.slug))
    allocated = set(
        AgendaItem.objects.filter(
            stage_run__in=runs, outcome="", meeting__status=MeetingStatus.PLANNED
        ).values_list("stage_run_id", flat=True)
    )
    return [r for r in runs if r.pk not in allocated]
