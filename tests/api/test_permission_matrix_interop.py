"""The interop part of the permission matrix (see test_permission_matrix.py): every import API operation
x every role, in its own organisation and in another."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from credence.interop import services
from credence.interop.models import ColumnMapping, ImportJob
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User

from ..factories import make_organisation, make_platform_admin, make_user
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, expected_status

pytestmark = pytest.mark.django_db

CSV = b"Code,Title,Credits\nAPI-1,Imported through the API,5 ECTS\n"


@dataclass
class Holdings:
    organisation: Organisation
    job: ImportJob
    mapping: ColumnMapping


@dataclass
class Scene:
    holdings: dict[str, Holdings]
    users: dict[str, User] = field(default_factory=dict)


def _holdings(name: str) -> Holdings:
    organisation = make_organisation(name)
    job = services.start_import(
        actor=None, organisation=organisation, upload=SimpleUploadedFile("c.csv", CSV)
    )
    mapping = services.save_mapping(
        actor=None, organisation=organisation, name="Sheet", columns={"Code": "code"}
    )
    return Holdings(organisation, job, mapping)


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Scene]:
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        built = Scene(
            holdings={
                "own": _holdings("Interop Own University"),
                "other": _holdings("Interop Other University"),
            }
        )
        own = built.holdings["own"].organisation
        for role in Role:
            built.users[role.value] = make_user(own, [role.value], username=f"interop_{role.value}")
        built.users["nobody"] = make_user(None, username="interop_nobody")
        built.users["platform_admin"] = make_platform_admin("interop_admin")
        yield built
        transaction.set_rollback(True)


@dataclass(frozen=True)
class InteropEndpoint(Endpoint):
    multipart: bool = False


ENDPOINTS = [
    InteropEndpoint("GET /api/import/jobs/", lambda h: "/api/import/jobs/"),
    InteropEndpoint(
        "GET /api/import/jobs/{id}/",
        lambda h: f"/api/import/jobs/{h.job.pk}/",
        sees="interop.import_catalogue",
    ),
    InteropEndpoint(
        "POST /api/import/jobs/",
        lambda h: "/api/import/jobs/",
        lambda h: {"organisation": h.organisation.pk, "dry_run": "true"},
        needs="interop.import_catalogue",
        success=201,
        multipart=True,
    ),
    InteropEndpoint("GET /api/import/mappings/", lambda h: "/api/import/mappings/"),
    InteropEndpoint(
        "POST /api/import/mappings/",
        lambda h: "/api/import/mappings/",
        lambda h: {
            "organisation": h.organisation.pk,
            "name": "Records system",
            "columns": {"MODCODE": "code"},
        },
        needs="interop.manage_mappings",
        success=201,
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_interop_permission_matrix(scene: Scene, endpoint: InteropEndpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None
    send = getattr(client, endpoint.method.lower())
    if endpoint.multipart and body is not None:
        response = send(
            endpoint.url(holdings), {**body, "file": SimpleUploadedFile("c.csv", CSV)}, format="multipart"
        )
    elif body is not None:
        response = send(endpoint.url(holdings), body, format="json")
    else:
        response = send(endpoint.url(holdings))
    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} in the {owner} organisation: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_lists_show_only_the_organisations_where_one_may_import(scene: Scene):
    own, other = scene.holdings["own"], scene.holdings["other"]
    client = client_for(User.objects.get(pk=scene.users["proposer"].pk))
    jobs = client.get("/api/import/jobs/").json()["results"]
    assert [j["id"] for j in jobs] == [own.job.pk]
    mappings = client.get("/api/import/mappings/").json()["results"]
    assert [m["id"] for m in mappings] == [own.mapping.pk]
    reviewer = client_for(User.objects.get(pk=scene.users["reviewer"].pk))
    assert reviewer.get("/api/import/jobs/").json()["results"] == []
    assert other.job.pk not in [j["id"] for j in jobs]


def test_an_import_through_the_api_previews_then_imports(scene: Scene):
    own = scene.holdings["own"]
    client = client_for(User.objects.get(pk=scene.users["qa_officer"].pk))
    upload = SimpleUploadedFile("c.csv", CSV)
    preview = client.post(
        "/api/import/jobs/",
        {"organisation": own.organisation.pk, "file": upload, "dry_run": "true"},
        format="multipart",
    )
    assert preview.status_code == 201
    assert preview.json()["report"][0]["action"] == "create" and preview.json()["status"] == "previewed"
    done = client.post(
        "/api/import/jobs/",
        {
            "organisation": own.organisation.pk,
            "file": SimpleUploadedFile("c.csv", CSV),
            "columns": '{"Credits": ""}',
        },
        format="multipart",
    )
    assert done.status_code == 201, done.json()
    assert done.json()["status"] == "done" and done.json()["counts"]["create"] == 1
    assert done.json()["mapping"]["Credits"] == ""
    status = client.get(f"/api/import/jobs/{done.json()['id']}/").json()
    assert status["progress"] == 100


def test_a_bad_file_through_the_api_is_a_400_naming_the_problem(scene: Scene):
    own = scene.holdings["own"]
    client = client_for(User.objects.get(pk=scene.users["proposer"].pk))
    response = client.post(
        "/api/import/jobs/",
        {"organisation": own.organisation.pk, "file": SimpleUploadedFile("c.xlsx", CSV)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "not an Excel workbook" in response.json()["errors"]["file"][0]


def test_the_table_uses_every_interop_permission():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    interop = {p for p in REGISTERED if p.startswith("interop.")}
    # Importing as approved is a choice within POST /api/import/jobs/ (tests/interop/test_import.py).
    assert interop - used == {"interop.import_approved"}
