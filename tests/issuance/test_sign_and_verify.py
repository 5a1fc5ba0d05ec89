"""A credential Credence issues verifies; changed, re-signed or oddly built ones do not, with the reason."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from credence.issuance import crypto, proofs, verification
from credence.issuance.signing import identity_hash

from .conftest import document, issue

pytestmark = pytest.mark.django_db

VECTOR = Path(__file__).parent / "data" / "1edtech-vector"  # from the OB 3.0 implementation guide


def test_an_issued_credential_verifies(offering):
    credential = issue(offering)[0]

    report = verification.verify(document(credential))

    assert report.valid, report.checks
    assert report.credential == credential
    assert "registered in Credence" in next(c for c in report.checks if c.name == "issuer").message


def test_the_credential_carries_the_open_badges_shape(offering):
    credential = issue(offering, ["ada@example.org"])[0]
    data = document(credential)

    assert data["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert data["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert data["issuer"]["id"].startswith("did:web:")
    identity = data["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == identity_hash("ada@example.org", identity["salt"])
    assert "ada@example.org" not in json.dumps(data)
    proof = data["proof"][0]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].startswith(data["issuer"]["id"] + "#z6Mk")


def test_a_changed_credential_fails(offering):
    data = document(issue(offering)[0])
    data["credentialSubject"]["achievement"]["name"] = "Advanced rocket science"

    report = verification.verify(data)

    assert not report.valid
    assert "changed after signing" in report.reason


def test_a_credential_signed_with_another_key_fails(offering):
    data = document(issue(offering)[0])
    unsigned = {k: v for k, v in data.items() if k != "proof"}
    stranger, _ = crypto.generate_key_pair()
    forged = proofs.sign(
        unsigned,
        private_key=stranger,
        verification_method=data["proof"][0]["verificationMethod"],
        created=data["proof"][0]["created"],
    )

    report = verification.verify(forged)

    assert not report.valid
    assert "different key" in report.reason


def test_a_credential_with_an_unknown_context_fails(offering):
    data = document(issue(offering)[0])
    data["@context"] = [*data["@context"], "https://example.com/evil-context.jsonld"]

    report = verification.verify(data)

    assert not report.valid
    assert "https://example.com/evil-context.jsonld" in report.reason


def test_an_unsigned_credential_fails(offering):
    data = document(issue(offering)[0])
    del data["proof"]

    assert "no proof" in verification.verify(data).reason


def test_a_key_credence_cannot_resolve_is_named(offering):
    data = document(issue(offering)[0])
    data["proof"][0]["verificationMethod"] = "did:web:elsewhere.example#z6MkfakeKey"

    report = verification.verify(data)

    assert not report.valid
    assert "did:web:elsewhere.example#z6MkfakeKey" in report.reason


def test_the_1edtech_test_vector_signature_holds():
    """The worked example from the OB 3.0 implementation guide, checked with our proof code."""
    signed = json.loads((VECTOR / "signed-credential.json").read_text())
    key = json.loads((VECTOR / "key.json").read_text())
    public_key = crypto.public_key_from_multibase(key["publicKeyMultibase"])

    proofs.check_proof(signed, signed["proof"], public_key)

    changed = copy.deepcopy(signed)
    changed["name"] = "Another badge"
    with pytest.raises(proofs.ProofError):
        proofs.check_proof(changed, changed["proof"], public_key)
