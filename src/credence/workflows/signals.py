"""A review that a review stage opened moves the workflow on when its reviewer submits it.

Reviews know nothing of workflows (apps depend downward), so workflows listens for the save.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from credence.reviews.models import Review, ReviewStatus


@receiver(post_save, sender=Review)
def move_on_when_review_submitted(sender: Any, instance: Review, created: bool, **kwargs: Any) -> None:
    if created or kwargs.get("raw") or instance.status != ReviewStatus.SUBMITTED:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "status" not in update_fields:
        return
    from .models import Task, TaskStatus
    from .services import review_submitted

    if Task.objects.filter(review_id=instance.pk, status=TaskStatus.OPEN).exists():
        review_submitted(review=instance)
