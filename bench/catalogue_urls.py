"""The project's URLs plus the benchmark's baseline: a minimal Django view that runs the catalogue API's
page query (match + count + top 20) in raw SQL and returns it as JSON."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

COLUMNS = (
    "micro_credential_id, code, title, summary, provider_slug, provider_name, provider_kind, country, "
    "field_of_study, eqf_level, credit_system, credits, notional_hours, form_of_participation, language, "
    "fee_amount, fee_currency, assessment_certification, stackable, qa_status, published_at"
)
NAMES = [c.strip() for c in COLUMNS.split(",")]


def raw_catalogue(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "")
    language = request.GET.get("language", "en")
    page = int(request.GET.get("page", "1"))
    source = "catalogue_searchentry e, websearch_to_tsquery('english', %s) query"
    where = "e.search_vector @@ query AND e.language = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}", [q, language])
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {COLUMNS} FROM {source} WHERE {where} "
            "ORDER BY ts_rank(e.search_vector, query) DESC, e.micro_credential_id LIMIT 20 OFFSET %s",
            [q, language, (page - 1) * 20],
        )
        rows = [dict(zip(NAMES, row, strict=True)) for row in cursor.fetchall()]
    return JsonResponse({"count": total, "results": rows}, encoder=DjangoJSONEncoder)


urlpatterns = [
    path("bench/raw-catalogue/", raw_catalogue),
    path("", include("credence.urls")),
]
