from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
# Swagger UI and the Django admin style elements inline; they get a looser policy on their own paths.
RELAXED = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
RELAXED_PREFIXES = ("/api/docs/", "/admin/")


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy: no inline scripts, no third-party origins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = RELAXED if request.path.startswith(RELAXED_PREFIXES) else STRICT
        response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Referrer-Policy", "same-origin")
        return response
