"""The catalogue's part of the permission matrix (see test_permission_matrix.py): its API is public and
read-only, so every principal, signed in or not, reads every published micro-credential alike. Its
permissions (rating moderation, rebuilding) are used by the pages and services, tested in tests/catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from credence.microcredentials.models import MicroCredential
from credence.organisations.models import Role, User

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, expected_status

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        own = make_organisation("Catalogue Own University")
        other = make_organisation("Catalogue Other University")
        built: dict[str, Any] = {
            "own": make_version(
                own, status="published", code="CAT-OWN", title="Own course"
            ).micro_credential_id,
            "other": make_version(
                other, status="published", code="CAT-OTH", title="Other course"
            ).micro_credential_id,
            "users": {
                role.value: make_user(own, [role.value], username=f"catmatrix_{role.value}") for role in Role
            },
        }
        built["users"]["nobody"] = make_user(None, username="catmatrix_nobody")
        built["users"]["platform_admin"] = make_platform_admin("catmatrix_admin")
        yield built
        transaction.set_rollback(True)


ENDPOINTS = [
    Endpoint("GET /api/catalogue/", lambda mc: "/api/catalogue/?q=course", public=True),
    Endpoint("GET /api/catalogue/{id}/", lambda mc: f"/api/catalogue/{mc}/", public=True),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_catalogue_permission_matrix(scene: dict[str, Any], endpoint: Endpoint, principal: str, owner: str):
    user = None if principal == "anonymous" else User.objects.get(pk=scene["users"][principal].pk)
    response = client_for(user).get(endpoint.url(scene[owner]))
    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, f"{principal} -> {endpoint.id} ({owner}): {response.status_code}"
    assert MicroCredential.objects.filter(pk=scene[owner]).exists()
