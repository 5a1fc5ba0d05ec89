"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa, section 3.3).

hashData = SHA-256(RDFC-1.0(proof options with the document's @context)) || SHA-256(RDFC-1.0(document
without proof)); the signature is Ed25519 over those 64 bytes, written as multibase base58btc.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .crypto import multibase_decode, multibase_encode
from .jsonld import canonicalize

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"

Canonicalizer = Callable[[dict[str, Any]], str]


class ProofError(Exception):
    """The proof is missing, malformed, or does not match the document."""


def proof_options(*, context: Any, created: str, verification_method: str) -> dict[str, Any]:
    return {
        "@context": context,
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def proof_options_hash(options: dict[str, Any], canonicalizer: Canonicalizer = canonicalize) -> bytes:
    return hashlib.sha256(canonicalizer(options).encode("utf-8")).digest()


def document_hash(unsecured: dict[str, Any], canonicalizer: Canonicalizer = canonicalize) -> bytes:
    return hashlib.sha256(canonicalizer(unsecured).encode("utf-8")).digest()


def sign(
    unsecured: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    options_hash: bytes | None = None,
    canonicalizer: Canonicalizer = canonicalize,
) -> dict[str, Any]:
    """Return a copy of `unsecured` with a `proof` array holding one eddsa-rdfc-2022 proof.

    `options_hash` may be passed in when many documents share the same proof options (same context,
    time and key), as in a bulk issue: it is the same 32 bytes for all of them.
    """
    options = proof_options(
        context=unsecured["@context"], created=created, verification_method=verification_method
    )
    if options_hash is None:
        options_hash = proof_options_hash(options, canonicalizer)
    signature = private_key.sign(options_hash + document_hash(unsecured, canonicalizer))
    proof = {key: value for key, value in options.items() if key != "@context"}
    proof["proofValue"] = multibase_encode(signature)
    return {**unsecured, "proof": [proof]}


def proofs_of(secured: dict[str, Any]) -> list[dict[str, Any]]:
    proof = secured.get("proof")
    if proof is None:
        raise ProofError("The credential has no proof: it was never signed.")
    proofs = proof if isinstance(proof, list) else [proof]
    if not proofs or not all(isinstance(p, dict) for p in proofs):
        raise ProofError("The credential's proof is malformed.")
    return proofs


def check_proof(
    secured: dict[str, Any],
    proof: dict[str, Any],
    public_key: Ed25519PublicKey,
    canonicalizer: Canonicalizer = canonicalize,
) -> None:
    """Raise ProofError with the reason unless `proof` is a valid eddsa-rdfc-2022 proof by `public_key`."""
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"The proof uses {proof.get('type')}/{proof.get('cryptosuite')}; "
            f"Credence checks {PROOF_TYPE} with {CRYPTOSUITE}."
        )
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError(
            "The proof's purpose is not 'assertionMethod', so it does not assert the credential."
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise ProofError("The proof has no proofValue.")
    try:
        signature = multibase_decode(value)
    except ValueError as error:
        raise ProofError(f"The proofValue cannot be decoded: {error}") from None
    unsecured = {key: item for key, item in secured.items() if key != "proof"}
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    options["@context"] = secured.get("@context")
    hash_data = proof_options_hash(options, canonicalizer) + document_hash(unsecured, canonicalizer)
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        raise ProofError(
            "The signature does not match: the credential was changed after signing, or it was signed "
            "with a different key."
        ) from None
