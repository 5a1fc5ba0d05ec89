"""W3C Bitstring Status List: the bits, their encoding, and the list credential.

Bit i is the i-th bit from the left of the bitstring (the most significant bit of byte i // 8), as the
specification says. The encoded list is multibase base64url (no padding, prefix "u") of the GZIP of the
bitstring; a list has 131,072 entries (16 KB), the minimum that gives holders herd privacy.
"""

from __future__ import annotations

import base64
import gzip
from typing import Any

from .jsonld import VC_V2

LIST_SIZE = 131_072  # entries per list
LIST_BYTES = LIST_SIZE // 8


def empty_bits() -> bytes:
    return bytes(LIST_BYTES)


def set_bit(bits: bytes, index: int, value: bool) -> bytes:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"Status index {index} is outside the list.")
    buffer = bytearray(bits)
    mask = 0x80 >> (index % 8)
    if value:
        buffer[index // 8] |= mask
    else:
        buffer[index // 8] &= ~mask & 0xFF
    return bytes(buffer)


def get_bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"Status index {index} is outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode(bits: bytes) -> str:
    # mtime=0 keeps the encoding stable for the same bits.
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("The encoded list is not multibase base64url (it must start with 'u').")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(
    *, url: str, issuer: str, purpose: str, bits: bytes, valid_from: str
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential published at `url`."""
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bits),
        },
    }


def status_entry(*, list_url: str, purpose: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
