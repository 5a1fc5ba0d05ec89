from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "credence.notifications"
    verbose_name = "Notifications"
