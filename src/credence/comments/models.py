"""Comments: threaded discussion on anything a subject type registers (a version, a proposal), on the
whole of it or anchored to one field or outcome, with @mentions and resolving."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Comment(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    anchor = models.CharField(
        max_length=200,
        blank=True,
        help_text='Blank for the whole subject, else a field path: "title", "learning_outcomes[<key>]".',
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_subject")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.content_type.model} {self.object_id}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def thread(self) -> Comment:
        return self.parent if self.parent_id else self  # type: ignore[return-value]
