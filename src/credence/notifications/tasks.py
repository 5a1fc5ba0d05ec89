"""Background jobs of notifications: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    from .services import send_emails

    return send_emails(notification_ids=notification_ids)


@shared_task
def send_daily_digests() -> int:
    from .services import send_digests

    return send_digests()
