"""Notifications: what happened that a person should know about, shown in the app and, by their
preference, e-mailed at once or gathered into a daily digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app only"
    IMMEDIATE = "immediate", "In the app and by e-mail at once"
    DIGEST = "digest", "In the app and in a daily e-mail digest"
    OFF = "off", "Off (not notified)"


ANY_EVENT = "*"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.CharField(max_length=80, help_text="What happened, e.g. task.assigned.")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where to go to act on it (a path).")
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.IN_APP,
        help_text="How it was delivered, from the recipient's preference when it was created.",
    )
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["channel", "digested_at"], name="notif_digest_queue"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=80, help_text='An event name, or "*" for every other event.')
    channel = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        ordering = ["user", "event"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event} -> {self.channel}"
