"""Machine checks run again on every new version of a micro-credential that is under review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from credence.microcredentials.models import MicroCredentialVersion


@receiver(post_save, sender=MicroCredentialVersion)
def check_new_version_under_review(
    sender: Any, instance: MicroCredentialVersion, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw"):
        return
    version_id, micro_credential_id = instance.pk, instance.micro_credential_id

    def run() -> None:
        from credence.frameworks.selectors import packs_available_to

        from .models import Review, ReviewStatus
        from .services import compute_check_runs

        pack_ids: dict[str, None] = {}
        reviews = Review.objects.filter(
            version__micro_credential_id=micro_credential_id, status=ReviewStatus.OPEN
        )
        for review in reviews.select_related("organisation"):
            for pack_id, _ in review.packs:
                pack_ids[pack_id] = None
        if not pack_ids:
            return
        version = (
            MicroCredentialVersion.objects.filter(pk=version_id).select_related("micro_credential").first()
        )
        if version is None:
            return
        available = packs_available_to(version.micro_credential.organisation_id)
        compute_check_runs(version, [available[p] for p in pack_ids if p in available])

    transaction.on_commit(run)
