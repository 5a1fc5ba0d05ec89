"""Background jobs of issuance: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task


@shared_task
def run_issue(run_id: int) -> None:
    from .services import perform_issue_run

    perform_issue_run(run_id=run_id)
