"""The annual QA report of an organisation: every published micro-credential with the evidence of the
year under the Monitor column of seed 000's Table 2 (engagement; retention, progression and completion;
learner experience; employer satisfaction; professional accreditation; graduate employment; cyclic
review), its flags and the actions taken, and the five-yearly review of the whole range.

The report is meant to be shared, so every figure follows the minimum cell size of 10."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from credence.organisations.models import Organisation

from . import indicators, selectors
from .models import CyclicReview, Flag, IndicatorValue, ReviewSchedule

MONITOR_ROWS = (
    ("Engagement (learners who started)", "progression_rate"),
    ("Retention", "retention_rate"),
    ("Completion", "completion_rate"),
    ("Pass rate", "pass_rate"),
    ("Learner experience (satisfaction)", "learner_satisfaction"),
    ("Survey response rate", "response_rate"),
    ("Employer satisfaction", "employer_satisfaction"),
    ("Graduate employment and further study", "graduate_outcomes"),
)
RANGE_REVIEW_YEARS = 5


def proposal_url(proposal_id: int | None) -> str:
    if not proposal_id:
        return ""
    for name in ("workflows:proposal", "workflows:detail", "workflows:proposal_detail"):
        try:
            return reverse(name, args=[proposal_id])
        except NoReverseMatch:
            continue
    return ""


def annual_report(user: Any, organisation: Organisation, year: int) -> dict[str, Any]:
    selectors.organisation_for_monitoring(user, organisation)
    period = str(year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    mcs = list(
        selectors.micro_credentials_monitored(user, organisation)
        .order_by("code")
        .select_related("published_version")
    )
    values: dict[int, dict[str, IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        organisation=organisation, offering__isnull=True, period=period
    ):
        values.setdefault(value.micro_credential_id, {})[value.indicator] = value
    in_year = Q(raised_at__date__gte=start, raised_at__date__lte=end)
    flags: dict[int, list[Flag]] = {}
    # the year's flags: about the year's offerings (their period), or raised during the year
    review_ids: set[int] = set()
    for flag in Flag.objects.filter(in_year | Q(period=period), organisation=organisation).order_by(
        "raised_at"
    ):
        flags.setdefault(flag.micro_credential_id, []).append(flag)
        if flag.review_id:
            review_ids.add(flag.review_id)
    reviews: dict[int, list[CyclicReview]] = {}
    for review in CyclicReview.objects.filter(
        Q(started_at__date__gte=start, started_at__date__lte=end)
        | Q(outcome_recorded_at__date__gte=start, outcome_recorded_at__date__lte=end)
        | Q(pk__in=review_ids),
        organisation=organisation,
    ):
        reviews.setdefault(review.micro_credential_id, []).append(review)
    schedules = {s.micro_credential_id: s for s in ReviewSchedule.objects.filter(organisation=organisation)}
    entries = []
    for mc in mcs:
        found = values.get(mc.pk, {})
        rows = []
        for label, key in MONITOR_ROWS:
            stored = found.get(key)
            shown = indicators.suppressed(
                indicators.Value(stored.value if stored else None, stored.n if stored else 0), period
            )
            rows.append(
                {
                    "label": label,
                    "value": indicators.describe(key, shown["value"]) if shown["value"] is not None else None,
                    "n": shown["n"],
                    "suppressed": shown["suppressed"] and shown["n"] > 0,
                }
            )
        enrolled = found.get("enrolled")
        entries.append(
            {
                "mc": mc,
                "enrolled": int(enrolled.value or 0) if enrolled else 0,
                "rows": rows,
                "flags": flags.get(mc.pk, []),
                "reviews": reviews.get(mc.pk, []),
                "schedule": schedules.get(mc.pk),
            }
        )
    today = timezone.localdate()
    horizon = dt.date(today.year - RANGE_REVIEW_YEARS, today.month, min(today.day, 28))
    reviewed_recently = [
        e for e in entries if e["schedule"] and e["schedule"].last_done and e["schedule"].last_done >= horizon
    ]
    overdue = [e for e in entries if e["schedule"] and e["schedule"].next_due < today]
    return {
        "organisation": organisation,
        "year": year,
        "generated_on": today,
        "entries": entries,
        "min_cell": indicators.MIN_CELL,
        "range": {
            "total": len(entries),
            "reviewed_recently": len(reviewed_recently),
            "not_reviewed": [e["mc"] for e in entries if e not in reviewed_recently],
            "overdue": [e["mc"] for e in overdue],
            "years": RANGE_REVIEW_YEARS,
        },
        "flag_total": sum(len(e["flags"]) for e in entries),
        "review_total": sum(len(e["reviews"]) for e in entries),
    }


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The report loads nothing from the network ({url[:80]}).")


def annual_report_pdf(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("monitoring/annual_report_pdf.html", {"report": report, "pdf": True})
    return bytes(HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf())
