"""The catalogue API: public, read-only, with the search page's filters. Answers are cached for a
minute (and dropped at once when the catalogue changes in this process), carry an ETag and answer 304
to a matching If-None-Match; anonymous callers are rate-limited.

Each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from credence.api import error_responses

from . import cache as catalogue_cache
from . import selectors
from .facets import FACETS
from .models import SearchEntry


class CatalogueThrottle(AnonRateThrottle):
    scope = "catalogue"

    def get_rate(self) -> str:
        return str(getattr(settings, "CATALOGUE_API_RATE", "600/minute"))


def _hit(hit: dict[str, Any], base: str) -> dict[str, Any]:
    out = {k: v for k, v in hit.items() if k != "micro_credential_id"}
    out["id"] = hit["micro_credential_id"]
    out["url"] = base + reverse("catalogue:detail", args=[hit["provider_slug"], hit["code"]])
    return out


def _etagged(request: Request, key: str, build: Callable[[], Any]) -> HttpResponse:
    """The cached JSON answer for `key` (built when missing), or 304 when the caller has it already."""
    cache_key = f"catalogue:api:{catalogue_cache.generation()}:{hashlib.sha256(key.encode()).hexdigest()}"
    cached = cache.get(cache_key)
    if cached is None:
        body = json.dumps(build(), cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        cached = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        cache.set(cache_key, cached, catalogue_cache.API_CACHE_SECONDS)
    body, etag = cached
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={catalogue_cache.API_CACHE_SECONDS}"}
    wanted = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in wanted or "*" in wanted:
        return HttpResponse(status=304, headers=headers)
    return HttpResponse(body, content_type="application/json", headers=headers)


HIT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(help_text="The micro-credential's id."),
    "code": serializers.CharField(),
    "title": serializers.CharField(),
    "summary": serializers.CharField(),
    "url": serializers.URLField(help_text="Its public page."),
    "provider_slug": serializers.CharField(),
    "provider_name": serializers.CharField(),
    "provider_kind": serializers.CharField(),
    "country": serializers.CharField(),
    "field_of_study": serializers.CharField(help_text="ISCED-F 2013 code."),
    "eqf_level": serializers.IntegerField(allow_null=True),
    "credit_system": serializers.CharField(),
    "credits": serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True),
    "notional_hours": serializers.IntegerField(allow_null=True),
    "form_of_participation": serializers.CharField(),
    "language": serializers.CharField(),
    "fee_amount": serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True),
    "fee_currency": serializers.CharField(),
    "assessment_certification": serializers.CharField(),
    "stackable": serializers.BooleanField(),
    "qa_status": serializers.CharField(),
    "published_at": serializers.DateTimeField(allow_null=True),
}
FACET_VALUE = inline_serializer(
    "CatalogueFacetValue",
    {"value": serializers.CharField(), "label": serializers.CharField(), "count": serializers.IntegerField()},
)
LIST_RESPONSE = inline_serializer(
    "CatalogueSearchResult",
    {
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "page_size": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "results": inline_serializer("CatalogueEntry", HIT_FIELDS, many=True),
        "facets": serializers.DictField(
            child=serializers.ListField(child=FACET_VALUE),
            help_text="Counts per value of each facet, over the matches (empty unless `facets=true`).",
        ),
    },
)
FIGURE = inline_serializer(
    "CatalogueOutcomeFigure",
    {
        "value": serializers.FloatField(
            allow_null=True, help_text="Per cent for rates, 1 to 5 for satisfaction; null when not shown."
        ),
        "n": serializers.IntegerField(),
        "period": serializers.CharField(),
        "suppressed": serializers.BooleanField(help_text="True when fewer than 10 people gave the figure."),
    },
)
DETAIL_RESPONSE = inline_serializer(
    "CatalogueMicroCredential",
    {
        **HIT_FIELDS,
        "version": serializers.IntegerField(),
        "learning_outcomes": serializers.ListField(child=serializers.CharField()),
        "approved_at": serializers.DateTimeField(allow_null=True),
        "next_review_due": serializers.DateField(allow_null=True),
        "qa_reports": serializers.ListField(child=serializers.DictField()),
        "outcomes": serializers.DictField(child=FIGURE),
    },
)
PARAMETERS = [
    OpenApiParameter("q", str, description="Full-text search (at most 200 characters)."),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS), description="Order of the results."),
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Results per page, 1 to 100 (default 20)."),
    OpenApiParameter("facets", bool, description="Also count the matches per facet value (slower)."),
    *[
        OpenApiParameter(f.param, str, many=True, description=f"{f.title}; repeat or separate with commas.")
        for f in FACETS
    ],
]


class CatalogueViewSet(viewsets.ViewSet):
    """Published micro-credentials, for anyone: the catalogue's search with its filters and facets."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (CatalogueThrottle,)
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="Search the catalogue",
        parameters=PARAMETERS,
        responses={
            200: LIST_RESPONSE,
            304: OpenApiResponse(description="Not modified."),
            **error_responses(400),
        },
    )
    def list(self, request: Request) -> HttpResponse:
        params = selectors.parse_search(request.query_params)
        base = request.build_absolute_uri("/").rstrip("/")

        with_facets = request.query_params.get("facets", "").lower() in ("1", "true", "yes")

        def build() -> dict[str, Any]:
            result = selectors.search(params, with_facets=with_facets)
            return {
                "count": result.total,
                "page": result.page,
                "page_size": params.page_size,
                "pages": result.pages,
                "results": [_hit(h, base) for h in result.hits],
                "facets": {
                    fc.facet.param: [
                        {"value": v.value, "label": v.label, "count": v.count} for v in fc.values
                    ]
                    for fc in result.facets
                },
            }

        return _etagged(request, f"{base}|list|{with_facets}|{params.cache_key()}", build)

    @extend_schema(
        summary="One published micro-credential",
        responses={
            200: DETAIL_RESPONSE,
            304: OpenApiResponse(description="Not modified."),
            **error_responses(404),
        },
    )
    def retrieve(self, request: Request, pk: str) -> HttpResponse:
        base = request.build_absolute_uri("/").rstrip("/")
        entry = SearchEntry.objects.filter(pk=int(pk)).first()
        if entry is None:
            raise Http404("No published micro-credential with this id.")

        def build() -> dict[str, Any]:
            version = selectors.published_version(entry)
            hit = {c: getattr(entry, c) for c in selectors.HIT_COLUMNS}
            data = _hit(hit, base)
            data["version"] = version.number
            data["learning_outcomes"] = [o.text for o in version.learning_outcomes.all()]
            data["approved_at"] = version.approved_at
            data["next_review_due"] = selectors.next_review_due(version.micro_credential, version)
            data["qa_reports"] = [
                {
                    "agency": r.agency,
                    "covers": r.covers,
                    "decision": r.decision,
                    "valid_from": r.valid_from,
                    "valid_to": r.valid_to,
                    "current": r.current,
                }
                for r in selectors.qa_reports(version.micro_credential)
            ]
            data["outcomes"] = {
                f.key: {"value": f.value, "n": f.n, "period": f.period, "suppressed": f.suppressed}
                for f in selectors.public_outcomes(version.micro_credential)
            }
            return data

        return _etagged(request, f"{base}|detail|{entry.pk}|{entry.refreshed_at.isoformat()}", build)


ROUTES: list[tuple[str, Any, str]] = [("catalogue", CatalogueViewSet, "catalogue")]
