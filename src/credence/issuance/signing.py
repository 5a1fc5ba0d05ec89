"""Building and signing OpenBadgeCredentials: the part of issuing that needs no database.

A `CredentialFactory` holds everything that is the same for every learner of one issue run (the
issuer profile, the Achievement, the key, the proof options and their hash), so each credential costs
one canonicalisation of the credential itself and one Ed25519 signature. `sign_many` spreads a long
list over the machine's cores with a process pool (pure computation; no database in the workers).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import proofs
from .jsonld import OB_V3, VC_V2
from .templated import TemplatedCanonicalizer, credential_slots

CONTEXT = [VC_V2, OB_V3]
PARALLEL_THRESHOLD = 400  # below this a process pool costs more than it saves


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' + hex SHA-256 of the identifier followed by the salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Recipient:
    credential_id: str
    email: str
    salt: str
    grade: str
    completed_on: str  # date, ISO
    status_entries: tuple[dict[str, Any], ...] = ()


@dataclass
class CredentialFactory:
    issuer: dict[str, Any]
    achievement: dict[str, Any]
    name: str
    valid_from: str
    valid_until: str | None
    verification_method: str
    private_key_raw: bytes = field(repr=False)
    credits: float | None = None
    _options_hash: bytes | None = field(default=None, repr=False)
    _private_key: Ed25519PrivateKey | None = field(default=None, repr=False)
    _canonicalizer: TemplatedCanonicalizer | None = field(default=None, repr=False)

    @classmethod
    def with_key(cls, private_key: Ed25519PrivateKey, **kwargs: Any) -> CredentialFactory:
        raw = private_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return cls(private_key_raw=raw, **kwargs)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_private_key"] = None  # rebuilt in the worker from the raw bytes
        state["_canonicalizer"] = None
        return state

    @property
    def private_key(self) -> Ed25519PrivateKey:
        if self._private_key is None:
            self._private_key = Ed25519PrivateKey.from_private_bytes(self.private_key_raw)
        return self._private_key

    @property
    def options_hash(self) -> bytes:
        if self._options_hash is None:
            options = proofs.proof_options(
                context=CONTEXT, created=self.valid_from, verification_method=self.verification_method
            )
            self._options_hash = proofs.proof_options_hash(options)
        return self._options_hash

    def unsigned(self, recipient: Recipient) -> dict[str, Any]:
        results: list[dict[str, Any]] = [
            {
                "type": ["Result"],
                "resultDescription": f"{self.achievement['id']}-result",
                "status": "Completed",
            }
        ]
        if recipient.grade and len(self.achievement.get("resultDescription", [])) > 1:
            results.append(
                {
                    "type": ["Result"],
                    "resultDescription": f"{self.achievement['id']}-grade",
                    "value": recipient.grade,
                }
            )
        subject: dict[str, Any] = {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(recipient.email, recipient.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": recipient.salt,
                }
            ],
            "achievement": self.achievement,
            "activityEndDate": f"{recipient.completed_on}T00:00:00Z",
            "result": results,
        }
        if self.credits is not None:
            subject["creditsEarned"] = self.credits
        credential: dict[str, Any] = {
            "@context": CONTEXT,
            "id": recipient.credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": self.issuer,
            "validFrom": self.valid_from,
            "name": self.name,
            "credentialSubject": subject,
        }
        if self.valid_until:
            credential["validUntil"] = self.valid_until
        if recipient.status_entries:
            entries = list(recipient.status_entries)
            credential["credentialStatus"] = entries[0] if len(entries) == 1 else entries
        return credential

    @property
    def canonicalizer(self) -> TemplatedCanonicalizer:
        if self._canonicalizer is None:
            self._canonicalizer = TemplatedCanonicalizer(credential_slots)
        return self._canonicalizer

    def sign(self, recipient: Recipient) -> dict[str, Any]:
        return proofs.sign(
            self.unsigned(recipient),
            private_key=self.private_key,
            verification_method=self.verification_method,
            created=self.valid_from,
            options_hash=self.options_hash,
            canonicalizer=self.canonicalizer,
        )


_worker_factory: CredentialFactory | None = None


def _start_worker(factory: CredentialFactory) -> None:
    global _worker_factory
    _worker_factory = factory


def _sign_in_worker(recipients: Sequence[Recipient]) -> list[dict[str, Any]]:
    assert _worker_factory is not None
    return [_worker_factory.sign(recipient) for recipient in recipients]


def worker_count() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 8))


def sign_many(factory: CredentialFactory, recipients: Sequence[Recipient]) -> list[dict[str, Any]]:
    """Sign every recipient's credential, in order; in parallel over the cores for long lists."""
    factory.options_hash  # computed once, shared with the workers  # noqa: B018
    workers = worker_count()
    if len(recipients) < PARALLEL_THRESHOLD or workers == 1:
        return [factory.sign(recipient) for recipient in recipients]
    size = max(50, len(recipients) // (workers * 4))
    chunks = [recipients[i : i + size] for i in range(0, len(recipients), size)]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(factory,)
    ) as pool:
        signed: list[dict[str, Any]] = []
        for part in pool.map(_sign_in_worker, chunks):
            signed.extend(part)
    return signed
