"""Cross-check with a verifier that is not ours: Digital Bazaar's JavaScript Data Integrity libraries
(jsonld-signatures, @digitalbazaar/data-integrity, @digitalbazaar/eddsa-rdfc-2022-cryptosuite) run by
Node, offline, with the same bundled contexts. The npm packages are pinned in js/package-lock.json and
installed with `npm ci` when missing, so this test never skips quietly."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import document, issue

pytestmark = pytest.mark.django_db

JS = Path(__file__).parent / "js"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    assert found, "Node.js is needed for the cross-check (it is on the development machine and in CI)."
    if not (JS / "node_modules" / "jsonld-signatures").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=600, capture_output=True
        )
    return found


def _verify_in_node(node: str, credential: dict, documents: dict) -> dict:
    result = subprocess.run(
        [node, str(JS / "verify.mjs")],
        input=json.dumps({"credential": credential, "documents": documents}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _issuer_documents(client, organisation, credential: dict) -> dict:
    """What a did:web resolver would fetch: the DID document, and each key within it."""
    did_document = client.get(f"/issuers/{organisation.slug}/did.json").json()
    documents = {did_document["id"]: did_document}
    for method in did_document["verificationMethod"]:
        documents[method["id"]] = {"@context": "https://w3id.org/security/multikey/v1", **method}
    return documents


def test_node_verifies_what_credence_signs(node, offering, client):
    data = document(issue(offering, ["ada@example.org"])[0])

    result = _verify_in_node(node, data, _issuer_documents(client, offering.organisation, data))

    assert result == {"verified": True, "error": ""}


def test_node_rejects_a_changed_credential(node, offering, client):
    data = document(issue(offering, ["ada@example.org"])[0])
    documents = _issuer_documents(client, offering.organisation, data)
    data["credentialSubject"]["result"][0]["status"] = "Failed"

    result = _verify_in_node(node, data, documents)

    assert result["verified"] is False
    assert "signature" in result["error"].lower()


def test_node_verifies_the_status_list_credential(node, offering, client):
    from credence.issuance import services

    credential = issue(offering, ["ada@example.org"])[0]
    services.revoke_credential(actor=None, credential=credential, reason="Test.")
    status_list = client.get(f"/issuers/{offering.organisation.slug}/status/revocation").json()

    result = _verify_in_node(node, status_list, _issuer_documents(client, offering.organisation, status_list))

    assert result == {"verified": True, "error": ""}


def test_node_refuses_to_fetch_an_unknown_context(node, offering, client):
    data = document(issue(offering, ["ada@example.org"])[0])
    documents = _issuer_documents(client, offering.organisation, data)
    data["@context"].append("https://example.com/not-bundled.jsonld")

    result = _verify_in_node(node, data, documents)

    assert result["verified"] is False
    assert "not-bundled" in result["error"]
