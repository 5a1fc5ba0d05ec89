"""Every write of comments: add, reply, edit one's own, resolve and reopen a thread.

Who may read and write comments on a subject is the subject type's business (see registry.py); this
module asks it, and raises NotVisible (404) to people who may not see the subject.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from credence.audit.services import record_event
from credence.errors import NotVisible
from credence.notifications.services import notify
from credence.organisations.authorization import can
from credence.organisations.models import User

from .models import Comment
from .registry import SubjectType, subject_type

MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.+-]*[A-Za-z0-9_])")
MAX_BODY = 10_000


def subject_type_of(subject: Any) -> SubjectType:
    kind = subject_type(type(subject))
    if kind is None:
        raise ValidationError({"subject": [f"{type(subject).__name__} does not take comments."]})
    return kind


def require_view(actor: Any, subject: Any) -> SubjectType:
    kind = subject_type_of(subject)
    if actor is None or not actor.is_authenticated or not actor.is_active or not kind.can_view(actor, subject):
        raise NotVisible("No such record.")
    return kind


def _require_comment(actor: Any, subject: Any) -> SubjectType:
    kind = require_view(actor, subject)
    if not kind.can_comment(actor, subject):
        raise PermissionDenied("You may read the comments here but not write them.")
    return kind


def _clean_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": ["Write something: the comment is empty."]})
    if len(text) > MAX_BODY:
        raise ValidationError({"body": [f"A comment is at most {MAX_BODY} characters; this one has {len(text)}."]})
    return text


def mentioned_users(body: str, subject: Any, kind: SubjectType) -> list[User]:
    """The people @mentioned by username who are active members of the subject's organisation and may
    see the subject. Unknown names are left as plain text."""
    names = {m.lower() for m in MENTION.findall(body)}
    if not names:
        return []
    organisation = kind.organisation_of(subject)
    candidates = User.objects.filter(
        is_active=True,
        is_service_account=False,
        memberships__organisation=organisation,
        memberships__active=True,
    ).distinct()
    return [
        u for u in candidates
        if u.get_username().lower() in names and kind.can_view(u, subject)
    ]


def _notify_mentions(
    comment: Comment, users: list[User], kind: SubjectType, subject: Any, actor: User
) -> None:
    if not users:
        return
    notify(
        recipients=users,
        event="comment.mention",
        subject=f"{actor.get_username()} mentioned you in a comment on {subject}",
        body=comment.body[:500],
        url=f"{kind.url(subject)}#comment-{comment.pk}",
        organisation=comment.organisation,
        actor=actor,
    )


def _check_anchor(anchor: str, subject: Any, kind: SubjectType) -> str:
    anchor = (anchor or "").strip()
    if not anchor:
        return ""
    known = kind.anchors_of(subject)
    if known and anchor not in {value for value, _label in known}:
        raise ValidationError({"anchor": [f"'{anchor}' is not a field or outcome of this record."]})
    if len(anchor) > 200:
        raise ValidationError({"anchor": ["The anchor is at most 200 characters."]})
    return anchor


@transaction.atomic
def add_comment(*, actor: User, subject: Any, body: str, anchor: str = "") -> Comment:
    """Start a thread on `subject` (or on one of its fields: `anchor`). @username mentions of people
    of the same organisation who can see the subject notify them (event `comment.mention`)."""
    kind = _require_comment(actor, subject)
    text = _clean_body(body)
    anchor = _check_anchor(anchor, subject, kind)
    comment = Comment.objects.create(
        organisation=kind.organisation_of(subject),
        content_type_id=_content_type_id(subject),
        object_id=subject.pk,
        anchor=anchor,
        author=actor,
        body=text,
    )
    mentioned = mentioned_users(text, subject, kind)
    comment.mentions.set(mentioned)
    record_event(
        actor=actor,
        action="comment.added",
        obj=comment,
        organisation=comment.organisation,
        changes={
            "subject": [None, f"{kind.model._meta.label_lower}:{subject.pk}"],
            "anchor": [None, anchor],
            "body": [None, text],
            "mentions": [None, [u.get_username() for u in mentioned]],
        },
    )
    _notify_mentions(comment, mentioned, kind, subject, actor)
    return comment


def _content_type_id(subject: Any) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(type(subject)).pk


@transaction.atomic
def reply(*, actor: User, parent: Comment, body: str) -> Comment:
    """Reply in a thread. A reply to a reply joins the same thread (threads are one level deep).
    The thread's author is told (`comment.reply`), and anyone @mentioned (`comment.mention`)."""
    subject = parent.subject
    kind = _require_comment(actor, subject)
    thread = parent.thread
    text = _clean_body(body)
    comment = Comment.objects.create(
        organisation=thread.organisation,
        content_type_id=thread.content_type_id,
        object_id=thread.object_id,
        anchor=thread.anchor,
        author=actor,
        body=text,
        parent=thread,
    )
    mentioned = mentioned_users(text, subject, kind)
    comment.mentions.set(mentioned)
    record_event(
        actor=actor,
        action="comment.replied",
        obj=comment,
        organisation=comment.organisation,
        changes={"thread": [None, thread.pk], "body": [None, text]},
    )
    _notify_mentions(comment, mentioned, kind, subject, actor)
    told = {u.pk for u in mentioned}
    authors = {thread.author, parent.author}
    notify(
        recipients=[u for u in authors if u.pk not in told],
        event="comment.reply",
        subject=f"{actor.get_username()} replied to a comment on {subject}",
        body=text[:500],
        url=f"{kind.url(subject)}#comment-{comment.pk}",
        organisation=comment.organisation,
        actor=actor,
    )
    return comment


@transaction.atomic
def edit_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change the text of one's own comment. People newly @mentioned are told."""
    subject = comment.subject
    kind = _require_comment(actor, subject)
    if comment.author_id != actor.pk:
        raise PermissionDenied("You can edit only your own comments.")
    text = _clean_body(body)
    if text == comment.body:
        return comment
    before = comment.body
    already = set(comment.mentions.values_list("pk", flat=True))
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    mentioned = mentioned_users(text, subject, kind)
    comment.mentions.set(mentioned)
    record_event(
        actor=actor, action="comment.edited", obj=comment, organisation=comment.organisation,
        changes={"body": [before, text]},
    )
    _notify_mentions(comment, [u for u in mentioned if u.pk not in already], kind, subject, actor)
    return comment


def can_resolve(actor: Any, comment: Comment) -> bool:
    thread = comment.thread
    return bool(
        actor is not None
        and actor.is_authenticated
        and (thread.author_id == actor.pk or can(actor, "comments.resolve_any", thread.organisation))
    )


@transaction.atomic
def resolve(*, actor: User, comment: Comment) -> Comment:
    """Mark a thread resolved (its author, or a QA officer or organisation admin)."""
    return _set_resolved(actor, comment, resolved=True)


@transaction.atomic
def reopen(*, actor: User, comment: Comment) -> Comment:
    return _set_resolved(actor, comment, resolved=False)


def _set_resolved(actor: User, comment: Comment, *, resolved: bool) -> Comment:
    thread = Comment.objects.select_for_update().get(pk=comment.thread.pk)
    require_view(actor, thread.subject)
    if not can_resolve(actor, thread):
        raise PermissionDenied(
            "Only the person who started the thread, a QA officer or an organisation admin can "
            + ("resolve" if resolved else "reopen")
            + " it."
        )
    if resolved and thread.resolved_at is not None:
        raise ValidationError({"__all__": ["This thread is already resolved."]})
    if not resolved and thread.resolved_at is None:
        raise ValidationError({"__all__": ["This thread is open already."]})
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = actor if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    record_event(
        actor=actor,
        action="comment.resolved" if resolved else "comment.reopened",
        obj=thread,
        organisation=thread.organisation,
        changes={"resolved": [not resolved, resolved]},
    )
    return thread
