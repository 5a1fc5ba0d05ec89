"""Reads of attachments. Who may see an attachment is decided by the app that owns what it belongs
to: that app registers a check for its model with `register_owner_check` (reviews does so for
judgements); an attachment of a model with no check is visible to nobody through the web."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from credence.errors import NotVisible

from .models import Attachment

OwnerCheck = Callable[[Any, models.Model], bool]

# model label ("reviews.judgement") -> may this user see this owner?
OWNER_CHECKS: dict[str, OwnerCheck] = {}


def register_owner_check(model_label: str, check: OwnerCheck) -> None:
    OWNER_CHECKS[model_label.lower()] = check


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("uploaded_by")


def attachments_by_owner(owners: Iterable[models.Model]) -> dict[int, list[Attachment]]:
    """The attachments of several objects of one model, by the owner's pk, in one query."""
    owners = list(owners)
    if not owners:
        return {}
    found: dict[int, list[Attachment]] = {o.pk: [] for o in owners}
    queryset = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owners[0]), owner_id__in=list(found)
    )
    for attachment in queryset:
        found[attachment.owner_id].append(attachment)
    return found


def get_attachment(user: Any, pk: int) -> Attachment:
    """The attachment if `user` may see what it belongs to, else NotVisible (404)."""
    attachment = Attachment.objects.select_related("owner_type").filter(pk=pk).first()
    if attachment is None or user is None or not user.is_authenticated:
        raise NotVisible("No such file.")
    check = OWNER_CHECKS.get(f"{attachment.owner_type.app_label}.{attachment.owner_type.model}")
    owner = attachment.owner
    if check is None or owner is None or not check(user, owner):
        raise NotVisible("No such file.")
    return attachment
