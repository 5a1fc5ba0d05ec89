"""Writes for learner credentials: issuer keys, issuing, status changes, claims and verifications.

Every function checks permission (actor None is the system: commands and the demo), validates all of
its input before writing, and records an audit event. No audit event, log line or return value ever
holds a private key: keys are referred to by their public Multikey.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from credence.audit.services import record_event
from credence.monitoring import services as monitoring
from credence.monitoring.models import Offering
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from . import crypto, proofs, status_lists, vc_jwt
from .achievements import build_achievement, issuer_profile, public_url
from .models import (
    CredentialState,
    IssuedCredential,
    IssuerKey,
    IssueRun,
    RunStatus,
    StatusList,
    StatusPurpose,
    VerificationEvent,
    VerificationResult,
)
from .signing import CredentialFactory, Recipient, sign_many

MAX_REASON = 500


def _format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- identity ----------------------------------------------------------------------------------------------


def did_web_for(organisation: Organisation) -> str:
    """did:web for the organisation; it resolves to /issuers/<slug>/did.json on this site."""
    host = urlsplit(settings.CREDENCE_PUBLIC_URL).netloc.replace(":", "%3A")
    return f"did:web:{host}:issuers:{organisation.slug}"


def status_list_url(organisation: Organisation, purpose: str) -> str:
    return public_url(reverse("issuance:status_list", args=[organisation.slug, purpose]))


def _new_key(organisation: Organisation) -> IssuerKey:
    private_key, multibase = crypto.generate_key_pair()
    return IssuerKey.objects.create(
        organisation=organisation,
        did=did_web_for(organisation),
        public_key_multibase=multibase,
        encrypted_private_key=crypto.encrypt_private_key(private_key),
    )


def active_key(organisation: Organisation) -> IssuerKey | None:
    return IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()


@transaction.atomic
def ensure_issuer_key(*, actor: User | None, organisation: Organisation) -> IssuerKey:
    """The organisation's active signing key, made on first use."""
    if actor is not None:
        require(actor, "issuance.issue_credentials", organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    key = active_key(organisation)
    if key is not None:
        return key
    key = _new_key(organisation)
    record_event(
        actor=actor,
        action="issuer_key.created",
        obj=key,
        organisation=organisation,
        changes={"public_key_multibase": [None, key.public_key_multibase], "did": [None, key.did]},
    )
    return key


@transaction.atomic
def rotate_issuer_key(*, actor: User | None, organisation: Organisation) -> IssuerKey:
    """Retire the active key and make a new one. The retired key stays in the DID document, so the
    credentials it signed still verify; it signs nothing new."""
    if actor is not None:
        require(actor, "issuance.manage_keys", organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    old = active_key(organisation)
    if old is not None:
        old.retired_at = timezone.now()
        old.save(update_fields=["retired_at"])
    key = _new_key(organisation)
    record_event(
        actor=actor,
        action="issuer_key.rotated",
        obj=key,
        organisation=organisation,
        changes={
            "retired_key": [old.public_key_multibase if old else None, None],
            "public_key_multibase": [None, key.public_key_multibase],
        },
    )
    _resign_status_lists(organisation)
    return key


# --- status lists ------------------------------------------------------------------------------------------


def _status_list(organisation: Organisation, purpose: str) -> StatusList:
    """The organisation's list for `purpose`, locked for this transaction; made when missing."""
    found = StatusList.objects.select_for_update().filter(organisation=organisation, purpose=purpose).first()
    if found is None:
        # Published, signed, from the start: a verifier must find the list before anything is revoked.
        created = StatusList(organisation=organisation, purpose=purpose, bits=status_lists.empty_bits())
        _sign_status_list(created, active_key(organisation) or _new_key(organisation))
        created.save()
        found = StatusList.objects.select_for_update().get(pk=created.pk)
    return found


def _sign_status_list(status_list: StatusList, key: IssuerKey) -> None:
    organisation = status_list.organisation
    unsigned = status_lists.status_list_credential(
        url=status_list_url(organisation, status_list.purpose),
        issuer=key.did,
        purpose=status_list.purpose,
        bits=bytes(status_list.bits),
        valid_from=_format_time(timezone.now()),
    )
    signed = proofs.sign(
        unsigned,
        private_key=crypto.decrypt_private_key(key.encrypted_private_key),
        verification_method=key.verification_method,
        created=unsigned["validFrom"],
    )
    status_list.signed_json = json.dumps(signed, ensure_ascii=False)


def _resign_status_lists(organisation: Organisation) -> None:
    key = active_key(organisation)
    if key is None:
        return
    for status_list in StatusList.objects.select_for_update().filter(organisation=organisation):
        _sign_status_list(status_list, key)
        status_list.version += 1
        status_list.save(update_fields=["signed_json", "version", "updated_at"])


def _set_status_bit(organisation: Organisation, purpose: str, index: int, value: bool) -> None:
    status_list = _status_list(organisation, purpose)
    status_list.bits = status_lists.set_bit(bytes(status_list.bits), index, value)
    status_list.version += 1
    key = active_key(organisation) or _new_key(organisation)
    _sign_status_list(status_list, key)
    status_list.save(update_fields=["bits", "version", "signed_json", "updated_at"])


def _reserve_indexes(organisation: Organisation, count: int) -> int:
    """Reserve `count` status indexes (shared by both lists); return the first."""
    revocation = _status_list(organisation, StatusPurpose.REVOCATION)
    _status_list(organisation, StatusPurpose.SUSPENSION)
    first = revocation.next_index
    if first + count > status_lists.LIST_SIZE:
        raise ValidationError(
            {
                "rows": [
                    f"{organisation}'s status list has room for {status_lists.LIST_SIZE - first} more credentials."
                ]
            }
        )
    revocation.next_index = first + count
    revocation.save(update_fields=["next_index"])
    return first


# --- issuing -----------------------------------------------------------------------------------------------


@dataclass
class IssueReport:
    issued: list[IssuedCredential] = field(default_factory=list)
    already_issued: list[IssuedCredential] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def claim_url(credential: IssuedCredential) -> str:
    return public_url(reverse("issuance:claim", args=[credential.claim_token]))


def _check_issue_options(offering: Offering, valid_until: dt.datetime | None, did_method: str) -> None:
    errors: dict[str, list[str]] = {}
    if did_method not in ("web", "key"):
        errors["did_method"] = ["Choose 'web' or 'key'."]
    if valid_until is not None and valid_until <= timezone.now():
        errors["valid_until"] = ["The expiry date must be in the future."]
    if offering.version.status not in ("published", "retired"):
        errors["offering"] = ["The offering's version is not published."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def issue_credentials(
    *,
    actor: User | None,
    offering: Offering,
    rows: Sequence[Mapping[str, Any]],
    valid_until: dt.datetime | None = None,
    did_method: str = "web",
    send_emails: bool = True,
) -> IssueReport:
    """Issue a credential to each learner on a completion list (rows with `email`, optional `grade`
    and `completed_on`). All or nothing: one bad row refuses the whole list, naming every bad row.
    Idempotent by learner and offering: a learner who already has one is reported, not issued again."""
    import time

    organisation = offering.organisation
    if actor is not None:
        require(actor, "issuance.issue_credentials", offering)
    now = timezone.now()
    _check_issue_options(offering, valid_until, did_method)
    version = offering.version
    started = time.perf_counter()
    completions = monitoring.validate_completions(offering, rows)  # raises with every bad row

    report = IssueReport()
    existing = {
        c.learner_id: c for c in IssuedCredential.objects.filter(offering=offering).select_related("learner")
    }
    to_issue = [c for c in completions if c.enrolment.learner_id not in existing]
    report.already_issued = [
        existing[c.enrolment.learner_id] for c in completions if c.enrolment.learner_id in existing
    ]
    report.timings["validate"] = time.perf_counter() - started
    started = time.perf_counter()
    monitoring.record_completions(actor=None, offering=offering, completions=completions)
    report.timings["completions"] = time.perf_counter() - started
    if not to_issue:
        return report

    started = time.perf_counter()
    key = ensure_issuer_key(actor=None, organisation=organisation)
    issuer_id = key.did if did_method == "web" else key.did_key
    verification_method = (
        key.verification_method if did_method == "web" else f"{key.did_key}#{key.public_key_multibase}"
    )
    profile = issuer_profile(organisation, issuer_id)
    achievement = build_achievement(version, creator=profile)
    first_index = _reserve_indexes(organisation, len(to_issue))
    revocation_url = status_list_url(organisation, StatusPurpose.REVOCATION)
    factory = CredentialFactory.with_key(
        crypto.decrypt_private_key(key.encrypted_private_key),
        issuer=profile,
        achievement=achievement,
        name=version.title,
        valid_from=_format_time(now),
        valid_until=_format_time(valid_until) if valid_until else None,
        verification_method=verification_method,
        credits=achievement.get("creditsAvailable"),
    )
    pending: list[IssuedCredential] = []
    recipients: list[Recipient] = []
    for offset, completion in enumerate(to_issue):
        learner = completion.enrolment.learner
        index = first_index + offset
        credential_uuid = uuid.uuid4()
        salt = secrets.token_hex(16)
        recipients.append(
            Recipient(
                credential_id=f"urn:uuid:{credential_uuid}",
                email=learner.email,
                salt=salt,
                grade=completion.grade,
                completed_on=completion.completed_on.isoformat(),
                # One entry, as the OB 3.0 JSON schema wants a single credentialStatus object; the
                # suspension list uses the same index (see verification._check_status).
                status_entries=(
                    status_lists.status_entry(list_url=revocation_url, purpose="revocation", index=index),
                ),
            )
        )
        pending.append(
            IssuedCredential(
                uuid=credential_uuid,
                organisation=organisation,
                version=version,
                offering=offering,
                enrolment=completion.enrolment,
                learner=learner,
                key=key,
                recipient_salt=salt,
                issued_at=now,
                valid_until=valid_until,
                grade=completion.grade,
                status_index=index,
                claim_token=secrets.token_urlsafe(24),
            )
        )
    report.timings["prepare"] = time.perf_counter() - started
    started = time.perf_counter()
    signed = sign_many(factory, recipients)
    report.timings["sign"] = time.perf_counter() - started
    started = time.perf_counter()
    for credential, document in zip(pending, signed, strict=True):
        credential.recipient_hash = document["credentialSubject"]["identifier"][0]["identityHash"]
        credential.signed_json = json.dumps(document, ensure_ascii=False)
        credential.signed_jwt = vc_jwt.encode(
            document, private_key=factory.private_key, kid=verification_method
        )
    IssuedCredential.objects.bulk_create(pending, batch_size=500)
    record_event(
        actor=actor,
        action="credentials.issued",
        obj=offering,
        organisation=organisation,
        changes={
            "issued": [None, len(pending)],
            "learners": [None, [c.learner_id for c in pending]],
            "key": [None, key.public_key_multibase],
        },
    )
    report.issued = pending
    report.timings["store"] = time.perf_counter() - started
    if send_emails:
        transaction.on_commit(lambda: send_claim_emails(credentials=pending))
    return report


def send_claim_emails(*, credentials: Sequence[IssuedCredential]) -> int:
    """One e-mail per learner with their claim link (after the issue committed)."""
    messages = []
    for credential in credentials:
        learner = credential.learner
        if not learner.email:
            continue
        title = credential.version.title
        body = (
            f"Hello {learner.name or ''},\n\n"
            f"{credential.organisation} has issued you a digital credential for '{title}'.\n"
            f"Open this link to see it, download it and share it:\n\n{claim_url(credential)}\n\n"
            "Keep the link private: anyone who has it can see your credential.\n"
        )
        messages.append(EmailMessage(f"Your credential: {title}", body, to=[learner.email]))
    if not messages:
        return 0
    return int(get_connection().send_messages(messages) or 0)


# --- bulk issuing as a background job ---------------------------------------------------------------------

RUN_CHUNK = 500


@transaction.atomic
def start_issue_run(
    *,
    actor: User | None,
    offering: Offering,
    rows: Sequence[Mapping[str, Any]],
    valid_until: dt.datetime | None = None,
    did_method: str = "web",
    send_emails: bool = True,
) -> IssueRun:
    """Validate a completion list whole (refusing it with every bad row named), then queue it to be
    issued in the background. With no broker configured the job runs at once, after this commits."""
    from .tasks import run_issue

    if actor is not None:
        require(actor, "issuance.issue_credentials", offering)
    _check_issue_options(offering, valid_until, did_method)
    completions = monitoring.validate_completions(offering, rows)
    clean_rows = [
        {"email": c.enrolment.learner.email, "grade": c.grade, "completed_on": c.completed_on.isoformat()}
        for c in completions
    ]
    run = IssueRun.objects.create(
        organisation=offering.organisation,
        offering=offering,
        requested_by=actor,
        rows=clean_rows,
        valid_until=valid_until,
        did_method=did_method,
        send_emails=send_emails,
        total=len(clean_rows),
    )
    record_event(
        actor=actor,
        action="issue_run.started",
        obj=run,
        organisation=offering.organisation,
        changes={"offering": [None, offering.pk], "rows": [None, len(clean_rows)]},
    )
    transaction.on_commit(lambda: run_issue.delay(run.pk))
    return run


def perform_issue_run(*, run_id: int) -> IssueRun:
    """The background job: issue the run's rows chunk by chunk, each chunk its own transaction, and
    record the progress after each. A failure stops the run with the reason; what was issued stays."""
    run = IssueRun.objects.select_related("offering__organisation", "offering__version", "requested_by").get(
        pk=run_id
    )
    if run.finished:
        return run
    IssueRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        for start in range(0, len(run.rows), RUN_CHUNK):
            chunk = run.rows[start : start + RUN_CHUNK]
            report = issue_credentials(
                actor=run.requested_by,
                offering=run.offering,
                rows=chunk,
                valid_until=run.valid_until if run.valid_until and run.valid_until > timezone.now() else None,
                did_method=run.did_method,
                send_emails=run.send_emails,
            )
            run.processed += len(chunk)
            run.issued_count += len(report.issued)
            run.already_count += len(report.already_issued)
            IssueRun.objects.filter(pk=run.pk).update(
                processed=run.processed, issued_count=run.issued_count, already_count=run.already_count
            )
    except Exception as error:  # the job must end in a state the page can show, whatever went wrong
        messages = (
            error.messages if isinstance(error, ValidationError) else [str(error) or type(error).__name__]
        )
        run.status, run.error = RunStatus.FAILED, " ".join(messages)[:2000]
    else:
        run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    IssueRun.objects.filter(pk=run.pk).update(status=run.status, error=run.error, finished_at=run.finished_at)
    return run


# --- status changes ----------------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Give the reason; the holder and verifiers will see it."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"A reason has at most {MAX_REASON} characters."]})
    return reason


def _change_state(
    *,
    actor: User | None,
    credential: IssuedCredential,
    to: str,
    reason: str,
    action: str,
    only_from: str | None = None,
) -> IssuedCredential:
    if actor is not None:
        require(actor, "issuance.change_credential_status", credential)
    reason = _clean_reason(reason)
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    before = credential.state
    if only_from is not None and before != only_from:
        raise ValidationError({"state": ["Only a suspended credential can be reinstated."]})
    if before == CredentialState.REVOKED:
        raise ValidationError({"state": ["This credential is revoked; a revocation cannot be undone."]})
    if before == to:
        raise ValidationError(
            {"state": [f"This credential is already {credential.get_state_display().lower()}."]}
        )
    organisation = credential.organisation
    if to == CredentialState.REVOKED:
        _set_status_bit(organisation, StatusPurpose.REVOCATION, credential.status_index, True)
        if before == CredentialState.SUSPENDED:
            _set_status_bit(organisation, StatusPurpose.SUSPENSION, credential.status_index, False)
    elif to == CredentialState.SUSPENDED:
        _set_status_bit(organisation, StatusPurpose.SUSPENSION, credential.status_index, True)
    else:
        _set_status_bit(organisation, StatusPurpose.SUSPENSION, credential.status_index, False)
    old_reason = credential.status_reason
    credential.state = to
    credential.status_reason = reason
    credential.status_changed_at = timezone.now()
    credential.save(update_fields=["state", "status_reason", "status_changed_at"])
    record_event(
        actor=actor,
        action=action,
        obj=credential,
        organisation=organisation,
        changes={"state": [before, to], "status_reason": [old_reason or None, reason]},
    )
    return credential


@transaction.atomic
def revoke_credential(*, actor: User | None, credential: IssuedCredential, reason: str) -> IssuedCredential:
    return _change_state(
        actor=actor,
        credential=credential,
        to=CredentialState.REVOKED,
        reason=reason,
        action="credential.revoked",
    )


@transaction.atomic
def suspend_credential(*, actor: User | None, credential: IssuedCredential, reason: str) -> IssuedCredential:
    return _change_state(
        actor=actor,
        credential=credential,
        to=CredentialState.SUSPENDED,
        reason=reason,
        action="credential.suspended",
    )


@transaction.atomic
def reinstate_credential(
    *, actor: User | None, credential: IssuedCredential, reason: str
) -> IssuedCredential:
    return _change_state(
        actor=actor,
        credential=credential,
        to=CredentialState.ACTIVE,
        reason=reason,
        action="credential.reinstated",
        only_from=CredentialState.SUSPENDED,
    )


# --- the learner and the public ----------------------------------------------------------------------------


@transaction.atomic
def mark_claimed(*, credential: IssuedCredential) -> IssuedCredential:
    """The learner opened their claim link; the first time is recorded."""
    if credential.claimed_at is not None:
        return credential
    credential.claimed_at = timezone.now()
    credential.save(update_fields=["claimed_at"])
    record_event(
        actor=None,
        action="credential.claimed",
        obj=credential,
        organisation=credential.organisation,
        changes={"claimed_at": [None, credential.claimed_at]},
    )
    return credential


def record_verification(
    *, credential: IssuedCredential | None, valid: bool, reason: str, referrer: str
) -> VerificationEvent:
    """Keep a count of verifications (for analytics): no personal data, only the referring site."""
    referrer_host = urlsplit(referrer).netloc if referrer else ""
    return VerificationEvent.objects.create(
        credential=credential,
        result=VerificationResult.VALID if valid else VerificationResult.INVALID,
        reason=reason[:500],
        referrer=referrer_host[:500],
    )
