"""Background work: running an import (eager, in the request, when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from credence.organisations.models import User


@shared_task(name="interop.run_import_job")
def run_import_job(job_id: int, actor_id: int | None) -> str:
    from .models import ImportJob
    from .services import run_import

    job = ImportJob.objects.get(pk=job_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return str(run_import(actor=actor, job=job).status)
