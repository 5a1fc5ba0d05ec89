"""Each credential is also issued as a VC-JWT (EdDSA); it verifies, and a changed one does not."""

from __future__ import annotations

import json

import pytest

from credence.issuance import vc_jwt, verification
from credence.issuance.models import IssuedCredential

from .conftest import issue

pytestmark = pytest.mark.django_db


def _jwt(offering) -> tuple[IssuedCredential, str]:
    credential = IssuedCredential.objects.get(pk=issue(offering, ["ada@example.org"])[0].pk)
    return credential, credential.signed_jwt


def test_the_vc_jwt_carries_the_credential_and_the_jwt_claims(offering):
    credential, token = _jwt(offering)

    header, payload = vc_jwt.read(token)

    document = json.loads(credential.signed_json)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": document["proof"][0]["verificationMethod"]}
    assert payload["iss"] == document["issuer"]["id"]
    assert payload["jti"] == credential.credential_id
    assert vc_jwt.credential_of(payload) == document


def test_a_vc_jwt_verifies_and_a_changed_one_fails(offering):
    _, token = _jwt(offering)

    report = verification.verify_jwt(token)
    assert report.valid, report.reason
    assert report.checks[0].name == "jwt"

    head, _body, signature = token.split(".")
    _header, payload = vc_jwt.read(token)
    payload["name"] = "Something grander"
    forged_body = vc_jwt._b64(json.dumps(payload).encode())
    forged = verification.verify_jwt(f"{head}.{forged_body}.{signature}")
    assert not forged.valid
    assert "signature does not match" in forged.reason


def test_the_verification_page_and_api_take_a_vc_jwt(client, offering):
    credential, token = _jwt(offering)

    page = client.post("/verify/", {"credential": token}).content.decode()
    api = client.post("/api/verify/", {"jwt": token}, content_type="application/json").json()
    download = client.get(f"/credentials/claim/{credential.claim_token}/credential.jwt")

    assert "Valid credential" in page
    assert api["valid"] is True
    assert download.content.decode() == token
