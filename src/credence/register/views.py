"""The register's pages: public search of reports, providers and agencies, their pages, the jurisdictions
page; and, for a QA agency's admins, recording and withdrawing reports. Thin: selectors read, services write."""

from __future__ import annotations

import base64
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation, OrganisationKind, User
from credence.organisations.selectors import relationships_of
from credence.web.forms import add_service_errors

from . import selectors, services
from .forms import (
    AddReportFileForm,
    AgencyActivityForm,
    AgencyProfileForm,
    ProviderFilterForm,
    RecordReportForm,
    ReportFilterForm,
    WithdrawReportForm,
)
from .models import (
    APPROACH_CATEGORY,
    ExternalQAApproach,
    ReportDecision,
    ReportStatus,
)

PAGE_SIZE = 25


def _agencies_run_by(user: Any) -> list[Organisation]:
    """The QA agencies in which the person may record reports."""
    if not user.is_authenticated:
        return []
    queryset = Organisation.objects.filter(kind=OrganisationKind.QA_AGENCY)
    if not user.is_superuser:
        queryset = queryset.filter(pk__in=organisation_ids_of(user))
    return [a for a in queryset if can(user, "register.submit_report", a)]


def _facets(queryset: Any, field: str, labels: dict[str, str]) -> list[tuple[str, int]]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk", distinct=True))
    return [(labels.get(row[field], row[field]), row["n"]) for row in rows if row[field]]


def report_search(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    reports = selectors.report_list(filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        from credence.interop.exports import Column, export_response

        columns = [
            Column("id", lambda r: r.pk),
            Column("agency", lambda r: str(r.organisation)),
            Column("local_identifier", lambda r: r.local_identifier),
            Column("providers", lambda r: [str(p) for p in r.providers.all()]),
            Column("decision", lambda r: r.get_decision_display()),
            Column("status", lambda r: r.get_status_display()),
            Column("valid_from", lambda r: r.valid_from),
            Column("valid_to", lambda r: r.valid_to),
            Column("withdrawn", lambda r: r.withdrawn_at is not None),
            Column("url", lambda r: f"/register/reports/{r.pk}/"),
        ]
        rows = reports.select_related("organisation").prefetch_related("providers")
        return export_response(request.GET["format"], "qa-reports", columns, list(rows))  # type: ignore[return-value]
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "register/reports.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "facets": [
                ("Decision", _facets(reports, "decision", dict(ReportDecision.choices))),
                ("Status", _facets(reports, "status", dict(ReportStatus.choices))),
                ("Agency", _facets(reports, "organisation__name", {})),
            ],
            "can_record": bool(_agencies_run_by(request.user)),
        },
    )


def provider_search(request: HttpRequest) -> HttpResponse:
    form = ProviderFilterForm(request.GET or None)
    providers = selectors.provider_list(form.filters())
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    kinds = dict(OrganisationKind.choices)
    return render(
        request,
        "register/providers.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "facets": [("Kind", _facets(providers, "kind", kinds))],
        },
    )


def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_detail(slug)
    relationships = []
    for relationship in relationships_of(provider):
        from credence.organisations.models import RELATIONSHIP_WORDING

        as_parent = relationship.parent_id == provider.pk
        wording = RELATIONSHIP_WORDING[relationship.relationship_type][0 if as_parent else 1]
        relationships.append(
            {
                "wording": wording,
                "other": relationship.child if as_parent else relationship.parent,
                "relationship": relationship,
            }
        )
    user = request.user
    return render(
        request,
        "register/provider.html",
        {
            "provider": provider,
            "relationships": relationships,
            "reports": selectors.reports_of_provider(provider),
            "micro_credentials": selectors.micro_credentials_of(provider),
            # Expiry warnings are for the provider's own people.
            "expiring": selectors.expiring_reports(provider)
            if user.is_authenticated and (user.is_superuser or provider.pk in organisation_ids_of(user))
            else [],
        },
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(pk)
    return render(
        request,
        "register/report.html",
        {
            "report": report,
            "withdraw_form": _withdraw_form(request, report),
            "file_form": _file_form(request, report),
        },
    )


@login_required
@require_POST
def report_add_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(pk)
    form = AddReportFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["report_file"]
        try:
            services.add_report_file(
                actor=cast(User, request.user),
                report=report,
                content=upload.read(),
                file_name=upload.name,
                display_name=form.cleaned_data["display_name"],
                languages=[form.cleaned_data["report_language"]],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The file is added to the report.")
            return redirect("register:report", pk=report.pk)
    return render(
        request,
        "register/report.html",
        {"report": report, "file_form": form, "withdraw_form": _withdraw_form(request, report)},
        status=400,
    )


def _withdraw_form(request: HttpRequest, report: Any) -> WithdrawReportForm | None:
    user = request.user
    if user.is_authenticated and not report.is_withdrawn and can(user, "register.withdraw_report", report):
        return WithdrawReportForm()
    return None


def _file_form(request: HttpRequest, report: Any) -> AddReportFileForm | None:
    user = request.user
    if user.is_authenticated and not report.is_withdrawn and can(user, "register.submit_report", report):
        return AddReportFileForm()
    return None


@login_required
@require_POST
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_detail(pk)
    form = WithdrawReportForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_report(
                actor=cast(User, request.user), report=report, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The report is withdrawn. It stays in the register as history.")
            return redirect("register:report", pk=report.pk)
    return render(
        request,
        "register/report.html",
        {"report": report, "withdraw_form": form, "file_form": _file_form(request, report)},
        status=400,
    )


@login_required
def report_record(request: HttpRequest) -> HttpResponse:
    agencies = _agencies_run_by(request.user)
    if not agencies:
        raise PermissionDenied("Only the admins of a QA agency record its reports.")
    form = RecordReportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        package: dict[str, Any] = {
            "agency": data["agency"].acronym or data["agency"].slug,
            "local_identifier": data["local_identifier"],
            "activities": [{"id": str(data["activity"].deqar_id)}]
            if data["activity"].deqar_id
            else [{"activity": data["activity"].name}],
            "status": data["status"],
            "decision": data["decision"],
            "summary": data["summary"],
            "valid_from": data["valid_from"].isoformat(),
            "valid_to": data["valid_to"].isoformat() if data["valid_to"] else None,
            "date_format": "%Y-%m-%d",
            "institutions": [{"identifier": data["provider"].slug, "resource": "credence"}],
        }
        if data["activity"].organisation != data["agency"]:
            package["activities"][0]["agency"] = package["activities"][0].get("agency") or (
                data["activity"].organisation.acronym or data["activity"].organisation.slug
            )
        try:
            if data["micro_credential"] is not None:
                package["programmes"] = [services.programme_for_micro_credential(data["micro_credential"])]
            upload = data.get("report_file")
            if upload is not None:
                package["report_files"] = [
                    {
                        "file": base64.b64encode(upload.read()).decode("ascii"),
                        "file_name": upload.name,
                        "display_name": "Report",
                        "report_language": [data["report_language"]],
                    }
                ]
            report = services.submit_report(actor=cast(User, request.user), package=package)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The report is recorded in the register.")
            return redirect("register:report", pk=report.pk)
    return render(request, "register/record.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def agency_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The agency's admins keep its registration and activities."""
    agency = selectors.agency_detail(slug)
    if not can(request.user, "register.manage_agency", agency):
        raise PermissionDenied("Only the agency's admins manage its register entry.")
    profile = getattr(agency, "agency_profile", None)
    initial = {}
    if profile is not None:
        initial = {
            "is_registered": profile.is_registered,
            "registration_start": profile.registration_start,
            "registration_valid_to": profile.registration_valid_to,
            "geographical_focus": profile.geographical_focus,
            "focus_countries": ", ".join(profile.focus_countries),
            "registration_note": profile.registration_note,
        }
    which = request.POST.get("form") if request.method == "POST" else None
    profile_form = AgencyProfileForm(request.POST if which == "profile" else None, initial=initial)
    activity_form = AgencyActivityForm(request.POST if which == "activity" else None)
    status = 200
    if which == "profile" and profile_form.is_valid():
        try:
            services.set_agency_profile(
                actor=cast(User, request.user), agency=agency, **profile_form.profile_fields()
            )
        except ValidationError as error:
            add_service_errors(profile_form, error)
        else:
            messages.success(request, "The registration details are saved.")
            return redirect("register:agency_manage", slug=agency.slug)
    if which == "activity" and activity_form.is_valid():
        try:
            services.add_agency_activity(
                actor=cast(User, request.user), agency=agency, **activity_form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(activity_form, error)
        else:
            messages.success(request, "The activity is added.")
            return redirect("register:agency_manage", slug=agency.slug)
    if profile_form.errors or activity_form.errors:
        status = 400
    return render(
        request,
        "register/agency_manage.html",
        {
            "agency": agency,
            "profile_form": profile_form,
            "activity_form": activity_form,
            "activities": selectors.activities_of(agency),
        },
        status=status,
    )


def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "register/agencies.html", {"agencies": selectors.agency_list()})


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = selectors.agency_detail(slug)
    reports = selectors.report_list({"agency": agency.slug})
    return render(
        request,
        "register/agency.html",
        {
            "agency": agency,
            "profile": getattr(agency, "agency_profile", None),
            "activities": selectors.activities_of(agency),
            "reports": reports[:50],
            "report_count": reports.count(),
            "can_manage": request.user.is_authenticated
            and can(request.user, "register.manage_agency", agency),
        },
    )


def jurisdictions(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.jurisdiction_list())
    changes = []
    for record in selectors.jurisdiction_changes():
        previous = record.prev_record
        if previous is None:
            continue
        delta = record.diff_against(previous)
        changes.append(
            {
                "record": record,
                "fields": [
                    (change.field, _plain(change.old), _plain(change.new))
                    for change in delta.changes
                    if change.field not in ("lock_version",)
                ],
            }
        )
    legend = [(a.value, a.label, APPROACH_CATEGORY[a.value]) for a in ExternalQAApproach]
    counts = {a.value: sum(1 for j in rows if a.value in j.approaches) for a in ExternalQAApproach}
    return render(
        request,
        "register/jurisdictions.html",
        {
            "jurisdictions": rows,
            "legend": [(value, label, category, counts[value]) for value, label, category in legend],
            "changes": changes,
            "sources": sorted({(j.source, j.as_of) for j in rows}, key=lambda s: s[1]),
        },
    )


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(
            ExternalQAApproach(v).label if v in ExternalQAApproach.values else str(v) for v in value
        )
    return "" if value is None else str(value)
