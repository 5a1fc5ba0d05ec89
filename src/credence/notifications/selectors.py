"""Reads of notifications: a person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from credence.errors import NotVisible
from credence.organisations.models import User

from .models import Notification


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient_id=user.pk).select_related("organisation")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_of(user: User, pk: int) -> Notification:
    try:
        return notifications_of(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise NotVisible("No such notification.") from None


def unread_count(user: User) -> int:
    return notifications_of(user, unread_only=True).count()
