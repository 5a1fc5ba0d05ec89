"""Verifying a credential, by anyone, with no call to the network.

Each step is a `Check` with a plain-language message; the first failed check is the reason given.
Keys are resolved offline: `did:key` from the identifier itself, and Credence's own `did:web` issuers
from the database (including retired keys, so older credentials still verify). Status is read from
Credence's own status lists; a list elsewhere cannot be read offline, and the result says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from . import crypto, proofs, status_lists, vc_jwt
from .jsonld import VC_V2, UnknownContext, bundled_documents
from .models import IssuedCredential, IssuerKey, StatusList

MAX_DOCUMENT = 2_000_000  # characters


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    message: str


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    credential: IssuedCredential | None = None
    issuer_key: IssuerKey | None = None
    document: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def reason(self) -> str:
        failed = [check.message for check in self.checks if not check.passed]
        return failed[0] if failed else ""

    def add(self, name: str, passed: bool, message: str) -> bool:
        self.checks.append(Check(name, passed, message))
        return passed

    @property
    def achievement_name(self) -> str:
        subject = (self.document or {}).get("credentialSubject") or {}
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        return str(achievement.get("name", "")) if isinstance(achievement, dict) else ""

    @property
    def issuer_name(self) -> str:
        issuer = (self.document or {}).get("issuer")
        if isinstance(issuer, dict):
            return str(issuer.get("name") or issuer.get("id") or "")
        return str(issuer or "")


def parse(text: str | bytes) -> dict[str, Any]:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_DOCUMENT:
        raise ValueError("This is too large to be a credential.")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"This is not JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(document, dict):
        raise ValueError("A credential is a JSON object; this is not one.")
    return document


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _resolve_key(verification_method: str, report: VerificationReport) -> tuple[Ed25519PublicKey, str] | None:
    """The public key and controller behind a verification method, resolved offline, or None."""
    controller, _, fragment = verification_method.partition("#")
    if controller.startswith("did:key:"):
        multibase = controller.removeprefix("did:key:")
        if fragment and fragment != multibase:
            return None
        report.issuer_key = (
            IssuerKey.objects.select_related("organisation").filter(public_key_multibase=multibase).first()
        )
        return crypto.public_key_from_multibase(multibase), controller
    key = (
        IssuerKey.objects.select_related("organisation")
        .filter(did=controller, public_key_multibase=fragment)
        .first()
    )
    if key is None:
        return None
    report.issuer_key = key
    return crypto.public_key_from_multibase(key.public_key_multibase), key.did


def _check_status(document: dict[str, Any], report: VerificationReport) -> None:
    entries = document.get("credentialStatus")
    if entries is None:
        report.add("status", True, "The credential has no status list: it cannot be revoked.")
        return
    entries = entries if isinstance(entries, list) else [entries]
    prefix = f"{settings.CREDENCE_PUBLIC_URL}/issuers/"
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.add("status", False, "The credential's status entry is of a kind Credence cannot check.")
            return
        url = str(entry.get("statusListCredential", ""))
        purpose = str(entry.get("statusPurpose", ""))
        try:
            index = int(str(entry.get("statusListIndex")))
        except ValueError:
            report.add("status", False, "The credential's status index is not a number.")
            return
        if not url.startswith(prefix):
            report.add(
                "status",
                False,
                f"The status list {url} is not published by Credence and cannot be read offline.",
            )
            return
        slug = url.removeprefix(prefix).split("/")[0]
        status_list = StatusList.objects.filter(organisation__slug=slug, purpose=purpose).first()
        if status_list is None:
            report.add("status", False, f"Credence has no {purpose} list at {url}.")
            return
        try:
            bit = status_lists.get_bit(bytes(status_list.bits), index)
        except IndexError:
            report.add("status", False, "The credential's status index is outside its list.")
            return
        if bit:
            why = (
                f" The reason given: {report.credential.status_reason}"
                if report.credential and report.credential.status_reason
                else ""
            )
            word = "revoked" if purpose == "revocation" else "suspended"
            report.add("status", False, f"The issuer has {word} this credential.{why}")
            return
        if purpose == "revocation" and _suspended(status_list, index):
            why = (
                f" The reason given: {report.credential.status_reason}"
                if report.credential and report.credential.status_reason
                else ""
            )
            report.add("status", False, f"The issuer has suspended this credential.{why}")
            return
    report.add("status", True, "Neither revoked nor suspended.")


def _suspended(revocation_list: StatusList, index: int) -> bool:
    """Credence's suspension list shares the revocation list's indexes: a credential carries only its
    revocation entry (the OB 3.0 schema allows one credentialStatus), and Credence also reads this."""
    suspension = StatusList.objects.filter(
        organisation_id=revocation_list.organisation_id, purpose="suspension"
    ).first()
    if suspension is None:
        return False
    try:
        return status_lists.get_bit(bytes(suspension.bits), index)
    except IndexError:
        return False


def verify_jwt(token: str, now: dt.datetime | None = None) -> VerificationReport:
    """A VC-JWT: its JWS signature by the issuer's key, then everything `verify` checks on the
    credential it carries."""
    try:
        header, payload = vc_jwt.read(token)
    except vc_jwt.JwtError as error:
        report = VerificationReport()
        report.add("jwt", False, str(error))
        return report
    probe = VerificationReport()
    try:
        resolved = _resolve_key(str(header.get("kid", "")), probe)
    except ValueError:
        resolved = None
    credential = vc_jwt.credential_of(payload)
    if resolved is None:
        report = VerificationReport(document=credential)
        report.add(
            "jwt", False, f"The JWT's key {header.get('kid')} is not one Credence can resolve offline."
        )
        return report
    public_key, controller = resolved
    try:
        vc_jwt.check(token, public_key)
    except vc_jwt.JwtError as error:
        report = VerificationReport(document=credential)
        report.add("jwt", False, str(error))
        return report
    if payload.get("iss") != controller:
        report = VerificationReport(document=credential)
        report.add("jwt", False, "The JWT's issuer (iss) does not control the key that signed it.")
        return report
    report = verify(credential, now)
    report.checks.insert(0, Check("jwt", True, "The JWT's signature holds (EdDSA, the issuer's key)."))
    return report


def verify(document: dict[str, Any], now: dt.datetime | None = None) -> VerificationReport:
    """Check a credential: its shape, contexts, signature and key, status and dates, and its issuer."""
    now = now or timezone.now()
    report = VerificationReport(document=document)
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if not report.add(
        "type",
        "VerifiableCredential" in types
        and bool({"OpenBadgeCredential", "AchievementCredential"} & set(types)),
        "This is an Open Badges 3.0 credential."
        if "VerifiableCredential" in types
        else "This is not an Open Badges 3.0 credential (its type says otherwise).",
    ):
        return report
    contexts = document.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    known = bundled_documents()
    unknown = [c for c in contexts if isinstance(c, str) and c not in known]
    if not contexts or contexts[0] != VC_V2:
        report.add(
            "context", False, "The credential does not start with the W3C Verifiable Credentials 2.0 context."
        )
        return report
    if unknown:
        report.add(
            "context",
            False,
            f"The credential uses a context Credence does not know ({unknown[0]}); it is never fetched, so the credential cannot be checked.",
        )
        return report
    report.add("context", True, "Every context it uses is known.")
    identifier = str(document.get("id", ""))
    if identifier.startswith("urn:uuid:"):
        report.credential = (
            IssuedCredential.objects.select_related("organisation")
            .filter(uuid__iexact=identifier.removeprefix("urn:uuid:"))
            .first()
            if _is_uuid(identifier)
            else None
        )

    try:
        proof_list = proofs.proofs_of(document)
    except proofs.ProofError as error:
        report.add("signature", False, str(error))
        return report
    proof = proof_list[0]
    method = str(proof.get("verificationMethod", ""))
    try:
        resolved = _resolve_key(method, report)
    except ValueError as error:
        report.add("key", False, f"The signing key cannot be read: {error}")
        return report
    if resolved is None:
        report.add(
            "key",
            False,
            f"The signing key {method} is not one Credence can resolve offline (not a did:key, and not an issuer registered in Credence).",
        )
        return report
    public_key, controller = resolved
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not report.add(
        "key",
        issuer_id == controller,
        "The signing key belongs to the issuer."
        if issuer_id == controller
        else "The signing key does not belong to the issuer named in the credential.",
    ):
        return report
    try:
        proofs.check_proof(document, proof, public_key)
    except proofs.ProofError as error:
        report.add("signature", False, str(error))
        return report
    except UnknownContext as error:
        report.add("context", False, str(error))
        return report
    except Exception as error:
        report.add("signature", False, f"The credential cannot be read as JSON-LD: {type(error).__name__}.")
        return report
    retired = report.issuer_key is not None and report.issuer_key.retired_at is not None
    report.add(
        "signature",
        True,
        "Signed by the issuer's key, retired since but valid for what it signed before."
        if retired
        else "Signed by the issuer's key; nothing was changed since.",
    )
    _check_status(document, report)
    valid_from = _parse_time(document.get("validFrom"))
    valid_until = _parse_time(document.get("validUntil"))
    if valid_from is None:
        report.add("dates", False, "The credential has no valid issue date (validFrom).")
    elif valid_from > now + dt.timedelta(minutes=5):
        report.add("dates", False, f"The credential is not valid before {valid_from:%d %B %Y}.")
    elif valid_until is not None and valid_until < now:
        report.add("dates", False, f"The credential expired on {valid_until:%d %B %Y}.")
    else:
        report.add(
            "dates",
            True,
            f"Issued on {valid_from:%d %B %Y}"
            + (f", valid until {valid_until:%d %B %Y}." if valid_until else ", with no expiry."),
        )
    organisation = report.issuer_key.organisation if report.issuer_key else None
    report.add(
        "issuer",
        organisation is not None,
        f"Issued by {organisation}, an organisation registered in Credence."
        if organisation
        else "The issuer is not an organisation registered in Credence.",
    )
    return report


def _is_uuid(identifier: str) -> bool:
    import uuid

    try:
        uuid.UUID(identifier.removeprefix("urn:uuid:"))
    except ValueError:
        return False
    return True
