from __future__ import annotations

from celery import shared_task


@shared_task
def rebuild_catalogue() -> int:
    """Nightly: every entry again, so that 'review overdue' and other date-bound facets stay true."""
    from credence.catalogue.services import rebuild_catalogue as rebuild

    return rebuild(actor=None)
