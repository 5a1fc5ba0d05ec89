"""Attachments: stored files whose type was checked from their bytes, with a checksum, owned by an
organisation and linked (generically) to what they belong to: a judgement, a proposal, a meeting..."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename

from credence.organisations.models import Organisation


def attachment_path(instance: Attachment, filename: str) -> str:
    """attachments/<organisation id>/<year>/<first two hex digits of the sha256>/<name>."""
    year = (instance.created_at or timezone.now()).year
    safe = get_valid_filename(filename)[-120:] or "file"
    return f"attachments/{instance.organisation_id}/{year:04d}/{instance.sha256[:2]}/{safe}"


class Attachment(models.Model):
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255, help_text="The name the file was uploaded with.")
    # The media type detected from the bytes (never taken from the name or the browser).
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What the file belongs to. `content_type` is the file's media type, so the link uses owner_*.
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id
