"""Reads of the public catalogue: search with facet counts (two queries, whatever the number of matches),
the micro-credential page's panels, provider pages, comparison and the sitemap.

Search reads only `catalogue_searchentry`. On PostgreSQL the facet counts come from one scan with
GROUPING SETS and the text matches the stored tsvector through its GIN index; on SQLite the same
counts come from one UNION ALL statement and the text is matched with LIKE.

The SQL is assembled from this module's own column names and sort clauses only (never from the query
string); every value the caller gives travels as a parameter. Hence the `noqa: S608` marks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from credence.microcredentials.models import (
    MicroCredential,
    MicroCredentialVersion,
    Pathway,
    PathwayKind,
    VersionStatus,
)
from credence.organisations.models import Organisation

from .facets import BY_PARAM, FACETS, Facet
from .models import Rating, RatingStatus, SearchEntry
from .services import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
MAX_PAGE = 5_000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_VALUES_PER_FACET = 20
SUPPRESS_BELOW = 10
COMPARE_LIMIT = 4

SORTS: dict[str, tuple[str, str]] = {
    "relevance": ("Best match", ""),
    "title": ("Title (A to Z)", "e.title ASC, e.micro_credential_id ASC"),
    "newest": ("Newest first", "e.published_at DESC, e.micro_credential_id DESC"),
    "hours": ("Fewest hours first", "e.notional_hours ASC NULLS LAST, e.micro_credential_id ASC"),
    "credits": ("Fewest credits first", "e.credits ASC NULLS LAST, e.micro_credential_id ASC"),
    "fee": ("Lowest fee first", "e.fee_amount ASC NULLS LAST, e.micro_credential_id ASC"),
}
HIT_COLUMNS = (
    "micro_credential_id",
    "code",
    "title",
    "summary",
    "provider_slug",
    "provider_name",
    "provider_kind",
    "country",
    "field_of_study",
    "eqf_level",
    "credit_system",
    "credits",
    "notional_hours",
    "form_of_participation",
    "language",
    "fee_amount",
    "fee_currency",
    "assessment_certification",
    "stackable",
    "qa_status",
    "published_at",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadSearch(ValidationError):
    """A search the catalogue refuses (answered with 400 and the message)."""


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def effective_sort(self) -> str:
        return "title" if self.sort == "relevance" and not self.terms else self.sort

    @property
    def terms(self) -> list[str]:
        return re.findall(r"\w+", self.q.lower())[:10]

    def cache_key(self) -> str:
        parts = [self.q, self.sort, str(self.page), str(self.page_size)]
        for param in sorted(self.filters):
            parts.append(param + "=" + ",".join(sorted(str(v) for v in self.filters[param])))
        return "|".join(parts)


def _int(raw: str | None, default: int) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else default


def parse_search(query: Mapping[str, Any], page_size: int | None = None) -> SearchParams:
    """Read a query string forgivingly: unknown parameters and values that cannot be are ignored; only a
    search text over the limit is refused."""
    getlist = getattr(query, "getlist", None)
    q = _CONTROL.sub(" ", str(query.get("q", "") or "")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise BadSearch(
            {"q": f"The search text is {len(q)} characters long; search with at most {MAX_QUERY_LENGTH}."}
        )
    filters: dict[str, tuple[Any, ...]] = {}
    for facet in FACETS:
        raw_values = getlist(facet.param) if getlist else [query.get(facet.param)]
        values = []
        for raw in raw_values[:MAX_VALUES_PER_FACET]:
            if not isinstance(raw, str):
                continue
            for part in raw.split(",")[:MAX_VALUES_PER_FACET]:
                value = facet.parse(part)
                if value is not None and value not in values:
                    values.append(value)
        if values:
            filters[facet.param] = tuple(values)
    sort = str(query.get("sort", "") or "relevance")
    if sort not in SORTS:
        sort = "relevance"
    page = min(max(_int(query.get("page"), 1), 1), MAX_PAGE)
    size = page_size or min(max(_int(query.get("page_size"), DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    return SearchParams(q=q, filters=filters, sort=sort, page=page, page_size=size)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetCounts:
    facet: Facet
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    hits: list[dict[str, Any]]
    facets: list[FacetCounts]

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.page_size))

    @property
    def first_index(self) -> int:
        return (self.params.page - 1) * self.params.page_size + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0


def _where(params: SearchParams, vendor: str) -> tuple[str, list[Any], str]:
    """The WHERE clause, its parameters, and the FROM clause (which, on PostgreSQL, names the query)."""
    clauses: list[str] = []
    args: list[Any] = []
    source = "catalogue_searchentry e"
    terms = params.terms
    if terms:
        if vendor == "postgresql":
            source = f"catalogue_searchentry e, websearch_to_tsquery('{SEARCH_CONFIG}', %s) query"
            clauses.append("e.search_vector @@ query")
        else:
            for term in terms:
                clauses.append("e.search_text LIKE %s ESCAPE '\\'")
                args.append("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    for param, values in params.filters.items():
        facet = BY_PARAM[param]
        placeholders = ", ".join(["%s"] * len(values))
        clauses.append(f"e.{facet.column} IN ({placeholders})")
        args.extend(values)
    where = " AND ".join(clauses) or "TRUE"
    return where, args, source


def _source_args(params: SearchParams, vendor: str) -> list[Any]:
    return [" ".join(params.terms)] if params.terms and vendor == "postgresql" else []


def _display(facet: Facet, value: Any) -> str:
    if facet.kind == "bool":
        return "yes" if value else "no"
    return str(value)


def _facet_sql(params: SearchParams, vendor: str) -> tuple[str, list[Any]]:
    where, args, source = _where(params, vendor)
    head_args = _source_args(params, vendor)
    if vendor == "postgresql":
        columns = [f"e.{f.column}" for f in FACETS]
        sets = ", ".join(
            "(e.provider_slug, e.provider_name)" if f.param == "provider" else f"(e.{f.column})"
            for f in FACETS
        )
        sql = (
            f"SELECT GROUPING({', '.join(columns)}) AS mask, {', '.join(columns)}, e.provider_name, COUNT(*) "  # noqa: S608
            f"FROM {source} WHERE {where} GROUP BY GROUPING SETS ({sets}, ())"
        )
        return sql, head_args + args
    # SQLite: one statement, one branch per facet over the matching rows.
    branches = []
    for index, f in enumerate(FACETS):
        label = "MAX(provider_name)" if f.param == "provider" else "NULL"
        branches.append(f"SELECT {index}, {f.column}, {label}, COUNT(*) FROM m GROUP BY {f.column}")  # noqa: S608
    branches.append("SELECT -1, NULL, NULL, COUNT(*) FROM m")
    sql = f"WITH m AS (SELECT * FROM {source} WHERE {where}) " + " UNION ALL ".join(branches)  # noqa: S608
    return sql, args


def _read_facets(
    rows: Iterable[Sequence[Any]], params: SearchParams, vendor: str
) -> tuple[int, list[FacetCounts]]:
    total = 0
    counted: dict[str, dict[str, tuple[str, int]]] = {f.param: {} for f in FACETS}
    n = len(FACETS)
    full = (1 << n) - 1
    for row in rows:
        if vendor == "postgresql":
            mask = row[0]
            if mask == full:
                total = int(row[-1])
                continue
            index = next(i for i in range(n) if not mask & (1 << (n - 1 - i)))
            value, provider_name, count = row[1 + index], row[1 + n], int(row[-1])
        else:
            index, value, provider_name, count = int(row[0]), row[1], row[2], int(row[3])
            if index == -1:
                total = count
                continue
        if value is None or value == "":
            continue
        facet = FACETS[index]
        key = _display(facet, value)
        label = str(provider_name) if facet.param == "provider" and provider_name else facet.label(key)
        counted[facet.param][key] = (label, count)
    facets = []
    for facet in FACETS:
        selected = {_display(facet, v) for v in params.filters.get(facet.param, ())}
        values = [
            FacetValue(key, label, count, key in selected)
            for key, (label, count) in counted[facet.param].items()
        ]
        order = list(facet.labels())
        if order:
            values.sort(key=lambda v: (order.index(v.value) if v.value in order else len(order), v.label))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        shown = values[:MAX_VALUES_PER_FACET]
        shown += [v for v in values[MAX_VALUES_PER_FACET:] if v.selected]
        for key in selected - {v.value for v in values}:
            shown.append(FacetValue(key, facet.label(key), 0, True))
        facets.append(FacetCounts(facet, shown))
    return total, facets


def _hits_sql(params: SearchParams, vendor: str, offset: int) -> tuple[str, list[Any]]:
    where, args, source = _where(params, vendor)
    sort = params.effective_sort
    if sort == "relevance":
        if vendor == "postgresql":
            order = "ts_rank(e.search_vector, query) DESC, e.micro_credential_id ASC"
        else:
            order = (
                "CASE WHEN e.search_text LIKE %s THEN 0 ELSE 1 END, e.title ASC, e.micro_credential_id ASC"
            )
            args = [*args, "%" + params.terms[0] + "%"]
    else:
        order = SORTS[sort][1]
    columns = ", ".join(f"e.{c}" for c in HIT_COLUMNS)
    sql = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    return sql, [*_source_args(params, vendor), *args, params.page_size, offset]


def _count_sql(params: SearchParams, vendor: str) -> tuple[str, list[Any]]:
    where, args, source = _where(params, vendor)
    return f"SELECT COUNT(*) FROM {source} WHERE {where}", [*_source_args(params, vendor), *args]  # noqa: S608


PG_SORT_KEYS: dict[str, tuple[str, str]] = {
    "relevance": ("ts_rank(e.search_vector, query)", "m.sort_key DESC, m.id ASC"),
    "title": ("e.title", "m.sort_key ASC, m.id ASC"),
    "newest": ("e.published_at", "m.sort_key DESC NULLS LAST, m.id DESC"),
    "hours": ("e.notional_hours", "m.sort_key ASC NULLS LAST, m.id ASC"),
    "credits": ("e.credits", "m.sort_key ASC NULLS LAST, m.id ASC"),
    "fee": ("e.fee_amount", "m.sort_key ASC NULLS LAST, m.id ASC"),
}


def pg_search_sql(params: SearchParams, *, with_facets: bool) -> tuple[str, list[Any]]:
    """PostgreSQL: one scan of the matches gives the facet counts (GROUPING SETS), the total and the
    ids of the page, in that order; rows of kind 0 are counts, rows of kind 1 are the page's ids."""
    where, args, source = _where(params, "postgresql")
    key, order = PG_SORT_KEYS[params.effective_sort]
    columns = [f.column for f in FACETS]
    picked = ", ".join(f"e.{c}" for c in columns) + ", e.provider_name, " if with_facets else ""
    matches = f"SELECT e.micro_credential_id AS id, {picked}{key} AS sort_key FROM {source} WHERE {where}"  # noqa: S608
    if with_facets:
        sets = ", ".join(
            "(provider_slug, provider_name)" if c == "provider_slug" else f"({c})" for c in columns
        )
        nulls = ", ".join(["NULL"] * (len(columns) + 2))
        counts = (
            f"SELECT 0 AS kind, GROUPING({', '.join(columns)}) AS mask, {', '.join(columns)}, provider_name, "  # noqa: S608
            f"COUNT(*) AS n, NULL::bigint AS id FROM m GROUP BY GROUPING SETS ({sets}, ())"
        )
        page = f"SELECT 1, {nulls}, NULL, m.id FROM m ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    else:
        counts = "SELECT 0 AS kind, COUNT(*) AS n, NULL::bigint AS id FROM m"
        page = f"SELECT 1, NULL, m.id FROM m ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608
    sql = f"WITH m AS MATERIALIZED ({matches}) {counts} UNION ALL ({page})"
    offset = (params.page - 1) * params.page_size
    return sql, [*_source_args(params, "postgresql"), *args, params.page_size, offset]


def _hits_by_id(cursor: Any, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    columns = ", ".join(HIT_COLUMNS)
    cursor.execute(f"SELECT {columns} FROM catalogue_searchentry WHERE micro_credential_id = ANY(%s)", [ids])  # noqa: S608
    found = {row[0]: dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()}
    return [found[i] for i in ids if i in found]


def _search_postgresql(params: SearchParams, with_facets: bool) -> SearchResult:
    sql, args = pg_search_sql(params, with_facets=with_facets)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
        counts = [row[1:-1] for row in rows if row[0] == 0]
        ids = [int(row[-1]) for row in rows if row[0] == 1]
        if with_facets:
            total, facets = _read_facets(counts, params, "postgresql")
        else:
            total, facets = int(counts[0][0]), []
        pages = max(1, -(-total // params.page_size))
        if params.page > pages:  # past the end: show the last page (one more query, only then)
            params = SearchParams(params.q, params.filters, params.sort, pages, params.page_size)
            sql, args = _hits_sql(params, "postgresql", (pages - 1) * params.page_size)
            cursor.execute(sql, args)
            ids = [int(row[0]) for row in cursor.fetchall()]
        hits = _hits_by_id(cursor, ids)
    return SearchResult(params, total, hits, facets)


def search(params: SearchParams, *, with_facets: bool = True) -> SearchResult:
    """Matches, facet counts (or only the count) and one page of hits: two queries, however many match."""
    vendor = connection.vendor
    if vendor == "postgresql":
        return _search_postgresql(params, with_facets)
    with connection.cursor() as cursor:
        if with_facets:
            sql, args = _facet_sql(params, vendor)
            cursor.execute(sql, args)
            total, facets = _read_facets(cursor.fetchall(), params, vendor)
        else:
            sql, args = _count_sql(params, vendor)
            cursor.execute(sql, args)
            total, facets = int(cursor.fetchone()[0]), []
        pages = max(1, -(-total // params.page_size))
        if params.page > pages:
            params = SearchParams(params.q, params.filters, params.sort, pages, params.page_size)
        hits: list[dict[str, Any]] = []
        if total:
            sql, args = _hits_sql(params, vendor, (params.page - 1) * params.page_size)
            cursor.execute(sql, args)
            hits = [dict(zip(HIT_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for hit in hits:  # SQLite hands back text and integers for these
        hit["stackable"] = bool(hit["stackable"])
        for key in ("credits", "fee_amount"):
            if hit[key] is not None:
                hit[key] = Decimal(str(hit[key])).quantize(Decimal("0.01"))
        if isinstance(hit["published_at"], str):
            hit["published_at"] = dt.datetime.fromisoformat(hit["published_at"])
    return SearchResult(params, total, hits, facets)


def export_rows(params: SearchParams, limit: int = 10_000) -> Iterable[dict[str, Any]]:
    """Every match (up to `limit`), in the search's order, for the CSV export."""
    vendor = connection.vendor
    big = SearchParams(params.q, params.filters, params.sort, 1, limit)
    sql, args = _hits_sql(big, vendor, 0)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        while rows := cursor.fetchmany(500):
            for row in rows:
                yield dict(zip(HIT_COLUMNS, row, strict=True))


# --- the micro-credential page -------------------------------------------------------------------------


def published_entry(provider_slug: str, code: str) -> SearchEntry:
    entry = (
        SearchEntry.objects.filter(provider_slug=provider_slug, code=code)
        .select_related("organisation")
        .first()
    )
    if entry is None:
        raise Http404("No published micro-credential with this code.")
    return entry


def published_version(entry: SearchEntry) -> MicroCredentialVersion:
    """The published version with every part the page shows, in a fixed number of queries."""
    version = (
        MicroCredentialVersion.objects.select_related(
            "micro_credential__organisation", "approved_by", "published_by"
        )
        .prefetch_related(
            "learning_outcomes",
            "assessments",
            "modules",
            "pathways__target_micro_credential__organisation",
            "pathways__target_micro_credential__published_version",
        )
        .get(pk=entry.version_id)
    )
    version.micro_credential.published_version = version  # it is; spare the readers a query
    return version


@dataclass
class AreaResult:
    title: str
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        names = {
            "met": "met",
            "partly met": "partly met",
            "not met": "not met",
            "not applicable": "not applicable",
        }
        return ", ".join(f"{n} {names[k]}" for k, n in self.counts.items() if n) or "no judgements"


@dataclass
class ReviewSummary:
    kind: str
    organisation: str
    recommendation: str
    submitted_at: dt.datetime | None
    frameworks: list[tuple[str, list[AreaResult]]]


def review_summaries(version: MicroCredentialVersion) -> list[ReviewSummary]:
    """The submitted reviews of the version, with the verdicts per framework area (no reviewer names)."""
    from credence.frameworks.selectors import get_pack
    from credence.reviews.models import Review, ReviewStatus

    reviews = (
        Review.objects.filter(version=version, status=ReviewStatus.SUBMITTED)
        .select_related("organisation")
        .prefetch_related("judgements")
        .order_by("submitted_at", "pk")
    )
    summaries = []
    for review in reviews:
        by_pack: dict[str, dict[str, str]] = {}
        for j in review.judgements.all():
            by_pack.setdefault(j.pack_id, {})[j.criterion_id] = j.verdict
        frameworks = []
        for pack_id, _pack_version in review.packs:
            pack = get_pack(review.organisation_id, pack_id)
            verdicts = by_pack.get(pack_id, {})
            if pack is None:
                frameworks.append((pack_id, [AreaResult("All criteria", _tally(verdicts.values()))]))
                continue
            areas = [
                AreaResult(area.title, _tally(verdicts[c.id] for c in area.criteria if c.id in verdicts))
                for area in pack.areas
            ]
            frameworks.append((f"{pack.title} ({pack.version})", areas))
        summaries.append(
            ReviewSummary(
                kind=review.get_reviewer_kind_display(),
                organisation=str(review.organisation),
                recommendation=review.get_recommendation_display() if review.recommendation else "",
                submitted_at=review.submitted_at,
                frameworks=frameworks,
            )
        )
    return summaries


def _tally(verdicts: Iterable[str]) -> dict[str, int]:
    counts = {"met": 0, "partly met": 0, "not met": 0, "not applicable": 0}
    for verdict in verdicts:
        counts[verdict] = counts.get(verdict, 0) + 1
    return counts


@dataclass
class ReportLine:
    agency: str
    agency_slug: str
    decision: str
    valid_from: dt.date
    valid_to: dt.date
    current: bool
    covers: str  # "this micro-credential" or "the provider"
    report_id: int


def qa_reports(micro_credential: MicroCredential) -> list[ReportLine]:
    """External QA reports that cover the micro-credential itself or its provider (withdrawn ones left out)."""
    from credence.register.models import QAReport

    today = timezone.localdate()
    reports = (
        QAReport.objects.filter(withdrawn_at__isnull=True)
        .filter(
            Q(provisions__micro_credential=micro_credential) | Q(providers=micro_credential.organisation_id)
        )
        .select_related("organisation")
        .annotate(
            covers_mc=Count(
                "provisions", filter=Q(provisions__micro_credential=micro_credential), distinct=True
            )
        )
        .distinct()
        .order_by("-valid_from", "-pk")
    )
    return [
        ReportLine(
            agency=str(r.organisation),
            agency_slug=r.organisation.slug,
            decision=r.get_decision_display(),
            valid_from=r.valid_from,
            valid_to=r.valid_to_calculated,
            current=r.is_valid_on(today),
            covers="this micro-credential" if r.covers_mc else "the provider",
            report_id=r.pk,
        )
        for r in reports
    ]


def next_review_due(micro_credential: MicroCredential, version: MicroCredentialVersion) -> dt.date | None:
    from .services import _next_review_due

    return _next_review_due(micro_credential) or version.next_review_date


@dataclass
class Figure:
    key: str
    label: str
    value: float | None = None  # per cent for rates, 1 to 5 for satisfaction
    n: int = 0
    period: str = ""
    suppressed: bool = False

    @property
    def unit(self) -> str:
        return "score" if self.key.endswith("satisfaction") else "percent"

    @property
    def recorded(self) -> bool:
        return self.n > 0

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed

    @property
    def display(self) -> str:
        if self.value is None:
            return ""
        return f"{round(self.value)}%" if self.unit == "percent" else f"{self.value:.1f} out of 5"


FIGURE_LABELS = {
    "completion_rate": "Completion rate",
    "pass_rate": "Pass rate",
    "learner_satisfaction": "Learner satisfaction",
    "employer_satisfaction": "Employer satisfaction",
    "graduate_outcomes": "Graduate outcomes",
}


def _figure(key: str, data: Any) -> Figure:
    """One figure as the public sees it: nothing from no one, and nothing from fewer than 10 people."""
    figure = Figure(key, FIGURE_LABELS[key])
    if not isinstance(data, Mapping):
        return figure
    try:
        n = int(data.get("n") or 0)
    except (TypeError, ValueError):
        n = 0
    figure.n = max(n, 0)
    figure.period = str(data.get("period") or "")
    figure.suppressed = figure.n > 0 and (bool(data.get("suppressed")) or figure.n < SUPPRESS_BELOW)
    value = data.get("value")
    if value is not None and figure.n > 0 and not figure.suppressed:
        try:
            figure.value = float(value)
        except (TypeError, ValueError):
            figure.value = None
    return figure


def _period(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return ""
    return f"{first:%b %Y} to {last:%b %Y}"


def public_outcomes(micro_credential: MicroCredential) -> list[Figure]:
    """Completion, pass, satisfaction and graduate outcomes; a figure from fewer than 10 people is not shown.

    From the monitoring app when it publishes them; otherwise completion and pass rates are computed from
    the enrolments of finished offerings, and the rest is 'not recorded'."""
    from credence.monitoring import selectors as monitoring_selectors

    provided = getattr(monitoring_selectors, "public_outcomes", None)
    if callable(provided):
        data = provided(micro_credential) or {}
        return [_figure(key, data.get(key)) for key in FIGURE_LABELS]
    from credence.monitoring.models import Enrolment, EnrolmentStatus

    today = timezone.localdate()
    finished = Q(status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN]) | Q(
        offering__ends_on__lt=today
    )
    totals = Enrolment.objects.filter(offering__version__micro_credential=micro_credential).aggregate(
        n=Count("pk", filter=finished),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        passed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED, passed=True)),
        first=Min("offering__starts_on", filter=finished),
        last=Max("offering__ends_on", filter=finished),
    )
    period = _period(totals["first"], totals["last"])
    n, completed, passed = totals["n"], totals["completed"], totals["passed"]
    figures = {
        "completion_rate": {"value": 100 * completed / n if n else None, "n": n, "period": period},
        "pass_rate": {
            "value": 100 * passed / completed if completed else None,
            "n": completed,
            "period": period,
        },
    }
    return [_figure(key, figures.get(key)) for key in FIGURE_LABELS]


@dataclass
class PathwayLink:
    kind: str
    label: str
    provider: str
    href: str  # empty when it is not in the catalogue
    credits: Decimal | None = None
    note: str = ""


def _entry_href(micro_credential: MicroCredential) -> str:
    from django.urls import reverse

    return reverse("catalogue:detail", args=[micro_credential.organisation.slug, micro_credential.code])


def pathways_of(version: MicroCredentialVersion) -> dict[str, list[PathwayLink]]:
    """What it stacks into, what stacks into it, and how prior learning is recognised."""
    out: dict[str, list[PathwayLink]] = {"into": [], "from": [], "prior": []}
    for p in version.pathways.all():
        target = p.target_micro_credential
        if target is not None:
            published = target.published_version
            label = (
                published.title if published and published.status == VersionStatus.PUBLISHED else target.code
            )
            live = bool(published and published.status == VersionStatus.PUBLISHED)
            link = PathwayLink(
                p.get_kind_display(),
                label,
                str(target.organisation),
                _entry_href(target) if live else "",
                p.credits,
                p.note,
            )
        else:
            link = PathwayLink(
                p.get_kind_display(), p.external_award, p.external_provider, "", p.credits, p.note
            )
        out["prior" if p.kind == PathwayKind.PRIOR_LEARNING else "into"].append(link)
    incoming = (
        Pathway.objects.filter(
            target_micro_credential=version.micro_credential_id,
            version__status=VersionStatus.PUBLISHED,
        )
        .exclude(kind=PathwayKind.PRIOR_LEARNING)
        .select_related("version__micro_credential__organisation")
        .order_by("version__title")[:20]
    )
    for p in incoming:
        mc = p.version.micro_credential
        out["from"].append(
            PathwayLink(
                p.get_kind_display(), p.version.title, str(mc.organisation), _entry_href(mc), p.credits
            )
        )
    return out


@dataclass
class GraphNode:
    x: int
    y: int
    label: str
    href: str
    current: bool = False


def stacking_graph(title: str, pathways: Mapping[str, list[PathwayLink]]) -> dict[str, Any] | None:
    """Coordinates for the small stacking graph: what stacks into it on the left, what it stacks into
    on the right. None when there is nothing to draw."""
    left, right = pathways["from"][:6], pathways["into"][:6]
    if not left and not right:
        return None
    rows = max(len(left), len(right), 1)
    height = max(rows * 56, 72)
    centre = GraphNode(230, height // 2, title, "", True)

    def column(items: list[PathwayLink], x: int) -> list[GraphNode]:
        step = height // (len(items) + 1) if items else 0
        return [GraphNode(x, step * (i + 1), p.label, p.href) for i, p in enumerate(items)]

    return {"height": height, "centre": centre, "left": column(left, 10), "right": column(right, 450)}


@dataclass
class RatingsSummary:
    count: int
    average: float | None
    ratings: list[Rating]


def published_ratings(micro_credential: MicroCredential, limit: int = 20) -> RatingsSummary:
    published = Rating.objects.filter(micro_credential=micro_credential, status=RatingStatus.PUBLISHED)
    shown = list(published[:limit])
    if len(shown) < limit:  # all of them: no second query
        average = sum(r.stars for r in shown) / len(shown) if shown else None
        return RatingsSummary(len(shown), average, shown)
    stats = published.aggregate(count=Count("pk"), average=Avg("stars"))
    return RatingsSummary(stats["count"], float(stats["average"]), shown)


def rating_of(user: Any, micro_credential: MicroCredential) -> Rating | None:
    if user is None or not user.is_authenticated:
        return None
    return Rating.objects.filter(micro_credential=micro_credential, author=user).first()


def ratings_to_moderate(organisation_ids: Sequence[int]) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(micro_credential__organisation_id__in=organisation_ids)
        .select_related("micro_credential__organisation", "micro_credential__published_version", "author")
        .order_by("status", "-created_at")
    )


# --- providers, comparison, sitemap --------------------------------------------------------------------


def provider(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).prefetch_related("locations").first()
    if organisation is None or not SearchEntry.objects.filter(organisation=organisation).exists():
        raise Http404("No provider with published micro-credentials here.")
    return organisation


def provider_outcomes(organisation: Organisation) -> list[Figure]:
    """Completion and pass rates over all the provider's published micro-credentials (suppressed below 10)."""
    from credence.monitoring.models import Enrolment, EnrolmentStatus

    today = timezone.localdate()
    finished = Q(status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN]) | Q(
        offering__ends_on__lt=today
    )
    totals = Enrolment.objects.filter(offering__organisation=organisation).aggregate(
        n=Count("pk", filter=finished),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        passed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED, passed=True)),
        first=Min("offering__starts_on", filter=finished),
        last=Max("offering__ends_on", filter=finished),
    )
    period = _period(totals["first"], totals["last"])
    n, completed, passed = totals["n"], totals["completed"], totals["passed"]
    return [
        _figure("completion_rate", {"value": 100 * completed / n if n else None, "n": n, "period": period}),
        _figure(
            "pass_rate",
            {"value": 100 * passed / completed if completed else None, "n": completed, "period": period},
        ),
    ]


def provider_reports(organisation: Organisation) -> list[ReportLine]:
    from credence.register.models import QAReport

    today = timezone.localdate()
    reports = (
        QAReport.objects.filter(withdrawn_at__isnull=True, providers=organisation)
        .select_related("organisation")
        .order_by("-valid_from", "-pk")
    )
    return [
        ReportLine(
            str(r.organisation),
            r.organisation.slug,
            r.get_decision_display(),
            r.valid_from,
            r.valid_to_calculated,
            r.is_valid_on(today),
            "the provider",
            r.pk,
        )
        for r in reports
    ]


def provider_entries(organisation: Organisation) -> QuerySet[SearchEntry]:
    return SearchEntry.objects.filter(organisation=organisation).order_by("title")


def compare_entries(ids: Sequence[int]) -> list[tuple[SearchEntry, MicroCredentialVersion, list[Figure]]]:
    entries = {
        e.micro_credential_id: e
        for e in SearchEntry.objects.filter(micro_credential_id__in=list(ids)[:COMPARE_LIMIT]).select_related(
            "version", "organisation"
        )
    }
    return [
        (entries[i], entries[i].version, public_outcomes(entries[i].micro_credential))
        for i in ids
        if i in entries
    ]


def sitemap_entries(offset: int, limit: int) -> list[tuple[str, str, dt.datetime]]:
    return list(
        SearchEntry.objects.order_by("micro_credential_id").values_list(
            "provider_slug", "code", "refreshed_at"
        )[offset : offset + limit]
    )


def entry_count() -> int:
    return SearchEntry.objects.count()


def provider_slugs() -> list[str]:
    return list(
        SearchEntry.objects.order_by("provider_slug").values_list("provider_slug", flat=True).distinct()
    )
