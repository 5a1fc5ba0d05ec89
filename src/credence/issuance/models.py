"""Issuer keys, issued credentials, status lists and verification events.

The signed JSON of a credential is stored as the exact text that was signed and handed out, never
re-serialised. A private key is stored only encrypted (see crypto.py) and is never shown anywhere.
"""

from __future__ import annotations

import uuid

from django.db import models

from credence.microcredentials.models import MicroCredentialVersion
from credence.monitoring.models import Enrolment, Learner, Offering
from credence.organisations.models import Organisation


class IssuerKey(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="issuer_keys")
    did = models.CharField("DID of the issuer", max_length=300)
    public_key_multibase = models.CharField(max_length=80, unique=True)
    encrypted_private_key = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_issuer_key_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} key {self.public_key_multibase[:16]}…"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.public_key_multibase}"

    @property
    def did_key(self) -> str:
        return f"did:key:{self.public_key_multibase}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "Revocation"
    SUSPENSION = "suspension", "Suspension"


class StatusList(models.Model):
    """One W3C Bitstring Status List of an organisation; bit i belongs to the credential with index i."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices)
    bits = models.BinaryField()
    version = models.PositiveIntegerField(default=1)
    next_index = models.PositiveIntegerField(default=0)
    signed_json = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "purpose"], name="one_status_list_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.purpose} list v{self.version}"


class CredentialState(models.TextChoices):
    ACTIVE = "active", "Valid"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"


class IssuedCredential(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="issued_credentials"
    )
    version = models.ForeignKey(
        MicroCredentialVersion, on_delete=models.PROTECT, related_name="issued_credentials"
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, null=True, related_name="issued_credentials"
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, null=True, related_name="issued_credential"
    )
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="issued_credentials")
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="signed_credentials")
    recipient_hash = models.CharField(max_length=80)
    recipient_salt = models.CharField(max_length=64)
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(max_length=40, blank=True)
    signed_json = models.TextField()
    signed_jwt = models.TextField("the same, as a VC-JWT", blank=True)
    status_index = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=CredentialState.choices, default=CredentialState.ACTIVE)
    status_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "status_index"], name="one_status_index_per_credential"
            ),
            models.UniqueConstraint(
                fields=["offering", "learner"], name="one_credential_per_learner_and_offering"
            ),
        ]

    def __str__(self) -> str:
        return f"credential {self.uuid}"

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.uuid}"


class VerificationResult(models.TextChoices):
    VALID = "valid", "Valid"
    INVALID = "invalid", "Not valid"


class VerificationEvent(models.Model):
    credential = models.ForeignKey(
        IssuedCredential, on_delete=models.SET_NULL, null=True, blank=True, related_name="verifications"
    )
    result = models.CharField(max_length=20, choices=VerificationResult.choices)
    reason = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.result} verification at {self.created_at:%Y-%m-%d %H:%M}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Issuing"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped with an error"


class IssueRun(models.Model):
    """A bulk issue from a completion list, run as a background job; the page shows its progress.

    The list is validated whole before the run is created, so a run only ever holds good rows; it is
    issued in chunks, each its own transaction, and a run stopped half-way can simply be started again
    (issuing is idempotent by learner and offering)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="issue_runs")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="issue_runs")
    requested_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField(default=list)
    valid_until = models.DateTimeField(null=True, blank=True)
    did_method = models.CharField(max_length=10, default="web")
    send_emails = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    issued_count = models.PositiveIntegerField(default=0)
    already_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"issue run {self.pk} for {self.offering.code}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
