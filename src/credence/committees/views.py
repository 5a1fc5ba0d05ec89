"""The committees pages: committees and their members, meetings, the agenda (allocation and outcomes),
papers, minutes (and their PDF), and iCalendar files. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from credence.files.selectors import attachments_by_owner, attachments_of
from credence.organisations.authorization import can
from credence.organisations.models import Organisation, User
from credence.web.forms import add_service_errors, error_messages

from . import documents, selectors, services
from .forms import (
    AllocateForm,
    CommitteeForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    PaperForm,
    SeatForm,
)
from .models import Committee, Meeting, MeetingStatus


def _active_org_id(request: HttpRequest) -> int | None:
    value = request.session.get("active_organisation")
    return int(value) if isinstance(value, int) else None


def _organisations_managed(user: Any) -> list[Organisation]:
    from credence.organisations.authorization import organisation_ids_of

    return [
        o for o in Organisation.objects.filter(pk__in=organisation_ids_of(user))
        if can(user, "committees.manage_committees", o)
    ]


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = list(selectors.committees_visible_to(request.user))
    managed = _organisations_managed(request.user)
    form = CommitteeForm(request.POST or None)
    if request.method == "POST":
        if not managed:
            raise PermissionDenied("Only organisation admins can set up committees.")
        organisation = next((o for o in managed if o.pk == _active_org_id(request)), managed[0])
        if form.is_valid():
            try:
                committee = services.create_committee(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The committee '{committee.name}' is set up; now give it members.")
                return redirect("committees:committee", slug=committee.slug)
    upcoming = {
        m.committee_id: m
        for m in selectors.meetings_visible_to(request.user)
        .filter(start__gte=timezone.now(), status=MeetingStatus.PLANNED)
        .order_by("-start")
    }
    rows = [(c, upcoming.get(c.pk)) for c in committees]
    return render(
        request, "committees/list.html",
        {"rows": rows, "form": form if managed else None},
        status=400 if request.method == "POST" else 200,
    )


def _committee(request: HttpRequest, slug: str) -> Committee:
    return selectors.committee_for(request.user, slug, organisation_id=_active_org_id(request))


@login_required
def committee_detail(request: HttpRequest, slug: str, seat_form: SeatForm | None = None, status: int = 200) -> HttpResponse:
    committee = _committee(request, slug)
    manage = can(request.user, "committees.manage_committees", committee.organisation)
    now = timezone.now()
    meetings = selectors.meetings_of(request.user, committee)
    return render(
        request,
        "committees/detail.html",
        {
            "committee": committee,
            "seats": list(selectors.seats_of(committee)),
            "upcoming": list(meetings.filter(start__gte=now).order_by("start")),
            "past": list(meetings.filter(start__lt=now).order_by("-start")[:50]),
            "can_schedule": services.can_manage_meetings(request.user, committee),
            "seat_form": (seat_form or SeatForm()) if manage else None,
            "waiting": selectors.awaiting(request.user, committee),
        },
        status=status,
    )


@login_required
@require_POST
def seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    committee = _committee(request, slug)
    form = SeatForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        name = data["username"].strip()
        user = User.objects.filter(Q(username__iexact=name) | Q(email__iexact=name)).first()
        if user is None:
            form.add_error("username", f"No one is called '{name}'.")
        else:
            try:
                services.seat_member(
                    actor=request.user, committee=committee, user=user, role=data["role"],  # type: ignore[arg-type]
                    term_start=data["term_start"], term_end=data["term_end"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{user.get_username()} now sits on {committee.name}.")
                return redirect("committees:committee", slug=committee.slug)
    return committee_detail(request, slug, seat_form=form, status=400)


@login_required
@require_POST
def seat_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    committee = _committee(request, slug)
    seat = selectors.seats_of(committee).filter(pk=pk).first()
    if seat is None:
        messages.error(request, "That person no longer sits on the committee.")
    else:
        services.unseat_member(actor=request.user, seat=seat)  # type: ignore[arg-type]
        messages.success(request, f"{seat.user.get_username()} no longer sits on {committee.name}.")
    return redirect("committees:committee", slug=committee.slug)


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    committee = _committee(request, slug)
    if not services.can_manage_meetings(request.user, committee):
        raise PermissionDenied("Only the committee's secretary or chair can schedule its meetings.")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=request.user, committee=committee, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting is scheduled; the committee's members are told.")
            return redirect("committees:meeting", pk=meeting.pk)
    return render(
        request, "committees/meeting_form.html", {"committee": committee, "form": form, "meeting": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    if not services.can_manage_meetings(request.user, meeting.committee):
        raise PermissionDenied("Only the committee's secretary or chair can change its meetings.")
    initial = {name: getattr(meeting, name) for name in (*services.MEETING_FIELDS, "status")}
    initial["start"] = timezone.localtime(meeting.start)
    initial["end"] = timezone.localtime(meeting.end)
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting is saved.")
            return redirect("committees:meeting", pk=meeting.pk)
    return render(
        request, "committees/meeting_form.html", {"committee": meeting.committee, "form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms_: forms.Form | None) -> dict[str, Any]:
    committee = meeting.committee
    items = list(meeting.items.all())
    manage = services.can_manage_meetings(request.user, committee)
    record = services.can_record_outcome(request.user, committee)
    papers = attachments_by_owner(items)
    waiting = selectors.awaiting(request.user, committee) if manage and meeting.status == MeetingStatus.PLANNED else []
    bound_outcome = forms_.get("outcome_form")
    rows = []
    attached = False  # the bound outcome form shows its own errors when its item is on the page
    for item in items:
        form = None
        if record and not item.outcome and meeting.status != MeetingStatus.CANCELLED:
            if bound_outcome is not None and bound_outcome.prefix == f"item{item.pk}":
                form = bound_outcome
                attached = True
            else:
                form = OutcomeForm(prefix=f"item{item.pk}")
        rows.append({"item": item, "papers": papers.get(item.pk, []), "form": form})
    return {
        "meeting": meeting,
        "committee": committee,
        "rows": rows,
        "papers": list(attachments_of(meeting)),
        "manage": manage,
        "record": record,
        "allocate_form": forms_.get("allocate_form") or (AllocateForm(waiting=waiting) if waiting else None),
        "paper_form": forms_.get("paper_form") or (PaperForm(items=items) if manage else None),
        "minutes_form": forms_.get("minutes_form") or (MinutesForm(initial={"minutes": meeting.minutes}) if manage else None),
        "outcome_error": None if attached else forms_.get("outcome_error"),
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    return render(request, "committees/meeting.html", _meeting_context(request, meeting))


def _rerender(request: HttpRequest, meeting: Meeting, **forms_: Any) -> HttpResponse:
    return render(request, "committees/meeting.html", _meeting_context(request, meeting, **forms_), status=400)


@login_required
@require_POST
def meeting_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    if not services.can_manage_meetings(request.user, meeting.committee):
        raise PermissionDenied("Only the committee's secretary or chair can build its agenda.")
    waiting = selectors.awaiting(request.user, meeting.committee)
    form = AllocateForm(request.POST, waiting=waiting)
    if form.is_valid():
        stage_run = next(r for r in waiting if r.pk == form.cleaned_data["stage_run"])
        try:
            item = services.allocate(actor=request.user, meeting=meeting, stage_run=stage_run)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"'{item.title}' is item {item.order} on the agenda.")
            return redirect(reverse("committees:meeting", args=[meeting.pk]) + "#agenda")
    return _rerender(request, meeting, allocate_form=form)


@login_required
@require_POST
def meeting_withdraw_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    try:
        services.withdraw_item(actor=request.user, meeting=meeting, item=item_pk)  # type: ignore[arg-type]
    except ValidationError as error:
        for messages_ in error_messages(error).values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.success(request, "The item is taken off the agenda; the proposal waits for the committee again.")
    return redirect(reverse("committees:meeting", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    item_id = request.POST.get("item", "")
    prefix = f"item{item_id}" if item_id.isdigit() else None
    form = OutcomeForm(request.POST, prefix=prefix)
    if prefix is None or not form.is_valid():
        if not item_id.isdigit():
            messages.error(request, "Choose an agenda item of this meeting.")
            return redirect("committees:meeting", pk=meeting.pk)
        return _rerender(request, meeting, outcome_form=form)
    data = form.cleaned_data
    try:
        item = services.record_outcome(
            actor=request.user, meeting=meeting, item=int(item_id),  # type: ignore[arg-type]
            outcome=data["outcome"], conditions=data["conditions"], note=data["note"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _rerender(
            request, meeting, outcome_form=form,
            outcome_error=[m for ms in error_messages(error).values() for m in ms],
        )
    messages.success(request, f"Recorded: '{item.title}' {item.get_outcome_display().lower()}.")
    return redirect(reverse("committees:meeting", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def meeting_paper(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    items = list(meeting.items.all())
    form = PaperForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data.get("item")), None)
        try:
            paper = services.add_paper(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"], item=item)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"'{paper.name}' is added to the papers.")
            return redirect(reverse("committees:meeting", args=[meeting.pk]) + "#papers")
    return _rerender(request, meeting, paper_form=form)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.save_minutes(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The minutes are saved and the meeting is marked as held.")
            return redirect(reverse("committees:meeting", args=[meeting.pk]) + "#minutes")
    return _rerender(request, meeting, minutes_form=form)


@login_required
def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "items": list(meeting.items.all()),
        "seats": list(selectors.seats_of(meeting.committee)),
    }
    response = HttpResponse(documents.minutes_pdf(meeting, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.committee.slug}-{meeting.start:%Y-%m-%d}.pdf"'
    return response


def _ics(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _url(meeting: Meeting) -> str:
    return reverse("committees:meeting", args=[meeting.pk])


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    text = documents.calendar([meeting], name=documents.feed_name(meeting.committee), url_of=_url)
    return _ics(text, f"{meeting.committee.slug}-{meeting.start:%Y-%m-%d}.ics")


@login_required
def committee_ics(request: HttpRequest, slug: str) -> HttpResponse:
    committee = _committee(request, slug)
    meetings = selectors.meetings_of(request.user, committee).order_by("start")
    return _ics(documents.calendar(meetings, name=documents.feed_name(committee), url_of=_url), f"{committee.slug}.ics")
