"""Reads of comments: the threads on a subject, for people who may see the subject."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from credence.errors import NotVisible

from .models import Comment
from .registry import subject_type
from .services import require_view


def subject_from(label: str, pk: Any) -> Any:
    """The subject named by its type label ("microcredentials.microcredentialversion") and id, or
    NotVisible if there is no such subject type or record."""
    kind = subject_type(label or "")
    if kind is None or not str(pk).isdigit():
        raise NotVisible("No such record.")
    found = kind.model._default_manager.filter(pk=int(pk)).first()
    if found is None:
        raise NotVisible("No such record.")
    return found


def threads_on(user: Any, subject: Any) -> QuerySet[Comment]:
    """The threads (top-level comments) on `subject`, oldest first, each with its replies."""
    require_view(user, subject)
    replies = Comment.objects.select_related("author").prefetch_related("mentions").order_by("created_at", "pk")
    return (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(subject)),
            object_id=subject.pk,
            parent__isnull=True,
        )
        .select_related("author", "resolved_by")
        .prefetch_related("mentions", Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def comments_on(user: Any, subject: Any) -> QuerySet[Comment]:
    """Every comment on `subject` (threads and replies), oldest first."""
    require_view(user, subject)
    return (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk
        )
        .select_related("author", "resolved_by", "content_type")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )


def comment_of(user: Any, pk: int) -> Comment:
    comment = Comment.objects.select_related("content_type", "author", "parent").filter(pk=pk).first()
    if comment is None or comment.subject is None or subject_type(comment.content_type.model_class()) is None:  # type: ignore[arg-type]
        raise NotVisible("No such comment.")
    require_view(user, comment.subject)
    return comment
