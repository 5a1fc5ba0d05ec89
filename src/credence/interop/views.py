"""Exports of one micro-credential: ELM (published only), and its full record as JSON and as a PDF."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from credence.microcredentials import selectors as mc_selectors
from credence.microcredentials.documents import prefetch_parts
from credence.microcredentials.elements import element_groups
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion

from .elm import ElmExportError, micro_credential_to_elm

JSON_LD = "application/ld+json"


@require_GET
def micro_credential_elm(request: HttpRequest, pk: int) -> HttpResponse:
    """The published version as ELM v3 JSON-LD; anything unpublished answers as if it did not exist."""
    micro_credential = (
        MicroCredential.objects.select_related("organisation", "published_version").filter(pk=pk).first()
    )
    if micro_credential is None or micro_credential.published_version is None:
        raise Http404("No such published micro-credential.")
    try:
        document = micro_credential_to_elm(micro_credential.published_version)
    except ElmExportError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=f"{JSON_LD}; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{micro_credential.code}-elm.jsonld"'
    return response


# --- the full record of a micro-credential -----------------------------------------------------------


def _record(request: HttpRequest, pk: int) -> tuple[MicroCredential, list[MicroCredentialVersion]]:
    """The micro-credential and the versions this user may see (newest first), else 404."""
    micro_credential = mc_selectors.get_micro_credential(request.user, pk)
    versions = list(
        prefetch_parts(mc_selectors.versions_of(request.user, micro_credential)).select_related(
            "micro_credential__organisation"
        )
    )
    if not versions:
        raise Http404("No such micro-credential.")
    return micro_credential, versions


def record_document(
    micro_credential: MicroCredential, versions: list[MicroCredentialVersion]
) -> dict[str, Any]:
    """The API's shape: the micro-credential as GET /api/micro-credentials/{id}/ gives it, with each
    visible version as GET /api/versions/{id}/ gives it."""
    from credence.microcredentials.api import MicroCredentialSerializer, VersionDocumentSerializer

    micro_credential.latest_visible = versions[:1]  # type: ignore[attr-defined]
    return dict(MicroCredentialSerializer(micro_credential).data) | {
        "versions": [dict(VersionDocumentSerializer(v).data) for v in versions]
    }


@require_GET
def micro_credential_json(request: HttpRequest, pk: int) -> HttpResponse:
    micro_credential, versions = _record(request, pk)
    document = record_document(micro_credential, versions)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{micro_credential.code}.json"'
    return response


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The summary fetches nothing ({url[:80]}).")


@require_GET
def micro_credential_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable summary of the version the user sees first (the draft for members, else published)."""
    from weasyprint import HTML

    micro_credential, versions = _record(request, pk)
    version = versions[0]
    html = render_to_string(
        "interop/summary_pdf.html",
        {
            "micro_credential": micro_credential,
            "version": version,
            "groups": element_groups(version),
            "outcomes": list(version.learning_outcomes.all()),
            "assessments": list(version.assessments.all()),
            "modules": list(version.modules.all()),
            "printed": timezone.now(),
        },
        request=request,
    )
    pdf = HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf()
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{micro_credential.code}-summary.pdf"'
    return response
