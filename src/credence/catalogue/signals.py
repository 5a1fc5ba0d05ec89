"""Keep the QA status in the search entries current when a review is submitted or opened, or an
external QA report on a micro-credential is recorded or withdrawn (publish and retire call the
service directly)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from credence.register.models import QAReport, ReportedProvision
from credence.reviews.models import Review


def _refresh_later(micro_credential_ids: set[int]) -> None:
    ids = {i for i in micro_credential_ids if i}
    if not ids:
        return

    def run() -> None:
        from credence.microcredentials.models import MicroCredential

        from .models import SearchEntry
        from .services import refresh_entry

        present = set(SearchEntry.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for micro_credential in MicroCredential.objects.filter(pk__in=present):
            refresh_entry(micro_credential)

    transaction.on_commit(run)


@receiver(post_save, sender=Review)
def review_saved(sender: Any, instance: Review, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from credence.microcredentials.models import MicroCredentialVersion

    mc_id = (
        MicroCredentialVersion.objects.filter(pk=instance.version_id)
        .values_list("micro_credential_id", flat=True)
        .first()
    )
    _refresh_later({mc_id} if mc_id else set())


@receiver(post_save, sender=ReportedProvision)
def provision_saved(sender: Any, instance: ReportedProvision, **kwargs: Any) -> None:
    if not kwargs.get("raw") and instance.micro_credential_id:
        _refresh_later({instance.micro_credential_id})


@receiver(post_save, sender=QAReport)
def report_saved(sender: Any, instance: QAReport, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or created:
        return  # a new report's provisions arrive after it, each with its own signal
    ids = set(
        instance.provisions.exclude(micro_credential=None).values_list("micro_credential_id", flat=True)
    )
    _refresh_later(ids)
