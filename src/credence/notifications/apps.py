from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "credence.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The daily digest, for deployments that run Celery beat (`celery -A credence beat`); without
        # beat, run `manage.py send_digests` from cron once a day.
        from celery.schedules import crontab

        from credence.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "notifications-daily-digest": {
                "task": "credence.notifications.tasks.send_daily_digests",
                "schedule": crontab(hour=6, minute=30),
            },
        }
