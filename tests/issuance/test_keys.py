"""Issuer keys: encrypted at rest, published as did:web, rotated without breaking older credentials."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from credence.audit.models import AuditEvent
from credence.issuance import services, verification
from credence.issuance.models import IssuerKey

from .conftest import document, issue

pytestmark = pytest.mark.django_db


def test_the_private_key_is_stored_encrypted_and_never_published(world, offering, client):
    credential = issue(offering, ["ada@example.org"])[0]
    key = IssuerKey.objects.get(organisation=world.home)
    from cryptography.hazmat.primitives import serialization

    from credence.issuance.crypto import decrypt_private_key

    raw = decrypt_private_key(key.encrypted_private_key).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw.hex() not in key.encrypted_private_key
    published = client.get(f"/issuers/{world.home.slug}/did.json").content.decode()
    events = json.dumps(list(AuditEvent.objects.values("changes")), default=str)
    for text in (published, credential.signed_json, events):
        assert key.encrypted_private_key not in text
        assert raw.hex() not in text


def test_the_did_document_lists_the_key_as_an_assertion_method(world, offering, client):
    credential = issue(offering, ["ada@example.org"])[0]

    response = client.get(f"/issuers/{world.home.slug}/did.json")

    assert response.status_code == 200
    did = response.json()
    assert did["id"] == credential.key.did
    assert did["assertionMethod"] == [credential.key.verification_method]
    assert did["verificationMethod"][0]["publicKeyMultibase"] == credential.key.public_key_multibase


def test_rotation_keeps_older_credentials_verifiable(world, offering, client):
    before = issue(offering, ["ada@example.org"])[0]

    new_key = services.rotate_issuer_key(actor=world.user("org_admin"), organisation=world.home)
    after = issue(offering, ["alan@example.org"])[0]

    assert after.key == new_key and before.key != new_key
    assert IssuerKey.objects.get(pk=before.key.pk).retired_at is not None
    report = verification.verify(document(before))
    assert report.valid, report.reason
    assert "retired" in next(c for c in report.checks if c.name == "signature").message
    assert verification.verify(document(after)).valid
    did = client.get(f"/issuers/{world.home.slug}/did.json").json()
    assert len(did["assertionMethod"]) == 2


def test_only_an_organisation_admin_rotates_keys(world):
    for user in (world.user("qa_officer"), world.outsider_qa):
        with pytest.raises(PermissionDenied):
            services.rotate_issuer_key(actor=user, organisation=world.home)


def test_credentials_can_name_the_issuer_by_did_key(offering):
    credential = issue(offering, ["ada@example.org"], did_method="key")[0]
    data = document(credential)

    assert data["issuer"]["id"] == f"did:key:{credential.key.public_key_multibase}"
    report = verification.verify(data)
    assert report.valid, report.reason
    assert report.issuer_key == credential.key
