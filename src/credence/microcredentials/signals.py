"""Guards that hold however a row is written: parts of a version link only within that version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Assessment, LearningOutcome, Module


@receiver(m2m_changed, sender=Assessment.outcomes.through)
@receiver(m2m_changed, sender=Module.outcomes.through)
def outcomes_belong_to_same_version(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action != "pre_add" or reverse or not pk_set:
        return
    instance._refuse_if_frozen()
    foreign = LearningOutcome.objects.filter(pk__in=pk_set).exclude(version_id=instance.version_id)
    if foreign.exists():
        raise ValidationError(
            {
                "outcomes": "An outcome of another version cannot be aligned here: choose this version's outcomes."
            }
        )
