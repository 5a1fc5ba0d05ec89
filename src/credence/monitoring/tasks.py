"""Background jobs of monitoring: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def check_reviews() -> int:
    from .services import check_reviews as check

    return len(check())
