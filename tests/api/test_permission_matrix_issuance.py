"""The permission matrix for the issuance API (offerings, credentials, issuer keys, verification).

Built like test_permission_matrix.py: one `ENDPOINTS` table, expected answers derived from the
permission tables the apps register. Verification is public, so this table can mark a write as
`public` (anyone, signed in or not, gets the success status).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.issuance import services as issuance
from credence.issuance.models import IssuedCredential
from credence.microcredentials.models import MicroCredentialVersion
from credence.monitoring import services as monitoring
from credence.monitoring.models import Offering
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db


@dataclass
class Holdings:
    organisation: Organisation
    published: MicroCredentialVersion
    offering: Offering
    active: IssuedCredential
    suspended: IssuedCredential
    signed: dict[str, Any]


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(organisation: Organisation, tag: str) -> Holdings:
    published = make_version(organisation, status="published", code=f"{tag}-PUB")
    offering = monitoring.create_offering(
        actor=None,
        version=published,
        code=f"{tag}-RUN",
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 2, 27),
    )
    emails = [f"{tag.lower()}{n}@example.org" for n in range(4)]
    monitoring.enrol_learners(actor=None, offering=offering, learners=[{"email": e} for e in emails])
    issued = issuance.issue_credentials(
        actor=None, offering=offering, rows=[{"email": e} for e in emails[:2]], send_emails=False
    ).issued
    suspended = issuance.suspend_credential(actor=None, credential=issued[1], reason="Checking.")
    return Holdings(
        organisation=organisation,
        published=published,
        offering=offering,
        active=issued[0],
        suspended=suspended,
        signed=json.loads(issued[0].signed_json),
    )


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        own, other = (
            make_organisation("Own Issuing University"),
            make_organisation("Other Issuing University"),
        )
        built = Scene(holdings={"own": _holdings(own, "OWN"), "other": _holdings(other, "OTH")})
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"imatrix_{role.value}")
        built.users["nobody"] = make_user(None, username="imatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("imatrix_admin")
        yield built
        transaction.set_rollback(True)


VIEW_OFFERINGS = "monitoring.view_offerings"
VIEW_CREDENTIALS = "issuance.view_credentials"
REASON = {"reason": "Checked by the matrix."}

ENDPOINTS = [
    Endpoint("GET /api/offerings/", lambda h: "/api/offerings/", signed_in=True),
    Endpoint(
        "GET /api/offerings/{id}/",
        lambda h: f"/api/offerings/{h.offering.pk}/",
        signed_in=True,
        sees=VIEW_OFFERINGS,
    ),
    Endpoint(
        "POST /api/offerings/",
        lambda h: "/api/offerings/",
        lambda h: {
            "version": h.published.pk,
            "code": "NEW-RUN",
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-30",
        },
        needs="monitoring.manage_offerings",
        success=201,
    ),
    Endpoint(
        "POST /api/offerings/{id}/learners/",
        lambda h: f"/api/offerings/{h.offering.pk}/learners/",
        lambda h: {"rows": [{"email": "newcomer@example.org", "name": "New Comer"}]},
        sees=VIEW_OFFERINGS,
        needs="monitoring.manage_offerings",
    ),
    Endpoint(
        "POST /api/offerings/{id}/issue/",
        lambda h: f"/api/offerings/{h.offering.pk}/issue/",
        lambda h: {"rows": [{"email": f"{h.offering.code[:3].lower()}2@example.org", "grade": "B"}]},
        sees=VIEW_OFFERINGS,
        needs="issuance.issue_credentials",
    ),
    Endpoint("GET /api/credentials/", lambda h: "/api/credentials/", signed_in=True),
    Endpoint(
        "GET /api/credentials/{id}/",
        lambda h: f"/api/credentials/{h.active.pk}/",
        signed_in=True,
        sees=VIEW_CREDENTIALS,
    ),
    Endpoint(
        "POST /api/credentials/{id}/revoke/",
        lambda h: f"/api/credentials/{h.active.pk}/revoke/",
        lambda h: REASON,
        sees=VIEW_CREDENTIALS,
        needs="issuance.change_credential_status",
    ),
    Endpoint(
        "POST /api/credentials/{id}/suspend/",
        lambda h: f"/api/credentials/{h.active.pk}/suspend/",
        lambda h: REASON,
        sees=VIEW_CREDENTIALS,
        needs="issuance.change_credential_status",
    ),
    Endpoint(
        "POST /api/credentials/{id}/reinstate/",
        lambda h: f"/api/credentials/{h.suspended.pk}/reinstate/",
        lambda h: REASON,
        sees=VIEW_CREDENTIALS,
        needs="issuance.change_credential_status",
    ),
    Endpoint("GET /api/issuer-keys/", lambda h: "/api/issuer-keys/", signed_in=True),
    Endpoint(
        "POST /api/issuer-keys/rotate/",
        lambda h: "/api/issuer-keys/rotate/",
        lambda h: {"organisation": h.organisation.pk},
        needs="issuance.manage_keys",
        success=201,
    ),
    Endpoint("POST /api/verify/", lambda h: "/api/verify/", lambda h: h.signed, public=True),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_permission_matrix(scene: Scene, endpoint: Endpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None

    response = call(client, endpoint.method, endpoint.url(holdings), body)

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} organisation's object: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_the_table_uses_every_permission_of_issuance_and_monitoring():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    # monitoring's other permissions are in test_permission_matrix_monitoring.py and tests/monitoring
    mine = {p for p in REGISTERED if p.split(".")[0] == "issuance"} | {
        "monitoring.view_offerings",
        "monitoring.manage_offerings",
    }

    assert mine - used == set()


def test_lists_show_nothing_of_another_organisation(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["qa_officer"].pk))
    other = scene.holdings["other"]

    offerings = client.get("/api/offerings/").data["results"]
    credentials = client.get("/api/credentials/").data["results"]

    assert other.offering.pk not in [o["id"] for o in offerings]
    assert other.active.pk not in [c["id"] for c in credentials]
    assert scene.holdings["own"].active.pk in [c["id"] for c in credentials]


def test_no_api_answer_holds_a_private_key(scene: Scene):
    client = client_for(User.objects.get(pk=scene.users["platform_admin"].pk))

    answers = [
        client.get(url).content.decode()
        for url in ("/api/issuer-keys/", f"/api/credentials/{scene.holdings['own'].active.pk}/")
    ]

    for answer in answers:
        assert "encrypted_private_key" not in answer
        assert "privateKey" not in answer
