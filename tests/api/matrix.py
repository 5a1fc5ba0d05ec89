"""The machinery of the permission matrix, shared by every app's table (test_permission_matrix*.py).

An `Endpoint` says how to call one API operation, what it needs to *see* its target (else 404) and what
it needs to *do* it (else 403). `expected_status` derives the answer for a principal from the permission
tables the apps register, never from a hand-written expectation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Role

PRINCIPALS = [*Role.values, "nobody", "platform_admin", "anonymous"]
OWNERS = ["own", "other"]


@dataclass(frozen=True)
class Endpoint:
    operation: str  # as in the OpenAPI schema: "POST /api/versions/{id}/submit/"
    url: Callable[[Any], str]  # from the owner's holdings
    body: Callable[[Any], dict[str, Any]] | None = None
    needs: str | None = None  # permission to do it, in the owning organisation; else 403
    sees: str | None = None  # permission to see the target at all; else 404
    signed_in: bool = False  # a read that needs signing in
    public: bool = False  # a write anyone may make, signed in or not (e.g. verifying a credential)
    success: int = 200
    label: str = ""

    @property
    def method(self) -> str:
        return self.operation.split()[0]

    @property
    def id(self) -> str:
        return self.label or self.operation


def roles_held(principal: str, owner: str) -> frozenset[str]:
    """The roles `principal` holds in the organisation that owns the target."""
    return frozenset({principal}) if principal in Role.values and owner == "own" else frozenset()


def expected_status(endpoint: Endpoint, principal: str, owner: str) -> int:
    def holds(permission: str) -> bool:
        return principal == "platform_admin" or bool(roles_held(principal, owner) & REGISTERED[permission])

    if endpoint.public:
        return endpoint.success
    if principal == "anonymous" and (endpoint.method != "GET" or endpoint.signed_in):
        return 401  # not signed in: token authentication comes first and asks for credentials
    if endpoint.sees and not holds(endpoint.sees):
        return 404
    if endpoint.needs and not holds(endpoint.needs):
        return 403
    return endpoint.success


def call(client: Any, method: str, url: str, body: dict[str, Any] | None) -> Any:
    send = getattr(client, method.lower())
    return send(url, body, format="json") if body is not None else send(url)
