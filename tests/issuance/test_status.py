"""Revoking and suspending: the status list bits, the published list credential, and verification."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.issuance import crypto, proofs, services, status_lists, verification
from credence.issuance.models import StatusList

from .conftest import document, issue

pytestmark = pytest.mark.django_db


def _bits(organisation, purpose):
    found = StatusList.objects.get(organisation=organisation, purpose=purpose)
    return status_lists.decode(json.loads(found.signed_json)["credentialSubject"]["encodedList"])


def test_revoking_sets_the_bit_and_verification_fails_with_the_reason(world, offering):
    first, second, third = issue(offering)

    services.revoke_credential(actor=world.user("qa_officer"), credential=second, reason="Awarded in error.")

    bits = _bits(world.home, "revocation")
    assert [status_lists.get_bit(bits, c.status_index) for c in (first, second, third)] == [
        False,
        True,
        False,
    ]
    report = verification.verify(document(second))
    assert not report.valid
    assert "revoked" in report.reason and "Awarded in error." in report.reason
    assert verification.verify(document(first)).valid


def test_suspension_can_be_lifted(world, offering):
    credential = issue(offering, ["ada@example.org"])[0]
    qa = world.user("qa_officer")

    services.suspend_credential(actor=qa, credential=credential, reason="Under investigation.")
    assert "suspended" in verification.verify(document(credential)).reason
    assert status_lists.get_bit(_bits(world.home, "suspension"), credential.status_index)

    services.reinstate_credential(actor=qa, credential=credential, reason="Cleared.")
    assert verification.verify(document(credential)).valid


def test_a_revocation_is_final_and_needs_a_reason(world, offering):
    credential = issue(offering, ["ada@example.org"])[0]
    qa = world.user("qa_officer")
    with pytest.raises(ValidationError) as error:
        services.revoke_credential(actor=qa, credential=credential, reason=" ")
    assert "reason" in error.value.message_dict

    services.revoke_credential(actor=qa, credential=credential, reason="Plagiarism.")
    with pytest.raises(ValidationError):
        services.suspend_credential(actor=qa, credential=credential, reason="Again.")


def test_only_the_issuing_organisation_may_revoke(world, offering):
    credential = issue(offering, ["ada@example.org"])[0]

    for user in (world.outsider_qa, world.user("proposer"), world.nobody):
        with pytest.raises(PermissionDenied):
            services.revoke_credential(actor=user, credential=credential, reason="Mine now.")


def test_the_status_list_credential_is_signed_and_published(world, offering, client):
    credential = issue(offering, ["ada@example.org"])[0]
    services.revoke_credential(actor=None, credential=credential, reason="Test.")

    response = client.get(f"/issuers/{world.home.slug}/status/revocation")

    assert response.status_code == 200
    listed = json.loads(response.content)
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    key = crypto.public_key_from_multibase(listed["proof"][0]["verificationMethod"].split("#")[1])
    proofs.check_proof(listed, listed["proof"][0], key)
    bits = status_lists.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == status_lists.LIST_SIZE
    assert status_lists.get_bit(bits, credential.status_index)


def test_the_bit_order_follows_the_specification():
    bits = status_lists.set_bit(status_lists.empty_bits(), 0, True)
    bits = status_lists.set_bit(bits, 9, True)

    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert status_lists.decode(status_lists.encode(bits)) == bits


def test_both_lists_are_published_as_soon_as_credentials_exist(world, offering, client):
    issue(offering, ["ada@example.org"])

    for purpose in ("revocation", "suspension"):
        response = client.get(f"/issuers/{world.home.slug}/status/{purpose}")
        assert response.status_code == 200
        bits = status_lists.decode(json.loads(response.content)["credentialSubject"]["encodedList"])
        assert not any(bits)
    assert client.get(f"/issuers/{world.home.slug}/status/other").status_code == 404
