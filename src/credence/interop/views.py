"""Public exports of published micro-credentials."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from credence.microcredentials.models import MicroCredential

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
