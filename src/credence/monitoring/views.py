"""Monitoring pages: the dashboard, a micro-credential's evidence, offerings and their learners, the
results import (upload, map, confirm), surveys and the public answer page, comment moderation,
thresholds and flags, the review schedule and cyclic reviews, and the annual QA report.

Thin: reads through `selectors`, writes through `services` (which check permissions again)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from credence.errors import NotVisible
from credence.frameworks.web import active_organisation
from credence.organisations.authorization import can
from credence.organisations.models import Organisation, User
from credence.web.forms import error_messages

from . import charts, indicators, reports, selectors, services
from .imports import read_table
from .models import ReviewOutcome, SurveyKind
from .questionnaires import SCALE_LABELS, questions


def _person(request: HttpRequest) -> User:
    return cast(User, request.user)


def _organisation(request: HttpRequest) -> Organisation:
    return selectors.organisation_for_monitoring(request.user, active_organisation(request))


def _problems(error: ValidationError) -> list[str]:
    return [message for msgs in error_messages(error).values() for message in msgs]


def _chart_block(chart: selectors.Chart, micro_credential_id: int | None = None) -> dict[str, Any]:
    suffix = f"?mc={micro_credential_id}" if micro_credential_id else ""
    return {"chart": chart, "svg": charts.svg(chart), "suffix": suffix}


# --- dashboard and micro-credential -------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    table = selectors.dashboard_rows(user, organisation, page=page)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "organisation": organisation,
            "table": table,
            "columns": [indicators.INDICATORS[key] for key in selectors.TABLE_INDICATORS],
            "charts": [_chart_block(chart) for chart in selectors.charts(user, organisation)],
            "open_flags": selectors.flags_visible_to(user, organisation).filter(status="open").count(),
            "overdue": selectors.schedules_of(user, organisation)
            .filter(next_due__lt=timezone.localdate())
            .count(),
            "can_import": can(user, "monitoring.manage_offerings", organisation),
            "can_see_learners": can(user, "monitoring.view_offerings", organisation),
            "year": timezone.localdate().year - 1,
        },
    )


@login_required
def micro_credential(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_micro_credential(user, pk)
    return render(
        request,
        "monitoring/micro_credential.html",
        {
            "mc": found,
            "offerings": selectors.offerings_of(user, found),
            "offering_columns": [
                indicators.INDICATORS[k]
                for k in (
                    "enrolled",
                    "retention_rate",
                    "progression_rate",
                    "completion_rate",
                    "pass_rate",
                    "learner_satisfaction",
                    "response_rate",
                )
            ],
            "yearly": selectors.yearly_values(found),
            "year_columns": [
                indicators.INDICATORS[k]
                for k in (
                    "enrolled",
                    "completion_rate",
                    "pass_rate",
                    "learner_satisfaction",
                    "employer_satisfaction",
                    "graduate_outcomes",
                )
            ],
            "charts": [
                _chart_block(chart, found.pk) for chart in selectors.charts(user, found.organisation, found)
            ],
            "flags": found.monitoring_flags.all()[:50],
            "reviews": found.cyclic_reviews.all(),
            "schedule": getattr(found, "review_schedule", None),
            "comments": selectors.approved_comments(found)[:50],
            "can_review": can(user, "monitoring.manage_reviews", found),
            "review_available": services.cyclic_review_available(),
            "open_review": found.cyclic_reviews.filter(outcome="").first(),
            "outcomes": ReviewOutcome.choices,
        },
    )


@login_required
def chart_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    user = _person(request)
    found = None
    if request.GET.get("mc"):
        try:
            found = selectors.get_micro_credential(user, int(request.GET["mc"]))
        except ValueError:
            raise NotVisible("No such micro-credential.") from None
        organisation = found.organisation
    else:
        organisation = _organisation(request)
    if fmt not in ("csv", "png", "svg"):
        raise NotVisible("No such format.")
    chart = selectors.chart(user, organisation, key, found)
    name = f"{key}-{found.code if found else organisation.slug}"
    if fmt == "csv":
        response = HttpResponse(charts.csv_text(chart), content_type="text/csv; charset=utf-8")
    elif fmt == "png":
        response = HttpResponse(charts.png(chart), content_type="image/png")
    else:
        document = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(charts.svg(chart))
        response = HttpResponse(document, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- offerings and learners (learner-level: the roles that run offerings) -------------------------------


@login_required
def offerings(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    if not can(user, "monitoring.view_offerings", organisation):
        raise NotVisible("No offerings for you here.")
    queryset = (
        selectors.offerings_visible_to(user).filter(organisation=organisation).order_by("-starts_on", "code")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "monitoring/offerings.html", {"page": page, "organisation": organisation})


@login_required
def offering(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_offering(user, pk)
    enrolments = Paginator(selectors.enrolments_of(found), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/offering.html",
        {
            "offering": found,
            "page": enrolments,
            "can_erase": can(user, "monitoring.erase_learners", found),
            "can_import": can(user, "monitoring.manage_offerings", found),
        },
    )


@login_required
@require_POST
def erase_learner(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    learner = selectors.get_learner(user, pk)
    try:
        services.erase_learner(actor=user, learner=learner)
    except ValidationError as error:
        for problem in _problems(error):
            messages.error(request, problem)
    else:
        messages.success(
            request,
            f"The personal data of learner {learner.pk} is erased; their results stay in the figures.",
        )
    back = request.POST.get("offering", "")
    return (
        redirect("monitoring:offering", pk=int(back)) if back.isdigit() else redirect("monitoring:offerings")
    )


# --- import -------------------------------------------------------------------------------------------------

SESSION_KEY = "monitoring_import"


@login_required
def import_results(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file. Step 2: map its columns to fields, with a preview. Step 3: import."""
    user = _person(request)
    organisation = _organisation(request)
    if not can(user, "monitoring.manage_offerings", organisation):
        raise NotVisible("You do not import results here.")
    choices = selectors.offerings_visible_to(user).filter(organisation=organisation).order_by("-starts_on")
    context: dict[str, Any] = {
        "organisation": organisation,
        "offerings": choices,
        "fields": services.IMPORT_FIELDS,
    }
    if request.method == "POST" and request.POST.get("step") == "upload":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = ["Choose a CSV or XLSX file to upload."]
            return render(request, "monitoring/import.html", context, status=400)
        data = upload.read()
        try:
            header, rows = read_table(data, upload.name or "")
        except ValidationError as error:
            context["problems"] = _problems(error)
            return render(request, "monitoring/import.html", context, status=400)
        stored = default_storage.save(f"monitoring-imports/{secrets.token_hex(16)}.upload", ContentFile(data))
        request.session[SESSION_KEY] = {
            "path": stored,
            "name": upload.name or "",
            "offering": request.POST.get("offering", ""),
        }
        return _mapping_page(
            request, context, header, rows, services.guess_mapping(header), request.POST.get("offering", "")
        )
    if request.method == "POST" and request.POST.get("step") == "confirm":
        pending = request.session.get(SESSION_KEY)
        if not pending or not default_storage.exists(pending["path"]):
            context["problems"] = ["The uploaded file has expired; upload it again."]
            return render(request, "monitoring/import.html", context, status=400)
        with default_storage.open(pending["path"], "rb") as handle:
            header, rows = read_table(handle.read(), pending["name"])
        mapping = {column: request.POST.get(f"map-{index}", "") for index, column in enumerate(header)}
        chosen = None
        if request.POST.get("offering"):
            try:
                chosen = selectors.get_offering(user, int(request.POST["offering"]))
            except ValueError:
                raise NotVisible("No such offering.") from None
        try:
            report = services.import_results(
                actor=user,
                organisation=organisation,
                header=header,
                rows=rows,
                mapping=mapping,
                offering=chosen,
                file_name=pending["name"],
            )
        except ValidationError as error:
            context["problems"] = _problems(error)
            return _mapping_page(
                request, context, header, rows, mapping, request.POST.get("offering", ""), status=400
            )
        default_storage.delete(pending["path"])
        del request.session[SESSION_KEY]
        return render(
            request, "monitoring/import_done.html", {"report": report, "organisation": organisation}
        )
    return render(request, "monitoring/import.html", context)


def _mapping_page(
    request: HttpRequest,
    context: dict[str, Any],
    header: list[str],
    rows: list[list[Any]],
    mapping: dict[str, str],
    offering_id: str,
    status: int = 200,
) -> HttpResponse:
    context.update(
        {
            "columns": [(index, column, mapping.get(column, "")) for index, column in enumerate(header)],
            "preview": rows[:5],
            "row_count": len(rows),
            "offering_id": offering_id,
            "file_name": (request.session.get(SESSION_KEY) or {}).get("name", ""),
        }
    )
    return render(request, "monitoring/import_mapping.html", context, status=status)


# --- surveys ------------------------------------------------------------------------------------------------


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    can_manage = can(user, "monitoring.manage_surveys", organisation)
    problems: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise NotVisible("You do not manage surveys here.")
        try:
            target = selectors.get_offering(user, int(request.POST.get("offering") or 0))
            survey = services.open_survey(actor=user, offering=target, kind=request.POST.get("kind", ""))
        except (ValidationError, NotVisible, ValueError) as error:
            problems = (
                _problems(error) if isinstance(error, ValidationError) else ["Choose one of your offerings."]
            )
        else:
            messages.success(request, "The survey is open. Invite people to answer it.")
            return redirect("monitoring:survey", pk=survey.pk)
    return render(
        request,
        "monitoring/surveys.html",
        {
            "surveys": selectors.surveys_of(user, organisation)[:200],
            "can_manage": can_manage,
            "offerings": selectors.offerings_visible_to(user)
            .filter(organisation=organisation)
            .order_by("-starts_on")[:200]
            if can_manage
            else [],
            "kinds": SurveyKind.choices,
            "problems": problems,
            "pending_comments": selectors.comments_to_moderate(user, organisation).count()
            if can(user, "monitoring.moderate_comments", organisation)
            else None,
        },
        status=400 if problems else 200,
    )


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_survey(user, pk)
    links: list[str] = []
    problems: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                flags = services.close_survey(actor=user, survey=found)
                messages.success(request, f"The survey is closed; {len(flags)} flag(s) raised.")
                return redirect("monitoring:survey", pk=found.pk)
            count = request.POST.get("count")
            made = services.invite(
                actor=user, survey=found, count=int(count) if count and count.isdigit() else None
            )
            links = [services.survey_url(token) for token in made.tokens]
            messages.success(request, f"{len(made.tokens)} links made, {made.emailed} sent by e-mail.")
            found = selectors.get_survey(user, pk)
        except ValidationError as error:
            problems = _problems(error)
    return render(
        request,
        "monitoring/survey.html",
        {
            "survey": found,
            "links": links,
            "problems": problems,
            "rate": indicators.rate(found.response_count, found.invitations_sent),
            "can_manage": can(user, "monitoring.manage_surveys", found),
        },
        status=400 if problems else 200,
    )


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public, anonymous answer page of a single-use survey link (no sign-in)."""
    found, usable = selectors.survey_for_token(token)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and usable:
        try:
            services.submit_response(token=token, answers=request.POST)
        except ValidationError as error:
            errors = error_messages(error)
        else:
            return render(request, "monitoring/answer_thanks.html", {"survey": found})
    return render(
        request,
        "monitoring/answer.html",
        {
            "survey": found,
            "usable": usable,
            "questions": [
                (q, errors.get(q.key, []), request.POST.get(q.key, "")) for q in questions(found.kind)
            ],
            "scale": sorted(SCALE_LABELS.items()),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def comments(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    if request.method == "POST":
        comment = selectors.get_comment(user, int(request.POST.get("answer") or 0))
        try:
            services.moderate_comment(
                actor=user, answer=comment, approve=request.POST.get("decision") == "approve"
            )
        except ValidationError as error:
            for problem in _problems(error):
                messages.error(request, problem)
        else:
            messages.success(
                request,
                "The comment is "
                + ("approved." if request.POST.get("decision") == "approve" else "rejected."),
            )
        return redirect("monitoring:comments")
    return render(
        request,
        "monitoring/comments.html",
        {"comments": selectors.comments_to_moderate(user, organisation)[:100]},
    )


# --- thresholds and flags -------------------------------------------------------------------------------


@login_required
def flags(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    problems: list[str] = []
    if request.method == "POST":
        flag = selectors.get_flag(user, int(request.POST.get("flag") or 0))
        try:
            services.resolve_flag(actor=user, flag=flag, resolution=request.POST.get("resolution", ""))
        except ValidationError as error:
            problems = _problems(error)
        else:
            messages.success(request, "The flag is resolved.")
            return redirect("monitoring:flags")
    status = request.GET.get("status", "open")
    queryset = selectors.flags_visible_to(user, organisation)
    if status in ("open", "in_review", "resolved"):
        queryset = queryset.filter(status=status)
    return render(
        request,
        "monitoring/flags.html",
        {
            "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
            "status": status,
            "query": f"status={status}",
            "can_resolve": can(user, "monitoring.resolve_flags", organisation),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def thresholds(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    problems: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "defaults":
                for key, comparison, value in services.DEFAULT_THRESHOLDS:
                    services.set_threshold(
                        actor=user,
                        organisation=organisation,
                        indicator=key,
                        comparison=comparison,
                        value=value,
                    )
            else:
                services.set_threshold(
                    actor=user,
                    organisation=organisation,
                    indicator=request.POST.get("indicator", ""),
                    comparison=request.POST.get("comparison", ""),
                    value=request.POST.get("value", ""),
                    active=request.POST.get("active") == "on",
                )
        except ValidationError as error:
            problems = _problems(error)
        else:
            messages.success(request, "Thresholds saved; they apply from the next import or survey close.")
            return redirect("monitoring:thresholds")
    current = {t.indicator: t for t in selectors.thresholds_of(user, organisation)}
    watchable = [i for key, i in indicators.INDICATORS.items() if key not in indicators.COUNTS]
    return render(
        request,
        "monitoring/thresholds.html",
        {
            "rows": [(i, current.get(i.key)) for i in watchable],
            "can_manage": can(user, "monitoring.manage_thresholds", organisation),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


# --- review schedule and cyclic reviews ------------------------------------------------------------------


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    organisation = _organisation(request)
    today = timezone.localdate()
    schedules = selectors.schedules_of(user, organisation)
    return render(
        request,
        "monitoring/reviews.html",
        {
            "overdue": schedules.filter(next_due__lt=today)[:200],
            "due": schedules.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=90))[:200],
            "reviews": selectors.reviews_of(user, organisation)[:100],
            "today": today,
        },
    )


@login_required
@require_POST
def start_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_micro_credential(user, pk)
    try:
        review = services.start_cyclic_review(
            actor=user, micro_credential=found, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for problem in _problems(error):
            messages.error(request, problem)
        return redirect("monitoring:micro_credential", pk=found.pk)
    messages.success(
        request,
        "The cyclic review is open as a proposal in the governance workflow, with the monitoring evidence.",
    )
    return redirect("monitoring:review", pk=review.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_review(user, pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.record_review_outcome(
                actor=user,
                review=found,
                outcome=request.POST.get("outcome", ""),
                notes=request.POST.get("notes", ""),
            )
        except ValidationError as error:
            problems = _problems(error)
        else:
            messages.success(request, "The outcome of the cyclic review is recorded.")
            return redirect("monitoring:review", pk=found.pk)
    return render(
        request,
        "monitoring/review.html",
        {
            "review": found,
            "proposal_url": reports.proposal_url(found.proposal_id),
            "can_decide": can(user, "monitoring.manage_reviews", found) and not found.outcome,
            "outcomes": ReviewOutcome.choices,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def review_cadence(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    found = selectors.get_micro_credential(user, pk)
    try:
        services.set_review_cadence(
            actor=user,
            micro_credential=found,
            cadence_years=int(request.POST.get("cadence_years") or 0),
            after_each_offering=request.POST.get("after_each_offering") == "on",
        )
    except (ValidationError, ValueError) as error:
        for problem in (
            _problems(error) if isinstance(error, ValidationError) else ["Give a number of years."]
        ):
            messages.error(request, problem)
    else:
        messages.success(request, "The review schedule is saved.")
    return redirect("monitoring:micro_credential", pk=found.pk)


# --- annual report --------------------------------------------------------------------------------------


@login_required
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    organisation = _organisation(request)
    report = reports.annual_report(_person(request), organisation, year)
    return render(request, "monitoring/annual_report.html", {"report": report, "pdf": False})


@login_required
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    organisation = _organisation(request)
    report = reports.annual_report(_person(request), organisation, year)
    response = HttpResponse(reports.annual_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="qa-report-{organisation.slug}-{year}.pdf"'
    return response
