"""The OpenAPI description of API-token authentication."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .models import Scope
from .scopes import NO_SCOPE, required_scope


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "credence.integrations.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_requirement(self, auto_schema: Any) -> Any:
        """Listed only on the operations API tokens may call, with the scope each needs."""
        scope = required_scope(auto_schema.view, auto_schema.method)
        if scope is None:
            return None
        return {self.name: [] if scope == NO_SCOPE else [scope]}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scopes = "; ".join(f"`{s.value}` ({s.label.lower()})" for s in Scope)
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cred_<prefix>_<secret>",
            "description": (
                "An organisation's API token for another system, created by an organisation admin under "
                f"Integrations. Scopes: {scopes}. A call outside the token's scopes answers 403 naming the "
                "missing scope. An operation lists `apiToken` (with the scope it needs) only if API tokens may "
                "call it; the others answer 403 to a token."
            ),
        }
