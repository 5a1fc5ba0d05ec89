"""Organisation API tokens: a secret shown once, scopes enforced on every call, expiry and revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from credence.audit.models import AuditEvent
from credence.integrations import services
from credence.integrations.models import ApiToken, Scope
from credence.microcredentials.models import MicroCredential

from ..factories import COMPLETE, PASSWORD, make_version

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def new_token(world, scopes, **kwargs):
    return services.create_api_token(
        actor=world.user("org_admin"),
        organisation=world.home,
        name="Student records",
        scopes=scopes,
        **kwargs,
    )


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(world):
    token, secret = new_token(world, ["catalogue:read"])

    assert secret.startswith(f"cred_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.split("_", 2)[2] not in stored.secret_hash
    assert services.token_for_secret(secret) == stored
    assert services.token_for_secret(secret + "x") is None


def test_a_read_token_reads_the_organisations_micro_credentials(world):
    version = make_version(world.home, code="HOME-1")
    make_version(world.other, code="OTHER-1")
    _, secret = new_token(world, ["catalogue:read"])

    response = bearer(secret).get("/api/micro-credentials/")

    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert "HOME-1" in codes
    assert bearer(secret).get(f"/api/versions/{version.pk}/").status_code == 200


def test_a_token_beyond_its_scope_is_refused_with_the_missing_scope_named(world):
    _, secret = new_token(world, ["catalogue:read"])
    before = MicroCredential.objects.count()

    response = bearer(secret).post(
        "/api/micro-credentials/",
        {"organisation": world.home.slug, "code": "NEW-1", "title": "New", **COMPLETE},
        format="json",
    )

    assert response.status_code == 403
    assert "microcredentials:write" in response.json()["detail"]
    assert MicroCredential.objects.count() == before


def test_a_write_token_creates_a_draft_acting_as_its_service_account(world):
    token, secret = new_token(world, ["catalogue:read", "microcredentials:write"])

    response = bearer(secret).post(
        "/api/micro-credentials/",
        {"organisation": world.home.pk, "code": "NEW-2", "title": "New course", **COMPLETE},
        format="json",
    )

    assert response.status_code == 201, response.json()
    created = MicroCredential.objects.get(code="NEW-2")
    assert created.organisation == world.home
    event = AuditEvent.objects.get(action="microcredential.created", object_id=str(created.pk))
    assert event.actor == token.service_user


def test_publishing_stays_with_people_whatever_the_scopes(world):
    version = make_version(world.home, status="approved")
    _, secret = new_token(world, ["catalogue:read", "microcredentials:write", "credentials:issue"])

    response = bearer(secret).post(f"/api/versions/{version.pk}/publish/", {}, format="json")

    assert response.status_code == 403
    assert "API tokens cannot be used" in response.json()["detail"]
    version.refresh_from_db()
    assert version.status == "approved"


def test_endpoints_not_in_the_scope_map_are_refused(world):
    _, secret = new_token(world, ["catalogue:read", "microcredentials:write", "import", "credentials:issue"])

    response = bearer(secret).get("/api/audit-events/")

    assert response.status_code == 403
    assert "API tokens cannot be used for GET /api/audit-events/" in response.json()["detail"]


def test_a_revoked_token_no_longer_works(world):
    token, secret = new_token(world, ["catalogue:read"])
    services.revoke_api_token(actor=world.user("org_admin"), token=token)

    response = bearer(secret).get("/api/micro-credentials/")

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token was revoked."


def test_an_expired_token_no_longer_works(world):
    token, secret = new_token(world, ["catalogue:read"], expires_at=timezone.now() + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = bearer(secret).get("/api/micro-credentials/")

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token has expired."


def test_an_unknown_token_is_refused(world):
    assert bearer("cred_00000000_nope").get("/api/micro-credentials/").status_code == 401


def test_use_is_recorded(world):
    token, secret = new_token(world, ["catalogue:read"])
    bearer(secret).get("/api/micro-credentials/")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_persons_own_token_still_works_next_to_api_tokens(world):
    key = (
        APIClient()
        .post("/api/auth/token/", {"username": "home_proposer", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # People are not limited by the scope map: the audit log is open to them, closed to API tokens.
    assert client.get("/api/audit-events/").status_code == 200


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ([], "at least one scope"),
        (["catalogue:write"], "Unknown scope"),
    ],
)
def test_bad_scopes_are_refused_and_nothing_is_created(world, scopes, message):
    before = ApiToken.objects.count()
    with pytest.raises(ValidationError) as refused:
        new_token(world, scopes)
    assert message in str(refused.value.message_dict["scopes"])
    assert ApiToken.objects.count() == before


def test_only_organisation_admins_create_tokens(world):
    with pytest.raises(PermissionDenied):
        services.create_api_token(
            actor=world.user("qa_officer"), organisation=world.home, name="X", scopes=["catalogue:read"]
        )
    with pytest.raises(PermissionDenied):
        services.create_api_token(
            actor=world.outsider_qa, organisation=world.home, name="X", scopes=["catalogue:read"]
        )


@pytest.mark.parametrize(
    ("scopes", "method", "url", "want"),
    [
        (["credentials:issue"], "get", "/api/offerings/", 200),
        (["credentials:issue"], "get", "/api/credentials/", 200),
        (["catalogue:read"], "get", "/api/offerings/", 403),
        (["credentials:issue"], "get", "/api/micro-credentials/", 403),
        (["import"], "get", "/api/versions/", 403),
        # Tokens cannot manage tokens or webhooks, nor reach people's own resources.
        (list(Scope.values), "get", "/api/integrations/tokens/", 403),
        (list(Scope.values), "post", "/api/integrations/webhooks/", 403),
        (list(Scope.values), "get", "/api/memberships/", 403),
        (list(Scope.values), "get", "/api/issuer-keys/", 403),
        (["import"], "get", "/api/import/jobs/", 200),
        (["catalogue:read"], "get", "/api/import/jobs/", 403),
        (list(Scope.values), "get", "/api/proposals/", 403),
        # The schema is open to any token.
        (["import"], "get", "/api/schema/", 200),
    ],
)
def test_the_scope_map(world, scopes, method, url, want):
    _, secret = new_token(world, scopes)

    response = (
        getattr(bearer(secret), method)(url, {}, format="json")
        if method == "post"
        else bearer(secret).get(url)
    )

    assert response.status_code == want, response.content[:300]


def test_tokens_of_one_organisation_see_nothing_of_another(world):
    make_version(world.other, code="OTHER-9")
    _, secret = new_token(world, ["catalogue:read"])

    codes = {row["code"] for row in bearer(secret).get("/api/micro-credentials/").json()["results"]}

    assert "OTHER-9" not in codes
