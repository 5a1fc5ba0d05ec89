"""The public catalogue's pages (no sign-in) and the provider's rating moderation. Thin: selectors
read, services write."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation
from credence.web.forms import add_service_errors

from . import jsonld, selectors, services
from .forms import ModerateForm, RatingForm, ReplyForm, TokenForm
from .models import QAStatus, Rating, SearchEntry

SITEMAP_CHUNK = 40_000


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    try:
        params = selectors.parse_search(request.GET)
    except selectors.BadSearch as error:
        return render(
            request,
            "catalogue/search.html",
            {"error": error.message_dict["q"][0], "sorts": selectors.SORTS, "q": ""},
            status=400,
        )
    result = selectors.search(params)
    context = {
        "result": result,
        "q": params.q,
        "sorts": selectors.SORTS,
        "query": _query_without(request, "page"),
        "export_query": _query_without(request, "page", "page_size"),
        "qa_labels": dict(QAStatus.choices),
        "can_moderate": request.user.is_authenticated and bool(_moderated_organisations(request.user)),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    template = "catalogue/_results.html" if partial else "catalogue/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same address answers a page or a fragment
    return response


def _page_context(
    request: HttpRequest, entry: SearchEntry, rating_form: RatingForm | None = None
) -> dict[str, Any]:
    version = selectors.published_version(entry)
    micro_credential = version.micro_credential
    url = request.build_absolute_uri(reverse("catalogue:detail", args=[entry.provider_slug, entry.code]))
    provider_url = request.build_absolute_uri(reverse("catalogue:provider", args=[entry.provider_slug]))
    pathways = selectors.pathways_of(version)
    user = request.user
    own_rating = selectors.rating_of(user, micro_credential)
    holder = bool(user.is_authenticated and services.holds_credential(user, micro_credential))
    skills = {
        s["uri"]: s.get("label") or s["uri"]
        for o in version.learning_outcomes.all()
        for s in (o.skills or [])
        if isinstance(s, dict) and s.get("uri")
    }
    hours_per_week = None
    if version.notional_hours and version.duration_weeks:
        hours_per_week = round(float(version.notional_hours) / float(version.duration_weeks), 1)
    return {
        "entry": entry,
        "version": version,
        "micro_credential": micro_credential,
        "provider": micro_credential.organisation,
        "hours_per_week": hours_per_week,
        "reviews": selectors.review_summaries(version),
        "reports": selectors.qa_reports(micro_credential),
        "next_review": selectors.next_review_due(micro_credential, version),
        "outcomes": selectors.public_outcomes(micro_credential),
        "ratings": selectors.published_ratings(micro_credential),
        "own_rating": own_rating,
        "holder": holder,
        "rating_form": rating_form or RatingForm(),
        "pathways": pathways,
        "graph": selectors.stacking_graph(version.title, pathways),
        "skills": sorted(skills.items(), key=lambda kv: kv[1]),
        "jsonld": jsonld.as_script_text(jsonld.describe(entry, version, url, provider_url)),
        "page_url": url,
    }


@require_GET
def detail(request: HttpRequest, provider_slug: str, code: str) -> HttpResponse:
    entry = selectors.published_entry(provider_slug, code)
    return render(request, "catalogue/detail.html", _page_context(request, entry))


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(SearchEntry, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.submit_rating(
                actor=request.user,  # type: ignore[arg-type]
                micro_credential=entry.micro_credential,
                stars=form.cleaned_data["stars"],
                text=form.cleaned_data["text"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Thank you. Your rating will appear once the provider has moderated it."
            )
            return redirect(reverse("catalogue:detail", args=[entry.provider_slug, entry.code]) + "#ratings")
    context = _page_context(request, entry, rating_form=form)
    return render(request, "catalogue/detail.html", context, status=400)


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    raw = request.GET.getlist("ids")
    ids: list[int] = []
    for chunk in raw[:10]:
        for part in chunk.split(",")[:10]:
            part = part.strip()
            if part.isdigit() and len(part) < 12 and int(part) not in ids:
                ids.append(int(part))
    too_many = len(ids) > selectors.COMPARE_LIMIT
    rows = selectors.compare_entries(ids[: selectors.COMPARE_LIMIT])
    return render(request, "catalogue/compare.html", {"rows": rows, "too_many": too_many})


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_COLUMNS = (
    ("code", "Code"),
    ("title", "Title"),
    ("provider_name", "Provider"),
    ("country", "Country"),
    ("field_of_study", "Field of study (ISCED-F)"),
    ("eqf_level", "EQF level"),
    ("credits", "Credits"),
    ("credit_system", "Credit system"),
    ("notional_hours", "Notional hours"),
    ("form_of_participation", "Form of participation"),
    ("language", "Main language"),
    ("fee_amount", "Fee"),
    ("fee_currency", "Currency"),
    ("assessment_certification", "Assessment and certification"),
    ("stackable", "Stackable"),
    ("qa_status", "QA status"),
)


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    try:
        params = selectors.parse_search(request.GET)
    except selectors.BadSearch as error:
        return HttpResponse(error.message_dict["q"][0], status=400, content_type="text/plain; charset=utf-8")
    base = request.build_absolute_uri("/").rstrip("/")
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([label for _, label in EXPORT_COLUMNS] + ["Page"])
        for hit in selectors.export_rows(params):
            values = [_csv_safe(hit[key]) for key, _ in EXPORT_COLUMNS]
            page = base + reverse("catalogue:detail", args=[hit["provider_slug"], hit["code"]])
            yield writer.writerow([*values, page])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="micro-credentials.csv"'
    return response


def _csv_safe(value: Any) -> str:
    """Text a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def moderation_policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/moderation_policy.html",
        {"per_day": services.RATINGS_PER_DAY, "limit": services.RATING_TEXT_LIMIT},
    )


@require_GET
def provider(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.provider(slug)
    entries = list(selectors.provider_entries(organisation)[:200])
    return render(
        request,
        "catalogue/provider.html",
        {
            "provider": organisation,
            "entries": entries,
            "entry_count": selectors.provider_entries(organisation).count(),
            "reports": selectors.provider_reports(organisation),
            "outcomes": selectors.provider_outcomes(organisation),
            "qa_labels": dict(QAStatus.choices),
            "review_cycles": sorted({e.next_review_date.year for e in entries if e.next_review_date}),
        },
    )


# --- moderation ----------------------------------------------------------------------------------------


def _moderated_organisations(user: Any) -> list[int]:
    if user.is_superuser:
        return list(Organisation.objects.values_list("pk", flat=True))
    return [o for o in organisation_ids_of(user) if can(user, "catalogue.moderate_ratings", _Org(o))]


class _Org:
    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    org_ids = _moderated_organisations(request.user)
    if not org_ids:
        raise PermissionDenied("Only a provider's QA officers and organisation admins moderate ratings.")
    token_form = TokenForm(request.POST or None, organisation_ids=org_ids)
    tokens: list[str] = []
    if request.method == "POST" and token_form.is_valid():
        try:
            created = services.create_rating_tokens(
                actor=request.user,  # type: ignore[arg-type]
                micro_credential=token_form.cleaned_data["micro_credential"],
                count=token_form.cleaned_data["count"],
            )
            tokens = [t.token for t in created]
        except ValidationError as error:
            add_service_errors(token_form, error)
    ratings = list(selectors.ratings_to_moderate(org_ids)[:200])
    return render(
        request,
        "catalogue/moderation.html",
        {"ratings": ratings, "token_form": token_form, "tokens": tokens},
        status=400 if request.method == "POST" and not tokens else 200,
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(Rating.objects.select_related("micro_credential__organisation"), pk=pk)
    if not can(request.user, "catalogue.moderate_ratings", rating):
        raise Http404("No such rating.")
    action = request.POST.get("action")
    try:
        if action == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"reply": "Write a reply of at most 2,000 characters."})
            services.reply_to_rating(actor=request.user, rating=rating, reply=form.cleaned_data["reply"])  # type: ignore[arg-type]
            messages.success(request, "Your reply is published with the rating.")
        else:
            moderate_form = ModerateForm(request.POST)
            if not moderate_form.is_valid():
                raise ValidationError({"decision": "Choose to publish it or not."})
            publish = moderate_form.cleaned_data["decision"] == "publish"
            services.moderate_rating(
                actor=request.user,  # type: ignore[arg-type]
                rating=rating,
                publish=publish,
                note=moderate_form.cleaned_data["note"],
            )
            messages.success(request, "Published." if publish else "The rating will not be published.")
    except ValidationError as error:
        for message_list in error.message_dict.values():
            for message in message_list:
                messages.error(request, message)
    return redirect("catalogue:moderation")


# --- sitemap -------------------------------------------------------------------------------------------


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    chunks = max(1, -(-selectors.entry_count() // SITEMAP_CHUNK))
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "catalogue/sitemap_index.xml",
        {"base": base, "chunks": range(1, chunks + 1)},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public catalogue, provider pages and register; the rest needs signing in."""
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /admin/",
        "Disallow: /catalogue/export.csv",
        "Disallow: /catalogue/compare/",
        "Disallow: /catalogue/rate/",
        "Disallow: /catalogue/moderation/",
        f"Sitemap: {base}{reverse('catalogue:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    urls = [reverse("home"), reverse("catalogue:search"), reverse("catalogue:moderation_policy")]
    urls += [reverse("catalogue:provider", args=[slug]) for slug in selectors.provider_slugs()]
    return render(
        request,
        "catalogue/sitemap.xml",
        {"urls": [(base + u, None) for u in urls]},
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def sitemap_chunk(request: HttpRequest, number: int) -> HttpResponse:
    if number < 1 or (number - 1) * SITEMAP_CHUNK >= max(selectors.entry_count(), 1):
        raise Http404("No such sitemap.")
    base = request.build_absolute_uri("/").rstrip("/")
    rows = selectors.sitemap_entries((number - 1) * SITEMAP_CHUNK, SITEMAP_CHUNK)
    urls = [(base + reverse("catalogue:detail", args=[slug, code]), changed) for slug, code, changed in rows]
    return render(
        request, "catalogue/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8"
    )
