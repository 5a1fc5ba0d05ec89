"""Background jobs of workflows: thin wrappers around services (run daily by Celery beat, or by cron
through the management commands of the same names)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def publish_due() -> int:
    from .services import publish_due as publish

    return len(publish())


@shared_task
def send_task_reminders() -> int:
    from .services import send_reminders

    return send_reminders()
