"""Uploaded framework packs, and which packs each organisation has chosen to apply.

The shipped packs are files (`packs/*.yaml`), not rows. Criteria are addressed everywhere as
(pack id, pack version, criterion id).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from credence.organisations.models import Organisation


class FrameworkPack(models.Model):
    """A pack an organisation uploaded; its YAML is validated exactly as a shipped pack is."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="framework_packs")
    pack_id = models.CharField("pack id", max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    source_text = models.TextField("YAML")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pack_id", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pack_id", "version"], name="unique_uploaded_pack_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.pack_id} {self.version})"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id


class PackChoice(models.Model):
    """An organisation applies this pack (shipped or its own) to its micro-credentials."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pack_choices")
    pack_id = models.CharField("pack id", max_length=80)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pack_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "pack_id"], name="unique_pack_choice")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.pack_id}"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id
