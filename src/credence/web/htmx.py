"""What the pages need to know about htmx: whether a request came from it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (it swaps a partial); false for a plain browser request."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL answers a page or a partial: caches must keep them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response
