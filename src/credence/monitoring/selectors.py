"""Reads of offerings and enrolments, for the people who run offerings in the owning organisation."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from credence.errors import NotVisible
from credence.microcredentials.models import MicroCredential
from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation

from . import indicators
from .indicators import Tally
from .models import (
    Answer,
    CommentStatus,
    CyclicReview,
    Enrolment,
    EnrolmentStatus,
    Flag,
    FlagStatus,
    IndicatorValue,
    Learner,
    Offering,
    ReviewSchedule,
    Survey,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
    Threshold,
)
from .questionnaires import POSITIVE_OUTCOMES


def offerings_visible_to(user: Any) -> QuerySet[Offering]:
    queryset = Offering.objects.select_related("organisation", "version__micro_credential").annotate(
        # distinct, so that callers may annotate other relations on top without multiplying these
        learner_count=Count("enrolments", distinct=True),
        completed_count=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True
        ),
    )
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    allowed = [
        org_id for org_id in organisation_ids_of(user) if can(user, "monitoring.view_offerings", _Org(org_id))
    ]
    return queryset.filter(organisation_id__in=allowed)


def get_offering(user: Any, pk: int) -> Offering:
    found = offerings_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such offering.")
    return found


def enrolments_of(offering: Offering) -> QuerySet[Enrolment]:
    return offering.enrolments.select_related("learner").order_by("learner__name", "learner__email")


class _Org:
    """Something that belongs to an organisation, for a permission check by id."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id


# --- indicator inputs (not scoped: services and the selectors below scope their callers) ----------------


def offering_tallies(offering_ids: Iterable[int]) -> dict[int, Tally]:
    """The raw counts behind every indicator, per offering, in grouped queries per 2,000 offerings.
    Surveys count once they are closed."""
    ids = list(offering_ids)
    tallies: dict[int, Tally] = {pk: Tally() for pk in ids}
    started = Q(status__in=[EnrolmentStatus.STARTED, EnrolmentStatus.COMPLETED]) | Q(
        status=EnrolmentStatus.WITHDRAWN, started_on__isnull=False
    )
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for row1 in (
            Enrolment.objects.filter(offering_id__in=chunk)
            .values("offering_id")
            .annotate(
                enrolled=Count("id"),
                started=Count("id", filter=started),
                withdrawn=Count("id", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
                completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
                passed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED, passed=True)),
            )
            .order_by()
        ):
            tally = tallies[row1["offering_id"]]
            for name in ("enrolled", "started", "withdrawn", "completed", "passed"):
                setattr(tally, name, row1[name])
        for row2 in (
            Answer.objects.filter(
                response__survey__offering_id__in=chunk,
                response__survey__status=SurveyStatus.CLOSED,
                question="satisfaction",
                value__isnull=False,
            )
            .values("response__survey__offering_id", "response__survey__kind")
            .annotate(total=Sum("value"), count=Count("id"))
            .order_by()
        ):
            tally = tallies[row2["response__survey__offering_id"]]
            if row2["response__survey__kind"] == SurveyKind.LEARNER:
                tally.learner_sum, tally.learner_count = float(row2["total"]), row2["count"]
            elif row2["response__survey__kind"] == SurveyKind.EMPLOYER:
                tally.employer_sum, tally.employer_count = float(row2["total"]), row2["count"]
        for row3 in (
            Answer.objects.filter(
                response__survey__offering_id__in=chunk,
                response__survey__status=SurveyStatus.CLOSED,
                response__survey__kind=SurveyKind.GRADUATE,
                question="situation",
            )
            .exclude(text="")
            .values("response__survey__offering_id")
            .annotate(count=Count("id"), positive=Count("id", filter=Q(text__in=POSITIVE_OUTCOMES)))
            .order_by()
        ):
            tally = tallies[row3["response__survey__offering_id"]]
            tally.graduates_answering, tally.graduates_positive = row3["count"], row3["positive"]
        for row4 in (
            Survey.objects.filter(offering_id__in=chunk, status=SurveyStatus.CLOSED)
            .values("offering_id")
            .annotate(invited=Sum("invitations_sent"))
            .order_by()
        ):
            tallies[row4["offering_id"]].invitations = int(row4["invited"] or 0)
        for row5 in (
            SurveyResponse.objects.filter(survey__offering_id__in=chunk, survey__status=SurveyStatus.CLOSED)
            .values("survey__offering_id")
            .annotate(count=Count("id"))
            .order_by()
        ):
            tallies[row5["survey__offering_id"]].responses = row5["count"]
    return tallies


# --- shared with the catalogue (aggregated, suppressed below MIN_CELL) ----------------------------------


def _ended_offerings(micro_credential: MicroCredential) -> list[tuple[int, dt.date]]:
    return list(
        Offering.objects.filter(
            version__micro_credential=micro_credential, ends_on__lte=timezone.localdate()
        ).values_list("pk", "ends_on")
    )


def public_outcomes(micro_credential: MicroCredential) -> dict[str, dict[str, Any]]:
    """Outcomes of a published micro-credential over its offerings that have ended: completion and pass
    rates and positive graduate outcomes in per cent, learner and employer satisfaction on the 1 to 5
    scale. Each is {"value", "n", "period", "suppressed"}; with fewer than 10 people behind a figure it
    is suppressed and its value is None."""
    keys = (
        "completion_rate",
        "pass_rate",
        "learner_satisfaction",
        "employer_satisfaction",
        "graduate_outcomes",
    )
    published = MicroCredential.objects.filter(
        pk=micro_credential.pk, published_version__isnull=False
    ).exists()
    offerings = _ended_offerings(micro_credential) if published else []
    if not offerings:
        return {key: {"value": None, "n": 0, "period": "", "suppressed": True} for key in keys}
    years = sorted({ends_on.year for _, ends_on in offerings})
    period = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    computed = indicators.compute(
        indicators.sum_tallies(offering_tallies([pk for pk, _ in offerings]).values())
    )
    return {key: indicators.suppressed(computed[key], period) for key in keys}


def next_review_due(micro_credential: MicroCredential) -> dt.date | None:
    """When the micro-credential's next cyclic review is due (None when it has no review schedule)."""
    schedule = ReviewSchedule.objects.filter(micro_credential=micro_credential).only("next_due").first()
    if schedule is not None:
        return schedule.next_due
    version = micro_credential.published_version
    return version.next_review_date if version is not None else None


# --- monitoring pages (aggregates: every role of the provider) ------------------------------------------


def organisation_for_monitoring(user: Any, organisation: Organisation | None) -> Organisation:
    if organisation is None or not can(user, "monitoring.view_monitoring", organisation):
        raise NotVisible("No monitoring here.")
    return organisation


def micro_credentials_monitored(user: Any, organisation: Organisation) -> QuerySet[MicroCredential]:
    organisation_for_monitoring(user, organisation)
    return MicroCredential.objects.filter(
        organisation=organisation, published_version__isnull=False
    ).select_related("published_version")


def get_micro_credential(user: Any, pk: int) -> MicroCredential:
    found = MicroCredential.objects.select_related("organisation", "published_version").filter(pk=pk).first()
    if found is None or not can(user, "monitoring.view_monitoring", found):
        raise NotVisible("No such micro-credential.")
    return found


TABLE_INDICATORS = ("enrolled", "completion_rate", "pass_rate", "learner_satisfaction", "response_rate")


def dashboard_rows(
    user: Any, organisation: Organisation, *, page: int = 1, per_page: int = 50
) -> dict[str, Any]:
    """One row per published micro-credential with its overall indicators, open flags and next review."""
    mcs = micro_credentials_monitored(user, organisation).order_by("code")
    total = mcs.count()
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    chosen = list(mcs[(page - 1) * per_page : page * per_page])
    ids = [mc.pk for mc in chosen]
    values: dict[int, dict[str, IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        micro_credential_id__in=ids, offering__isnull=True, period="all", indicator__in=TABLE_INDICATORS
    ):
        values.setdefault(value.micro_credential_id, {})[value.indicator] = value
    flags = dict(
        Flag.objects.filter(micro_credential_id__in=ids, status=FlagStatus.OPEN)
        .values("micro_credential_id")
        .annotate(count=Count("id"))
        .values_list("micro_credential_id", "count")
    )
    due = dict(
        ReviewSchedule.objects.filter(micro_credential_id__in=ids).values_list(
            "micro_credential_id", "next_due"
        )
    )
    rows = [
        {
            "micro_credential": mc,
            "values": [values.get(mc.pk, {}).get(key) for key in TABLE_INDICATORS],
            "open_flags": flags.get(mc.pk, 0),
            "next_due": due.get(mc.pk),
        }
        for mc in chosen
    ]
    return {"rows": rows, "page": page, "pages": pages, "total": total}


def _count_sums(filters: Q, keys: tuple[str, ...] = indicators.COUNTS) -> dict[str, dict[str, float]]:
    """Sum of count indicators by period (micro-credential level values), e.g. {"2025": {...}}."""
    found: dict[str, dict[str, float]] = {}
    for row in (
        IndicatorValue.objects.filter(filters, offering__isnull=True, indicator__in=keys)
        .values("period", "indicator")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        found.setdefault(row["period"], {})[row["indicator"]] = float(row["total"] or 0)
    return found


@dataclass
class Chart:
    key: str
    title: str
    description: str
    unit: str
    rows: Sequence[tuple[str, float | None, int]]  # label, value, n
    value_label: str = "Value"


def funnel_chart(scope: Q, label: str) -> Chart:
    sums = _count_sums(scope & Q(period="all")).get("all", {})
    rows = [
        (indicators.INDICATORS[key].label, sums.get(key, 0.0), int(sums.get(key, 0.0)))
        for key in indicators.COUNTS
    ]
    return Chart(
        "funnel",
        f"Completion funnel: {label}",
        "Learners enrolled, started, withdrawn, completed and passed, over every offering.",
        "people",
        rows,
        "Learners",
    )


def trend_chart(scope: Q, label: str) -> Chart:
    rows = []
    for period, sums in sorted(_count_sums(scope & ~Q(period="all"), ("enrolled", "completed")).items()):
        value = indicators.rate(int(sums.get("completed", 0)), int(sums.get("enrolled", 0)))
        rows.append((period, value.value, value.n))
    return Chart(
        "trend",
        f"Completion by year: {label}",
        "Completion rate (completed as a share of enrolled) of the offerings that ended in each year.",
        "%",
        rows,
        "Completion rate (%)",
    )


def satisfaction_chart(offering_scope: Q, label: str) -> Chart:
    counts = dict(
        Answer.objects.filter(
            offering_scope,
            response__survey__status=SurveyStatus.CLOSED,
            response__survey__kind=SurveyKind.LEARNER,
            question="satisfaction",
            value__isnull=False,
        )
        .values("value")
        .annotate(count=Count("id"))
        .values_list("value", "count")
    )
    from .questionnaires import SCALE_LABELS

    rows = [
        (f"{score} {SCALE_LABELS[score]}", float(counts.get(score, 0)), counts.get(score, 0))
        for score in range(1, 6)
    ]
    return Chart(
        "satisfaction",
        f"Learner satisfaction: {label}",
        "How many learners gave each answer to 'Overall, I am satisfied with this micro-credential'.",
        "answers",
        rows,
        "Answers",
    )


def employer_chart(offering_scope: Q, label: str) -> Chart:
    from .questionnaires import QUESTIONNAIRES

    means = {
        row["question"]: (row["total"], row["count"])
        for row in Answer.objects.filter(
            offering_scope,
            response__survey__status=SurveyStatus.CLOSED,
            response__survey__kind=SurveyKind.EMPLOYER,
            value__isnull=False,
        )
        .values("question")
        .annotate(total=Sum("value"), count=Count("id"))
        .order_by()
    }
    rows = []
    for question in QUESTIONNAIRES["employer"]:
        if question.type != "scale":
            continue
        total, count = means.get(question.key, (0, 0))
        rows.append((question.text, indicators.mean(float(total or 0), count).value, count))
    return Chart(
        "employer",
        f"Employer view: {label}",
        "Mean employer answer to each question, on a scale of 1 (strongly disagree) to 5 (strongly agree).",
        "/5",
        rows,
        "Mean (1 to 5)",
    )


def cycle_time_chart(organisation: Organisation, micro_credential: MicroCredential | None = None) -> Chart:
    """Days from a micro-credential's first submission for approval to the start of its first offering."""
    from django.db.models import Min

    queryset = MicroCredential.objects.filter(organisation=organisation)
    if micro_credential is not None:
        queryset = queryset.filter(pk=micro_credential.pk)
    found = (
        queryset.annotate(
            submitted=Min("versions__submitted_at"), first_offering=Min("versions__offerings__starts_on")
        )
        .filter(submitted__isnull=False, first_offering__isnull=False)
        .values_list("code", "submitted", "first_offering")
        .order_by("code")
    )
    by_year: dict[str, list[int]] = {}
    single: list[tuple[str, float | None, int]] = []
    for code, submitted, first_offering in found:
        days = (first_offering - timezone.localdate(submitted)).days
        by_year.setdefault(str(first_offering.year), []).append(days)
        single.append((code, float(days), 1))
    if micro_credential is not None:
        rows = single
    else:
        rows = [(year, float(statistics.median(days)), len(days)) for year, days in sorted(by_year.items())]
    return Chart(
        "cycle",
        "Cycle time from proposal to first offering",
        "Days from the first submission for approval to the start of the first offering"
        + ("" if micro_credential is not None else ", median per year of the first offering")
        + ".",
        "days",
        rows,
        "Days",
    )


CHARTS = ("funnel", "trend", "satisfaction", "employer", "cycle")


CACHED_CHARTS = ("funnel", "trend", "satisfaction", "employer")


def _evidence_stamp(organisation: Organisation, micro_credential: MicroCredential | None) -> str:
    """When the figures behind the charts last changed: every import and survey close recomputes them."""
    scope = (
        Q(micro_credential=micro_credential) if micro_credential is not None else Q(organisation=organisation)
    )
    latest = IndicatorValue.objects.filter(scope, offering__isnull=True).aggregate(latest=Max("computed_at"))
    return "None" if latest["latest"] is None else f"{latest['latest'].timestamp():.6f}"


def charts(
    user: Any, organisation: Organisation, micro_credential: MicroCredential | None = None
) -> list[Chart]:
    """Every chart of the dashboard (or of a micro-credential). The ones drawn from indicators and closed
    surveys are cached until the next recomputation, which is what keeps a large dashboard fast."""
    organisation_for_monitoring(user, organisation)
    stamp = _evidence_stamp(organisation, micro_credential)
    found = []
    for key in CHARTS:
        if key not in CACHED_CHARTS or stamp == "None":
            found.append(chart(user, organisation, key, micro_credential))
            continue
        cache_key = f"monitoring:chart:{key}:{organisation.pk}:{micro_credential.pk if micro_credential else 0}:{stamp}"
        cached = cache.get(cache_key)
        if cached is None:
            cached = chart(user, organisation, key, micro_credential)
            cache.set(cache_key, cached, 3600)
        found.append(cached)
    return found


def chart(
    user: Any, organisation: Organisation, key: str, micro_credential: MicroCredential | None = None
) -> Chart:
    organisation_for_monitoring(user, organisation)
    if micro_credential is not None:
        label = micro_credential.code
        scope = Q(micro_credential=micro_credential)
        offering_scope = Q(response__survey__offering__version__micro_credential=micro_credential)
    else:
        label = str(organisation)
        scope = Q(organisation=organisation)
        offering_scope = Q(response__survey__organisation=organisation)
    if key == "funnel":
        return funnel_chart(scope, label)
    if key == "trend":
        return trend_chart(scope, label)
    if key == "satisfaction":
        return satisfaction_chart(offering_scope, label)
    if key == "employer":
        return employer_chart(offering_scope, label)
    if key == "cycle":
        return cycle_time_chart(organisation, micro_credential)
    raise NotVisible("No such chart.")


def offerings_of(user: Any, micro_credential: MicroCredential) -> list[dict[str, Any]]:
    """The offerings of a micro-credential with their indicators (aggregates only)."""
    get_micro_credential(user, micro_credential.pk)
    offerings = list(
        Offering.objects.filter(version__micro_credential=micro_credential)
        .select_related("version")
        .order_by("-starts_on")
    )
    values: dict[int, dict[str, IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(offering__in=offerings):
        assert value.offering_id is not None
        values.setdefault(value.offering_id, {})[value.indicator] = value
    return [{"offering": o, "values": values.get(o.pk, {})} for o in offerings]


def yearly_values(micro_credential: MicroCredential) -> list[tuple[str, dict[str, IndicatorValue]]]:
    found: dict[str, dict[str, IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(micro_credential=micro_credential, offering__isnull=True):
        found.setdefault(value.period, {})[value.indicator] = value
    return sorted(found.items(), key=lambda item: (item[0] == "all", item[0]))


def flags_visible_to(user: Any, organisation: Organisation) -> QuerySet[Flag]:
    organisation_for_monitoring(user, organisation)
    return Flag.objects.filter(organisation=organisation).select_related(
        "micro_credential", "offering", "review"
    )


def get_flag(user: Any, pk: int) -> Flag:
    found = Flag.objects.select_related("micro_credential", "organisation").filter(pk=pk).first()
    if found is None or not can(user, "monitoring.view_monitoring", found):
        raise NotVisible("No such flag.")
    return found


def thresholds_of(user: Any, organisation: Organisation) -> list[Threshold]:
    organisation_for_monitoring(user, organisation)
    return list(Threshold.objects.filter(organisation=organisation))


def schedules_of(user: Any, organisation: Organisation) -> QuerySet[ReviewSchedule]:
    organisation_for_monitoring(user, organisation)
    return ReviewSchedule.objects.filter(organisation=organisation).select_related(
        "micro_credential__published_version"
    )


def reviews_of(user: Any, organisation: Organisation) -> QuerySet[CyclicReview]:
    organisation_for_monitoring(user, organisation)
    return CyclicReview.objects.filter(organisation=organisation).select_related(
        "micro_credential", "started_by"
    )


def get_review(user: Any, pk: int) -> CyclicReview:
    found = CyclicReview.objects.select_related("micro_credential", "organisation").filter(pk=pk).first()
    if found is None or not can(user, "monitoring.view_monitoring", found):
        raise NotVisible("No such review.")
    return found


def surveys_of(user: Any, organisation: Organisation) -> QuerySet[Survey]:
    organisation_for_monitoring(user, organisation)
    return (
        Survey.objects.filter(organisation=organisation)
        .select_related("offering__version__micro_credential")
        .annotate(response_count=Count("responses", distinct=True))
    )


def get_survey(user: Any, pk: int) -> Survey:
    found = (
        Survey.objects.select_related("organisation", "offering__version__micro_credential")
        .annotate(response_count=Count("responses", distinct=True))
        .filter(pk=pk)
        .first()
    )
    if found is None or not can(user, "monitoring.view_monitoring", found):
        raise NotVisible("No such survey.")
    return found


def comments_to_moderate(user: Any, organisation: Organisation) -> QuerySet[Answer]:
    if not can(user, "monitoring.moderate_comments", organisation):
        raise NotVisible("No comments for you to moderate.")
    return Answer.objects.filter(
        response__survey__organisation=organisation, moderation=CommentStatus.PENDING
    ).select_related("response__survey__offering")


def get_comment(user: Any, pk: int) -> Answer:
    found = Answer.objects.select_related("response__survey").filter(pk=pk).exclude(moderation="").first()
    if found is None or not can(user, "monitoring.moderate_comments", found.response.survey):
        raise NotVisible("No such comment.")
    return found


def approved_comments(micro_credential: MicroCredential) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__survey__offering__version__micro_credential=micro_credential,
        moderation=CommentStatus.APPROVED,
    ).select_related("response__survey")


def survey_for_token(token: str) -> tuple[Survey, bool]:
    """The survey a link answers, and whether the link can still be used."""
    from .services import token_hash

    invitation = (
        SurveyInvitation.objects.select_related("survey__offering__version")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise NotVisible("This survey link is not valid.")
    return invitation.survey, not invitation.used and invitation.survey.status == SurveyStatus.OPEN


def learners_of(user: Any, organisation: Organisation) -> QuerySet[Learner]:
    """Learner-level data: only for the roles that run offerings."""
    if not can(user, "monitoring.view_offerings", organisation):
        raise NotVisible("No learners for you here.")
    return Learner.objects.filter(organisation=organisation)


def get_learner(user: Any, pk: int) -> Learner:
    found = Learner.objects.select_related("organisation").filter(pk=pk).first()
    if found is None or not can(user, "monitoring.view_offerings", found):
        raise NotVisible("No such learner.")
    return found


def review_evidence(micro_credential: MicroCredential) -> dict[str, Any]:
    """The monitoring evidence a cyclic review starts from (JSON-serialisable)."""
    values = [
        {
            "indicator": v.indicator,
            "label": indicators.INDICATORS[v.indicator].label,
            "period": v.period,
            "value": v.value,
            "n": v.n,
        }
        for v in IndicatorValue.objects.filter(
            micro_credential=micro_credential, offering__isnull=True
        ).exclude(indicator__in=indicators.COUNTS)
    ]
    flags = [
        {
            "indicator": f.indicator,
            "message": f.message,
            "value": f.value,
            "n": f.n,
            "period": f.period,
            "raised_on": timezone.localdate(f.raised_at).isoformat(),
        }
        for f in Flag.objects.filter(micro_credential=micro_credential, status=FlagStatus.OPEN)
    ]
    surveys = [
        {
            "offering": s.offering.code,
            "kind": s.kind,
            "status": s.status,
            "invitations": s.invitations_sent,
            "responses": s.response_count,
            "response_rate": indicators.rate(s.response_count, s.invitations_sent).value,
        }
        for s in Survey.objects.filter(offering__version__micro_credential=micro_credential)
        .select_related("offering")
        .annotate(response_count=Count("responses", distinct=True))
    ]
    offerings = [
        {"code": code, "starts_on": starts.isoformat(), "ends_on": ends.isoformat()}
        for code, starts, ends in Offering.objects.filter(version__micro_credential=micro_credential)
        .order_by("starts_on")
        .values_list("code", "starts_on", "ends_on")
    ]
    return {
        "micro_credential": micro_credential.code,
        "generated_on": timezone.localdate().isoformat(),
        "offerings": offerings,
        "indicators": values,
        "open_flags": flags,
        "surveys": surveys,
    }
