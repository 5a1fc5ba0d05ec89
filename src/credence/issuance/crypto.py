"""Ed25519 keys: generating, encoding as Multikey / did:key, and encrypting the private half at rest.

The private key is stored only encrypted (Fernet: AES-128-CBC with HMAC-SHA256), under a key derived
with HKDF from the setting CREDENCE_KEY_ENCRYPTION_KEY. Nothing here logs or returns a private key in
clear except `decrypt_private_key`, whose result stays in memory for signing.
"""

from __future__ import annotations

import base64
from functools import cache

import base58
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, as varint


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase values (starting with 'z') are supported.")
    return base58.b58decode(value[1:])


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    data = multibase_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise ValueError("This is not an Ed25519 public key in Multikey form.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def did_key_for(multibase: str) -> str:
    return f"did:key:{multibase}"


def generate_key_pair() -> tuple[Ed25519PrivateKey, str]:
    private_key = Ed25519PrivateKey.generate()
    return private_key, public_key_multibase(private_key.public_key())


@cache
def _fernet(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"credence-issuer-keys", info=b"ed25519 private keys"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _key_encryption_secret() -> str:
    return str(settings.CREDENCE_KEY_ENCRYPTION_KEY)


def encrypt_private_key(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return _fernet(_key_encryption_secret()).encrypt(raw).decode("ascii")


def decrypt_private_key(token: str) -> Ed25519PrivateKey:
    raw = _fernet(_key_encryption_secret()).decrypt(token.encode("ascii"))
    return Ed25519PrivateKey.from_private_bytes(raw)
