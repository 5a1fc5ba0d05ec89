"""The notifications part of the permission matrix: every notifications API operation x every principal,
on their own notification ("own") and on someone else's ("other"). Notifications are personal: no role
grants anything; anyone signed in reads and marks their own, nobody sees another person's (404)."""

from __future__ import annotations

from typing import Any

import pytest

from credence.notifications import services
from credence.organisations.models import Role

from ..factories import make_organisation, make_platform_admin, make_user
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint

pytestmark = pytest.mark.django_db


ENDPOINTS = [
    Endpoint("GET /api/notifications/", lambda n: "/api/notifications/", signed_in=True),
    Endpoint("GET /api/notifications/{id}/", lambda n: f"/api/notifications/{n.pk}/", signed_in=True),
    Endpoint(
        "POST /api/notifications/{id}/read/", lambda n: f"/api/notifications/{n.pk}/read/", lambda n: {}
    ),
    Endpoint("POST /api/notifications/read-all/", lambda n: "/api/notifications/read-all/", lambda n: {}),
    Endpoint("GET /api/notifications/preferences/", lambda n: "/api/notifications/preferences/", signed_in=True),
    Endpoint(
        "PUT /api/notifications/preferences/",
        lambda n: "/api/notifications/preferences/",
        lambda n: {"preferences": {"*": "digest"}},
    ),
]

# The operations aimed at one notification: someone else's is answered as if it did not exist.
TARGETED = {"GET /api/notifications/{id}/", "POST /api/notifications/{id}/read/"}


def _principal(name: str) -> Any:
    organisation = make_organisation()
    if name == "anonymous":
        return None
    if name == "nobody":
        return make_user(None)
    if name == "platform_admin":
        return make_platform_admin("notif_admin")
    return make_user(organisation, [name])


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_notifications_permission_matrix(endpoint: Endpoint, principal: str, owner: str):
    user = _principal(principal)
    someone = make_user(make_organisation(), [Role.PROPOSER.value])
    recipient = user if (owner == "own" and user is not None) else someone
    notification = services.notify(recipients=[recipient], event="task.assigned", subject="Do it")[0]
    client = client_for(user)
    body = endpoint.body(notification) if endpoint.body else None
    send = getattr(client, endpoint.method.lower())
    response = send(endpoint.url(notification), body, format="json") if body is not None else send(
        endpoint.url(notification)
    )

    if user is None:
        want = 401
    elif endpoint.operation in TARGETED and owner == "other":
        want = 404
    else:
        want = 200
    assert response.status_code == want, f"{principal} -> {endpoint.id} ({owner}): {response.status_code}"
    if endpoint.operation == "GET /api/notifications/" and user is not None:
        subjects = [n["subject"] for n in response.json()["results"]]
        assert subjects == (["Do it"] if owner == "own" else [])
