"""API tokens and webhooks: how an organisation's other systems talk to Credence and hear from it.

(DATA-MODEL.md lists these under interop; they live here so catalogue import/export and integrations
could be built side by side.)
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from credence.organisations.models import Organisation


class Scope(models.TextChoices):
    CATALOGUE_READ = "catalogue:read", "Read the catalogue"
    MICROCREDENTIALS_WRITE = "microcredentials:write", "Write micro-credentials"
    IMPORT = "import", "Import catalogue data"
    CREDENTIALS_ISSUE = "credentials:issue", "Issue credentials"


class ApiToken(models.Model):
    """A secret another system sends as `Authorization: Bearer cred_<prefix>_<secret>`.

    Only a hash of the secret is kept. The token acts through its own service account, a user with a
    membership in the organisation whose roles follow the scopes.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120, help_text="The integration that uses it, e.g. 'Student records'.")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class WebhookEvent(models.TextChoices):
    VERSION_PUBLISHED = "version.published", "A version was published"
    VERSION_RETIRED = "version.retired", "A version was retired"
    REVIEW_DUE = "review.due", "A periodic review is due"
    CREDENTIAL_ISSUED = "credential.issued", "Credentials were issued"
    PROPOSAL_DECIDED = "proposal.decided", "A proposal was decided"


class WebhookEndpoint(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64, help_text="Shared with the receiver; signs every delivery.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "url"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_labels(self) -> list[str]:
        return [WebhookEvent(e).label for e in self.events if e in WebhookEvent.values]


class DeliveryStatus(models.TextChoices):
    SUCCEEDED = "succeeded", "Delivered"
    RETRYING = "retrying", "Failed, will retry"
    FAILED = "failed", "Failed, gave up"
    REFUSED = "refused", "Refused (address not allowed)"


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one endpoint."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    event_type = models.CharField(max_length=60)
    is_test = models.BooleanField(default=False)
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(default=timezone.now)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-attempted_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.attempt} → {self.endpoint}: {self.status}"


class TotpDevice(models.Model):
    """A local account's authenticator app (RFC 6238: 6 digits, 30-second steps, SHA-1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64, help_text="Base32, as the authenticator app holds it.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_step = models.BigIntegerField(default=0, help_text="A code is accepted once.")

    def __str__(self) -> str:
        return f"Authenticator of {self.user}"
