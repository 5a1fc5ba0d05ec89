"""The API describes itself: a valid OpenAPI 3 schema, and Swagger UI served from this site only."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_it_serves_a_valid_openapi_3_schema(schema):
    validate(schema)

    assert schema["openapi"].startswith("3.")
    assert "/api/versions/{id}/" in schema["paths"]


def test_it_documents_both_ways_of_signing_in(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert schemes["cookieAuth"]["in"] == "cookie"
    # An organisation's scoped API token (integrations) is the third way; its scopes are in its description.
    assert schemes["apiToken"]["scheme"] == "bearer"
    assert "microcredentials:write" in schemes["apiToken"]["description"]
    security = schema["paths"]["/api/versions/{id}/"]["patch"]["security"]
    assert sorted(security, key=str) == [
        {"apiToken": ["microcredentials:write"]},
        {"cookieAuth": []},
        {"tokenAuth": []},
    ]
    # Operations closed to API tokens do not list them.
    publish = schema["paths"]["/api/versions/{id}/publish/"]["post"]["security"]
    assert all("apiToken" not in requirement for requirement in publish) and {"tokenAuth": []} in publish


def test_it_documents_decimals_as_strings(schema):
    document = schema["components"]["schemas"]["VersionDocument"]["properties"]

    assert document["credits"]["type"] == "string"
    assert document["credits"]["format"] == "decimal"


def test_it_documents_lock_version_as_required_on_every_write(schema):
    components = schema["components"]["schemas"]

    for name in (
        "VersionDocumentRequest",
        "PatchedVersionDocumentRequest",
        "PatchedOrganisationUpdateRequest",
    ):
        assert "lock_version" in components[name]["required"], name
    responses = schema["paths"]["/api/versions/{id}/"]["patch"]["responses"]
    assert set(responses) == {"200", "400", "403", "404", "409"}


def test_it_generates_the_schema_without_warnings(tmp_path):
    GENERATOR_STATS.reset()

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


@pytest.mark.django_db
def test_it_serves_the_documentation_page_from_local_assets_only():
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"(https?:)?//[a-z0-9.-]+", html, re.IGNORECASE), "references another host"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in source for source in sources)


@pytest.mark.django_db
def test_it_serves_the_documentation_script_separately_and_allows_no_other_origin():
    page = APIClient().get("/api/docs/")
    script = APIClient().get("/api/docs/?script=")

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert not re.search(r"https?://", policy)
