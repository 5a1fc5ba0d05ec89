"""A meeting as documents: the minutes as PDF (WeasyPrint) and the meeting as iCalendar (RFC 5545)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Committee, Meeting, MeetingStatus


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The minutes fetch nothing ({url[:80]}).")


def minutes_pdf(meeting: Meeting, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("committees/minutes_pdf.html", {**context, "printed": timezone.now()})
    return bytes(HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf())


# --- iCalendar ------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space (RFC 5545, 3.1), never inside a
    UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return settings.CREDENCE_PUBLIC_URL.split("://", 1)[-1].split("/", 1)[0] or "credence"


def _event(meeting: Meeting, url: str) -> list[str]:
    location = meeting.place or meeting.online_link
    description = meeting.description
    if meeting.online_link:
        description = (description + "\n\n" if description else "") + f"Join online: {meeting.online_link}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{_host()}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"CREATED:{_utc(meeting.created_at)}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(meeting.end)}",
        f"SUMMARY:{_escape(f'{meeting.committee.name} meeting')}",
        f"STATUS:{'CANCELLED' if meeting.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
        f"URL:{settings.CREDENCE_PUBLIC_URL}{url}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str, url_of: Any) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Credence//Committees//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for meeting in meetings:
        lines += _event(meeting, url_of(meeting))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def feed_name(committee: Committee) -> str:
    return f"{committee.name} ({committee.organisation})"
