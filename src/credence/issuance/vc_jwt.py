"""The credential as a VC-JWT too (Open Badges 3.0 §8.2): a compact JWS, signed with the same Ed25519
key (`alg: EdDSA`), whose payload is the credential (with its embedded proof) plus the JWT claims
`iss`, `jti`, `nbf` and, when it expires, `exp`."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")


class JwtError(Exception):
    """The text is not a VC-JWT Credence can check, or its signature does not hold."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    return int(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def encode(credential: dict[str, Any], *, private_key: Ed25519PrivateKey, kid: str) -> str:
    issuer = credential.get("issuer")
    payload: dict[str, Any] = {
        **credential,
        "iss": issuer.get("id") if isinstance(issuer, dict) else issuer,
        "jti": credential.get("id"),
        "nbf": _epoch(credential.get("validFrom")),
    }
    if credential.get("validUntil"):
        payload["exp"] = _epoch(credential["validUntil"])
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    return signing_input + "." + _b64(private_key.sign(signing_input.encode("ascii")))


JWS_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def looks_like_jwt(text: str) -> bool:
    return bool(JWS_COMPACT.fullmatch(text.strip()))


def read(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload, unverified."""
    try:
        head, body, _ = token.strip().split(".")
        header = json.loads(_unb64(head))
        payload = json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError):
        raise JwtError("This looks like a JWT but cannot be decoded.") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JwtError("This JWT does not hold a credential.")
    if header.get("alg") != "EdDSA":
        raise JwtError(f"The JWT is signed with {header.get('alg')}; Credence checks EdDSA (Ed25519).")
    return header, payload


def check(token: str, public_key: Ed25519PublicKey) -> None:
    head, body, signature = token.strip().split(".")
    try:
        public_key.verify(_unb64(signature), f"{head}.{body}".encode("ascii"))
    except (InvalidSignature, ValueError):
        raise JwtError(
            "The JWT's signature does not match: it was changed, or signed with another key."
        ) from None


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential inside a VC-JWT payload, without the JWT's own claims."""
    return {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
