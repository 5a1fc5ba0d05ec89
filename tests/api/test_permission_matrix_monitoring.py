"""The permission matrix for the monitoring API (offering results and indicators, flags): every
operation x every role, in its own organisation and in another. Offerings themselves are in the
issuance table (/api/offerings/); the web-only monitoring permissions are tested in tests/monitoring."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.monitoring import services
from credence.monitoring.models import Offering
from credence.organisations.models import Organisation, Role, User

from ..factories import make_organisation, make_platform_admin, make_user
from ..monitoring.helpers import import_statuses, make_offering
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db


@dataclass
class Holdings:
    organisation: Organisation
    offering: Offering


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(organisation: Organisation) -> Holdings:
    services.set_threshold(
        actor=None, organisation=organisation, indicator="completion_rate", comparison="below", value=60
    )
    offering = make_offering(organisation)
    import_statuses(offering, [("withdrawn", None)] * 3)  # raises a flag
    return Holdings(organisation=organisation, offering=offering)


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        own, other = (
            make_organisation("Own Monitoring University"),
            make_organisation("Other Monitoring University"),
        )
        built = Scene(holdings={"own": _holdings(own), "other": _holdings(other)})
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"mmatrix_{role.value}")
        built.users["nobody"] = make_user(None, username="mmatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("mmatrix_admin")
        yield built
        transaction.set_rollback(True)


ENDPOINTS = [
    Endpoint(
        "POST /api/monitoring/offerings/{id}/results/",
        lambda h: f"/api/monitoring/offerings/{h.offering.pk}/results/",
        lambda h: {
            "rows": [
                {"external_id": "MX1", "status": "completed", "passed": True, "completed_on": "2025-05-30"}
            ]
        },
        sees="monitoring.view_offerings",
        needs="monitoring.manage_offerings",
    ),
    Endpoint(
        "GET /api/monitoring/offerings/{id}/indicators/",
        lambda h: f"/api/monitoring/offerings/{h.offering.pk}/indicators/",
        signed_in=True,
        sees="monitoring.view_offerings",
    ),
    Endpoint("GET /api/monitoring/flags/", lambda h: "/api/monitoring/flags/", signed_in=True),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    body = endpoint.body(holdings) if endpoint.body else None

    response = call(client_for(user), endpoint.method, endpoint.url(holdings), body)

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's object: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_flags_of_another_organisation_are_not_listed(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["proposer"].pk))
    listed = client.get("/api/monitoring/flags/").data["results"]
    assert {f["micro_credential"] for f in listed} == {
        scene.holdings["own"].offering.version.micro_credential.code
    }


def test_results_are_refused_row_by_row_and_sending_them_again_changes_nothing(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["qa_officer"].pk))
    url = f"/api/monitoring/offerings/{scene.holdings['own'].offering.pk}/results/"
    bad = client.post(url, {"rows": [{"external_id": "A1", "status": "completed"}]}, format="json")
    assert bad.status_code == 400
    assert "rows[0].completed_on" in bad.data["errors"]
    good = {"rows": [{"external_id": "A1", "status": "started", "started_on": "2025-02-03"}]}
    assert client.post(url, good, format="json").data["enrolments_created"] == 1
    assert client.post(url, good, format="json").data["unchanged"] == 1
