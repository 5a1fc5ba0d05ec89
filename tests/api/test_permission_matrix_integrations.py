"""The permission matrix for the integrations API (API tokens, webhook endpoints and their deliveries):
every operation x every role, on its own organisation's records and on another's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.integrations import services
from credence.integrations.models import ApiToken, WebhookEndpoint
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User

from ..factories import make_organisation, make_platform_admin, make_user
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"  # never called: the matrix runs inside a transaction that is rolled back


@dataclass
class Holdings:
    organisation: Organisation
    token: ApiToken
    endpoint: WebhookEndpoint


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(name: str) -> Holdings:
    organisation = make_organisation(name)
    token, _ = services.create_api_token(
        actor=None, organisation=organisation, name="Student records", scopes=["catalogue:read"]
    )
    endpoint = services.register_webhook(
        actor=None, organisation=organisation, url=URL, events=["version.published"]
    )
    return Holdings(organisation, token, endpoint)


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = Scene(
            holdings={"own": _holdings("Integrations Own"), "other": _holdings("Integrations Other")}
        )
        for role in Role:
            built.users[role.value] = make_user(
                built.holdings["own"].organisation, [role.value], username=f"intmatrix_{role.value}"
            )
        built.users["nobody"] = make_user(None, username="intmatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("intmatrix_admin")
        yield built
        transaction.set_rollback(True)


def _fresh_token(h: Holdings) -> str:
    """Revoking twice is refused, so each call revokes a token of its own."""
    token, _ = services.create_api_token(
        actor=None, organisation=h.organisation, name="LMS", scopes=["import"]
    )
    return f"/api/integrations/tokens/{token.pk}/revoke/"


ENDPOINTS = [
    Endpoint("GET /api/integrations/tokens/", lambda h: "/api/integrations/tokens/", signed_in=True),
    Endpoint(
        "GET /api/integrations/tokens/{id}/",
        lambda h: f"/api/integrations/tokens/{h.token.pk}/",
        sees="integrations.manage_tokens",
        signed_in=True,
    ),
    Endpoint(
        "POST /api/integrations/tokens/",
        lambda h: "/api/integrations/tokens/",
        body=lambda h: {"organisation": h.organisation.pk, "name": "LMS", "scopes": ["catalogue:read"]},
        needs="integrations.manage_tokens",
        success=201,
    ),
    Endpoint(
        "POST /api/integrations/tokens/{id}/revoke/",
        _fresh_token,
        body=lambda h: {},
        sees="integrations.manage_tokens",
    ),
    Endpoint("GET /api/integrations/webhooks/", lambda h: "/api/integrations/webhooks/", signed_in=True),
    Endpoint(
        "GET /api/integrations/webhooks/{id}/",
        lambda h: f"/api/integrations/webhooks/{h.endpoint.pk}/",
        sees="integrations.manage_webhooks",
        signed_in=True,
    ),
    Endpoint(
        "POST /api/integrations/webhooks/",
        lambda h: "/api/integrations/webhooks/",
        body=lambda h: {"organisation": h.organisation.pk, "url": URL, "events": ["version.retired"]},
        needs="integrations.manage_webhooks",
        success=201,
    ),
    Endpoint(
        "POST /api/integrations/webhooks/{id}/test/",
        lambda h: f"/api/integrations/webhooks/{h.endpoint.pk}/test/",
        body=lambda h: {},
        sees="integrations.manage_webhooks",
        success=202,
    ),
    Endpoint(
        "GET /api/integrations/webhooks/{id}/deliveries/",
        lambda h: f"/api/integrations/webhooks/{h.endpoint.pk}/deliveries/",
        sees="integrations.manage_webhooks",
        signed_in=True,
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_integrations_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    body = endpoint.body(holdings) if endpoint.body else None

    response = call(client_for(user), endpoint.method, endpoint.url(holdings), body)

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's record: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_the_table_uses_every_integrations_permission():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    # Single sign-on is set up by platform admins with `manage.py configure_sso`, not through the API.
    mine = {p for p in REGISTERED if p.startswith("integrations.")} - {"integrations.manage_sso"}

    assert mine - used == set()


def test_lists_show_nothing_of_another_organisation(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["org_admin"].pk))

    tokens = [t["id"] for t in client.get("/api/integrations/tokens/").data["results"]]
    endpoints = [e["id"] for e in client.get("/api/integrations/webhooks/").data["results"]]

    assert scene.holdings["own"].token.pk in tokens
    assert scene.holdings["other"].token.pk not in tokens
    assert scene.holdings["own"].endpoint.pk in endpoints
    assert scene.holdings["other"].endpoint.pk not in endpoints


def test_no_answer_holds_a_token_secret_except_at_creation(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["org_admin"].pk))
    own = scene.holdings["own"].organisation

    created = client.post(
        "/api/integrations/tokens/",
        {"organisation": own.pk, "name": "Badges", "scopes": ["import"]},
        format="json",
    ).data
    listing = client.get("/api/integrations/tokens/").content.decode()

    assert created["secret"].startswith(f"cred_{created['prefix']}_")
    assert created["secret"] not in listing
    assert "secret_hash" not in listing
