"""Reads of the register. The register is public: providers, agencies, reports (withdrawn ones too, as
history) and jurisdictions are visible to everyone, signed in or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from credence.errors import NotVisible
from credence.microcredentials.models import MicroCredential
from credence.organisations.models import (
    HISTORICAL_RELATIONSHIPS,
    Organisation,
    OrganisationKind,
    OrganisationRelationship,
    RelationshipType,
)

from .models import (
    VALIDITY_YEARS,
    ActivityType,
    AgencyActivity,
    Jurisdiction,
    QAReport,
    ReportedProvision,
)

PROVIDER_KINDS = (
    OrganisationKind.HIGHER_EDUCATION,
    OrganisationKind.COLLEGE,
    OrganisationKind.ALTERNATIVE_PROVIDER,
)
EXPIRY_WARNING_DAYS = 180


def _reports() -> QuerySet[QAReport]:
    return QAReport.objects.select_related("organisation").prefetch_related(
        "contributing_agencies", "activities", "providers", "platforms"
    )


def report_list(filters: Mapping[str, str] | None = None) -> QuerySet[QAReport]:
    """Reports, filtered by any of: q, agency (slug), provider (slug), decision, status, activity_type,
    current ('1': valid today and not withdrawn), alternative ('1': covers an alternative provider)."""
    filters = filters or {}
    queryset = _reports()
    q = (filters.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(local_identifier__icontains=q)
            | Q(summary__icontains=q)
            | Q(providers__name__icontains=q)
            | Q(providers__name_english__icontains=q)
            | Q(provisions__name_primary__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__acronym__iexact=q)
        )
    if filters.get("agency"):
        queryset = queryset.filter(organisation__slug=filters["agency"])
    if filters.get("provider"):
        queryset = queryset.filter(providers__slug=filters["provider"])
    if filters.get("decision"):
        queryset = queryset.filter(decision=filters["decision"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("activity_type"):
        queryset = queryset.filter(activities__activity_type=filters["activity_type"])
    if filters.get("alternative") == "1":
        queryset = queryset.filter(providers__kind=OrganisationKind.ALTERNATIVE_PROVIDER)
    if filters.get("current") == "1":
        today = timezone.localdate()
        queryset = queryset.filter(withdrawn_at__isnull=True, valid_from__lte=today).filter(
            Q(valid_to__gte=today) | Q(valid_to__isnull=True, valid_from__gt=_years_before(today))
        )
    return queryset.distinct()


def _years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - VALIDITY_YEARS)
    except ValueError:
        return day.replace(year=day.year - VALIDITY_YEARS, day=28)


def report_detail(pk: int) -> QAReport:
    report = (
        _reports()
        .prefetch_related(
            Prefetch(
                "provisions",
                queryset=ReportedProvision.objects.select_related("micro_credential__organisation"),
            ),
            "files",
            "links",
            "updates",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotVisible("No such report.")
    return report


def provider_list(filters: Mapping[str, str] | None = None) -> QuerySet[Organisation]:
    """Providers (universities, colleges, alternative providers), filtered by q, kind, country."""
    filters = filters or {}
    queryset = Organisation.objects.filter(kind__in=PROVIDER_KINDS).prefetch_related("locations")
    q = (filters.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(name_english__icontains=q) | Q(acronym__iexact=q) | Q(deqar_id__iexact=q)
        )
    if filters.get("kind") in PROVIDER_KINDS:
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("country"):
        queryset = queryset.filter(locations__country=filters["country"])
    return (
        queryset.annotate(report_count=Count("qa_reports_as_provider", distinct=True))
        .distinct()
        .order_by("name")
    )


def provider_detail(slug: str) -> Organisation:
    provider = (
        Organisation.objects.filter(slug=slug, kind__in=PROVIDER_KINDS)
        .prefetch_related("locations", "identifiers")
        .first()
    )
    if provider is None:
        raise NotVisible("No such provider.")
    return provider


@dataclass(frozen=True)
class ProviderReport:
    report: QAReport
    inherited_from: Organisation | None  # None: the report is about the provider itself
    how: str = ""


def reports_of_provider(provider: Organisation) -> list[ProviderReport]:
    """The provider's reports, and those it inherits through its relationships, as DEQAR does:
    reports of its (non-platform) children; those of a European Universities alliance it belongs to;
    and, from the relationship's date, those of the organisations it succeeded or absorbed."""
    rows = [ProviderReport(r, None) for r in _reports().filter(providers=provider)]
    seen = {row.report.pk for row in rows}
    relationships = OrganisationRelationship.objects.filter(
        Q(parent=provider) | Q(child=provider)
    ).select_related("parent", "child")
    for relationship in relationships:
        source: Organisation | None = None
        since: dt.date | None = None
        how = ""
        if (
            relationship.parent_id == provider.pk
            and relationship.relationship_type not in HISTORICAL_RELATIONSHIPS
        ):
            if relationship.relationship_type not in (
                RelationshipType.EDUCATIONAL_PLATFORM,
                RelationshipType.EUROPEAN_UNIVERSITIES_ALLIANCE,
            ):
                source, how = relationship.child, relationship.get_relationship_type_display()
        elif relationship.child_id == provider.pk:
            if relationship.relationship_type == RelationshipType.EUROPEAN_UNIVERSITIES_ALLIANCE:
                source, how = relationship.parent, "European Universities alliance"
            elif relationship.relationship_type in (RelationshipType.SUCCEEDED, RelationshipType.ABSORBED):
                source, since = relationship.parent, relationship.valid_from
                how = relationship.get_relationship_type_display()
        if source is None:
            continue
        inherited = _reports().filter(providers=source)
        if since is not None:
            inherited = inherited.filter(Q(valid_to__gte=since) | Q(valid_to__isnull=True))
        for report in inherited:
            if report.pk not in seen:
                seen.add(report.pk)
                rows.append(ProviderReport(report, source, how))
    return sorted(rows, key=lambda row: row.report.valid_from, reverse=True)


def expiring_reports(provider: Organisation, *, within_days: int = EXPIRY_WARNING_DAYS) -> list[QAReport]:
    """The provider's current reports whose validity ends within `within_days` (flagged on its page)."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    return [
        report
        for report in _reports().filter(providers=provider, withdrawn_at__isnull=True)
        if today <= report.valid_to_calculated <= horizon
    ]


def micro_credentials_of(provider: Organisation) -> QuerySet[MicroCredential]:
    """The provider's published micro-credentials."""
    return (
        MicroCredential.objects.filter(organisation=provider, published_version__isnull=False)
        .select_related("published_version")
        .order_by("code")
    )


def agency_list() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(kind=OrganisationKind.QA_AGENCY)
        .select_related("agency_profile")
        .prefetch_related("locations")
        .annotate(report_count=Count("qa_reports", distinct=True))
        .order_by("name")
    )


def agency_detail(slug: str) -> Organisation:
    agency = agency_list().filter(slug=slug).first()
    if agency is None:
        raise NotVisible("No such agency.")
    return agency


def activities_of(agency: Organisation) -> QuerySet[AgencyActivity]:
    return AgencyActivity.objects.filter(organisation=agency).order_by("activity_type", "name")


@dataclass(frozen=True)
class MicroCredentialQA:
    report: QAReport
    provision: ReportedProvision | None  # the programme entry naming this micro-credential, if any
    about: str  # "micro-credential" or "provider"


def external_qa_of(micro_credential: MicroCredential) -> list[MicroCredentialQA]:
    """Reports that cover the micro-credential itself, then institutional reports on its provider."""
    rows: list[MicroCredentialQA] = []
    seen: set[int] = set()
    provisions = ReportedProvision.objects.filter(micro_credential=micro_credential).select_related(
        "report__organisation"
    )
    for provision in provisions.order_by("-report__valid_from"):
        rows.append(MicroCredentialQA(provision.report, provision, "micro-credential"))
        seen.add(provision.report_id)
    institutional = (
        _reports()
        .filter(providers=micro_credential.organisation)
        .exclude(pk__in=seen)
        .exclude(activities__activity_type__in=[ActivityType.PROGRAMME, ActivityType.JOINT_PROGRAMME])
        .distinct()
    )
    rows.extend(MicroCredentialQA(report, None, "provider") for report in institutional)
    return rows


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.all()


def jurisdiction_detail(code: str) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise NotVisible("No such jurisdiction.")
    return jurisdiction


def jurisdiction_changes(limit: int = 50) -> list[Any]:
    """The recorded changes to jurisdictions after they were first loaded (historical rows), newest first."""
    return list(Jurisdiction.history.filter(history_type="~").order_by("-history_date")[:limit])
