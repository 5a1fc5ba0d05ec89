"""The permission matrix: every API action x every role, in its own and in another organisation.

`ENDPOINTS` is the one table of actions: how to call each, what it needs to *see* its target (else 404)
and what it needs to *do* it (else 403). The expected answer is derived from the permission tables the
apps register (`credence.organisations.authorization.REGISTERED`), never written out by hand, so a change
to a table changes the expectations, and an endpoint added to `ENDPOINTS` is checked for every role.
`test_every_api_operation_is_in_the_table` makes sure no endpoint is left out of it.

The objects are built once for the module; each test runs in a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from credence.audit.models import AuditEvent
from credence.microcredentials import services as mc_services
from credence.microcredentials.models import MicroCredentialVersion, Partnership
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Membership, Organisation, Role, User

from ..factories import make_organisation, make_platform_admin, make_user, make_version
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, call, expected_status

pytestmark = pytest.mark.django_db


@dataclass
class Holdings:
    """What one organisation owns, to aim each action at."""

    organisation: Organisation
    draft_only: MicroCredentialVersion  # a micro-credential with nothing but a draft
    published: MicroCredentialVersion  # published, no draft; it has a partner
    partnership: Partnership
    draft: MicroCredentialVersion  # draft v2 of a micro-credential whose v1 is published
    draft_base: MicroCredentialVersion  # that published v1
    in_review: MicroCredentialVersion
    approved: MicroCredentialVersion
    member: Membership  # someone else's membership
    event: AuditEvent  # the organisation's first audit event


@dataclass
class Scene:
    holdings: dict[str, Holdings]  # "own" (where the role is held) and "other"
    users: dict[str, User] = field(default_factory=dict)  # principal name -> user


def _holdings(organisation: Organisation, partner: Organisation, tag: str) -> Holdings:
    published = make_version(organisation, status="published", code=f"{tag}-PUB")
    draft_base = make_version(organisation, status="published", code=f"{tag}-V2")
    return Holdings(
        organisation=organisation,
        draft_only=make_version(organisation, code=f"{tag}-DRAFT"),
        published=published,
        partnership=mc_services.add_partner(
            actor=None, micro_credential=published.micro_credential, organisation=partner, role="co-provider"
        ),
        draft=mc_services.start_new_version(actor=None, micro_credential=draft_base.micro_credential),
        draft_base=draft_base,
        in_review=make_version(organisation, status="in_review", code=f"{tag}-REV"),
        approved=make_version(organisation, status="approved", code=f"{tag}-APP"),
        member=Membership.objects.get(user=make_user(organisation, ["proposer"], username=f"{tag}_member")),
        event=AuditEvent.objects.filter(organisation=organisation).order_by("sequence")[0],
    )


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        own, other = make_organisation("Own University"), make_organisation("Other University")
        built = Scene(holdings={"own": _holdings(own, other, "OWN"), "other": _holdings(other, own, "OTH")})
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"matrix_{role.value}")
        built.users["nobody"] = make_user(None, username="matrix_nobody")
        built.users["platform_admin"] = make_platform_admin("matrix_admin")
        yield built
        transaction.set_rollback(True)


# --- the table ---------------------------------------------------------------------------------------------

UNPUBLISHED = "microcredentials.view_unpublished"

ENDPOINTS = [
    # organisations: public to read
    Endpoint("GET /api/organisations/", lambda h: "/api/organisations/"),
    Endpoint("GET /api/organisations/{id}/", lambda h: f"/api/organisations/{h.organisation.pk}/"),
    Endpoint(
        "POST /api/organisations/",
        lambda h: "/api/organisations/",
        lambda h: {
            "name": "Newly registered",
            "kind": "college",
            "locations": [{"country": "FR", "city": "Lyon", "is_legal_seat": True}],
        },
        needs="organisations.add_organisation",
        success=201,
    ),
    Endpoint(
        "PATCH /api/organisations/{id}/",
        lambda h: f"/api/organisations/{h.organisation.pk}/",
        lambda h: {"lock_version": h.organisation.lock_version, "acronym": "NEW"},
        needs="organisations.change_organisation",
    ),
    # memberships
    Endpoint("GET /api/memberships/", lambda h: "/api/memberships/", signed_in=True),
    Endpoint(
        "GET /api/memberships/{id}/",
        lambda h: f"/api/memberships/{h.member.pk}/",
        signed_in=True,
        sees="organisations.view_memberships",
    ),
    Endpoint(
        "POST /api/memberships/",
        lambda h: "/api/memberships/",
        lambda h: {"organisation": h.organisation.pk, "email": "newcomer@example.org", "roles": ["reviewer"]},
        needs="organisations.manage_memberships",
        success=201,
    ),
    Endpoint(
        "PATCH /api/memberships/{id}/",
        lambda h: f"/api/memberships/{h.member.pk}/",
        lambda h: {"roles": ["reviewer"]},
        sees="organisations.view_memberships",
        needs="organisations.manage_memberships",
    ),
    # micro-credentials
    Endpoint("GET /api/micro-credentials/", lambda h: "/api/micro-credentials/"),
    Endpoint(
        "GET /api/micro-credentials/{id}/",
        lambda h: f"/api/micro-credentials/{h.published.micro_credential_id}/",
        label="GET /api/micro-credentials/{id}/ published",
    ),
    Endpoint(
        "GET /api/micro-credentials/{id}/",
        lambda h: f"/api/micro-credentials/{h.draft_only.micro_credential_id}/",
        sees=UNPUBLISHED,
        label="GET /api/micro-credentials/{id}/ draft only",
    ),
    Endpoint(
        "POST /api/micro-credentials/",
        lambda h: "/api/micro-credentials/",
        lambda h: {"organisation": h.organisation.pk, "code": "BRAND-NEW", "title": "Brand new"},
        needs="microcredentials.add_microcredential",
        success=201,
    ),
    Endpoint(
        "POST /api/micro-credentials/{id}/new-version/",
        lambda h: f"/api/micro-credentials/{h.published.micro_credential_id}/new-version/",
        needs="microcredentials.start_new_version",
        success=201,
    ),
    Endpoint(
        "GET /api/micro-credentials/{id}/versions/",
        lambda h: f"/api/micro-credentials/{h.published.micro_credential_id}/versions/",
    ),
    Endpoint(
        "POST /api/micro-credentials/{id}/partners/",
        lambda h: f"/api/micro-credentials/{h.draft_only.micro_credential_id}/partners/",
        lambda h: {"organisation": h.organisation.pk, "role": "industry partner"},
        sees=UNPUBLISHED,
        needs="microcredentials.manage_partners",
        success=201,
    ),
    Endpoint(
        "DELETE /api/micro-credentials/{id}/partners/{partnership_id}/",
        lambda h: f"/api/micro-credentials/{h.published.micro_credential_id}/partners/{h.partnership.pk}/",
        needs="microcredentials.manage_partners",
        success=204,
    ),
    # versions
    Endpoint("GET /api/versions/", lambda h: "/api/versions/"),
    Endpoint(
        "GET /api/versions/{id}/",
        lambda h: f"/api/versions/{h.published.pk}/",
        label="GET /api/versions/{id}/ published",
    ),
    Endpoint(
        "GET /api/versions/{id}/",
        lambda h: f"/api/versions/{h.draft.pk}/",
        sees=UNPUBLISHED,
        label="GET /api/versions/{id}/ draft",
    ),
    Endpoint(
        "PATCH /api/versions/{id}/",
        lambda h: f"/api/versions/{h.draft.pk}/",
        lambda h: {"lock_version": h.draft.lock_version, "title": "Changed"},
        sees=UNPUBLISHED,
        needs="microcredentials.change_draft",
    ),
    Endpoint(
        "PUT /api/versions/{id}/",
        lambda h: f"/api/versions/{h.draft.pk}/",
        lambda h: {"lock_version": h.draft.lock_version, "title": "Replaced"},
        sees=UNPUBLISHED,
        needs="microcredentials.change_draft",
    ),
    Endpoint(
        "POST /api/versions/{id}/submit/",
        lambda h: f"/api/versions/{h.draft.pk}/submit/",
        lambda h: {"lock_version": h.draft.lock_version},
        sees=UNPUBLISHED,
        needs="microcredentials.submit_version",
    ),
    Endpoint(
        "POST /api/versions/{id}/approve/",
        lambda h: f"/api/versions/{h.in_review.pk}/approve/",
        sees=UNPUBLISHED,
        needs="microcredentials.approve_version",
    ),
    Endpoint(
        "POST /api/versions/{id}/publish/",
        lambda h: f"/api/versions/{h.approved.pk}/publish/",
        sees=UNPUBLISHED,
        needs="microcredentials.publish_version",
    ),
    Endpoint(
        "POST /api/versions/{id}/retire/",
        lambda h: f"/api/versions/{h.published.pk}/retire/",
        lambda h: {"reason": "No longer offered."},
        needs="microcredentials.retire_version",
    ),
    Endpoint(
        "GET /api/versions/{id}/diff/",
        lambda h: f"/api/versions/{h.draft.pk}/diff/?against={h.draft_base.pk}",
        sees=UNPUBLISHED,
    ),
    Endpoint(
        "GET /api/versions/{id}/warnings/",
        lambda h: f"/api/versions/{h.published.pk}/warnings/",
        label="GET /api/versions/{id}/warnings/ published",
    ),
    Endpoint(
        "GET /api/versions/{id}/warnings/",
        lambda h: f"/api/versions/{h.draft.pk}/warnings/",
        sees=UNPUBLISHED,
        label="GET /api/versions/{id}/warnings/ draft",
    ),
    # the audit log
    Endpoint("GET /api/audit-events/", lambda h: "/api/audit-events/", signed_in=True),
    Endpoint(
        "GET /api/audit-events/{id}/",
        lambda h: f"/api/audit-events/{h.event.pk}/",
        signed_in=True,
        sees="audit.view_events",
    ),
    # the schema and the token are for everyone; they are tested on their own
    Endpoint("GET /api/schema/", lambda h: "/api/schema/?format=json"),
]

# --- who asks ------------------------------------------------------------------------------------------------


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


def _operations_in_every_matrix() -> set[str]:
    """Each app with an API may keep its own matrix module (test_permission_matrix_<app>.py) with an
    ENDPOINTS table of the same kind; together they must cover every operation in the schema."""
    import importlib
    from pathlib import Path

    operations = {endpoint.operation for endpoint in ENDPOINTS}
    for path in sorted(Path(__file__).parent.glob("test_permission_matrix_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        operations |= {endpoint.operation for endpoint in module.ENDPOINTS}
    return operations


def test_every_api_operation_is_in_the_table():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    in_table = _operations_in_every_matrix()
    tested_on_their_own = {"POST /api/auth/token/"}

    assert operations - in_table - tested_on_their_own == set()
    assert in_table - operations <= {"GET /api/schema/"}


def test_the_table_uses_every_permission_of_the_apps_with_an_api():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    with_api = {p for p in REGISTERED if p.split(".")[0] in ("organisations", "microcredentials", "audit")}

    assert with_api - used == set()
