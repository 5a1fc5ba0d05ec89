"""API-token authentication: `Authorization: Bearer cred_<prefix>_<secret>`, limited to the token's scopes."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.request import Request

from .scopes import NO_SCOPE, required_scope
from .services import note_token_used, token_for_secret

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                "Send the API token as `Authorization: Bearer cred_<prefix>_<secret>`."
            )
        token = token_for_secret(header[1].decode("latin-1"))
        if token is None:
            raise AuthenticationFailed("Unknown API token.")
        if token.revoked_at is not None:
            raise AuthenticationFailed("This API token was revoked.")
        if token.is_expired:
            raise AuthenticationFailed("This API token has expired.")
        view = (request.parser_context or {}).get("view")
        method = request.method or "GET"
        needed = required_scope(view, method)
        where = f"{method} {request.path}"
        if needed is None:
            raise PermissionDenied(
                f"API tokens cannot be used for {where}; it needs a person signed in with their own account."
            )
        if needed != NO_SCOPE and needed not in token.scopes:
            raise PermissionDenied(f"This API token lacks the scope '{needed}' needed for {where}.")
        note_token_used(token=token)
        return token.service_user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
