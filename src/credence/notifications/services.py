"""Every write of notifications: sending them (`notify`), reading them, preferences, e-mail and digests.

`notify` is what the other apps call when something happened that people should know about. It creates
the in-app notifications at once and leaves the e-mail to a Celery task queued after the caller's
transaction commits, so a rolled-back action never e-mails anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from credence.audit.services import record_event
from credence.errors import NotVisible
from credence.organisations.models import Organisation, User

from .events import EVENTS, label_of
from .models import ANY_EVENT, Channel, Notification, NotificationPreference

logger = logging.getLogger(__name__)

#: What people get for an event they have not chosen a channel for (neither the event nor "*").
DEFAULT_CHANNEL = Channel.IMMEDIATE


def default_channel() -> str:
    return str(getattr(settings, "NOTIFICATIONS_DEFAULT_CHANNEL", DEFAULT_CHANNEL))


def channels_for(users: Sequence[User], event: str) -> dict[int, str]:
    """Each user's channel for `event`: their choice for the event, else for "*", else the default."""
    chosen: dict[int, dict[str, str]] = {}
    for pref in NotificationPreference.objects.filter(
        user__in=[u.pk for u in users], event__in=[event, ANY_EVENT]
    ):
        chosen.setdefault(pref.user_id, {})[pref.event] = pref.channel
    fallback = default_channel()
    return {
        u.pk: chosen.get(u.pk, {}).get(event) or chosen.get(u.pk, {}).get(ANY_EVENT) or fallback
        for u in users
    }


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | None],
    event: str,
    subject: str,
    body: str = "",
    url: str = "",
    organisation: Organisation | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """Tell `recipients` that `event` happened; returns the notifications created.

    Recipients are de-duplicated; `None`, inactive users and the actor themself are skipped (people are
    not told what they just did). Each recipient's preference for the event decides: off (nothing),
    in the app only, in the app and e-mailed at once (queued after the transaction commits), or in the
    app and in the next daily digest.
    """
    if not event or len(event) > 80:
        raise ValidationError({"event": ["The event name must be 1 to 80 characters long."]})
    if not subject.strip():
        raise ValidationError({"subject": ["A notification needs a subject."]})
    unique: dict[int, User] = {}
    for user in recipients:
        if user is None or not user.pk or not user.is_active or user.is_service_account:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        unique.setdefault(user.pk, user)
    if not unique:
        return []
    channels = channels_for(list(unique.values()), event)
    created = [
        Notification(
            recipient=user,
            organisation=organisation,
            event=event,
            subject=subject.strip()[:300],
            body=body,
            url=url[:500],
            channel=channels[user.pk],
        )
        for user in unique.values()
        if channels[user.pk] != Channel.OFF
    ]
    for notification in created:
        notification.save()
    to_email = [n.pk for n in created if n.channel == Channel.IMMEDIATE and n.recipient.email]
    if to_email:
        transaction.on_commit(lambda: _queue_emails(to_email))
    return created


def _queue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    try:
        if send_notification_emails.app.conf.task_always_eager:
            # No broker: run it here (apply, unlike delay, does not set up a broker connection).
            send_notification_emails.apply(args=[notification_ids], throw=True)
        else:
            send_notification_emails.delay(notification_ids)
    except Exception:  # the broker is down: the notifications stay in the app, unmailed
        logger.exception("Could not queue the e-mails of notifications %s", notification_ids)


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.CREDENCE_PUBLIC_URL + url


def _email_text(notification: Notification) -> str:
    parts = [notification.subject]
    if notification.body:
        parts.append(notification.body)
    if notification.url:
        parts.append(f"Open it in Credence: {_absolute(notification.url)}")
    return "\n\n".join(parts)


FOOTER = "\n\n--\nYou can choose which e-mails Credence sends you: {url}\n"


def _footer() -> str:
    return FOOTER.format(url=_absolute("/notifications/preferences/"))


def send_emails(*, notification_ids: Sequence[int]) -> int:
    """E-mail each of these notifications that is still unmailed (the Celery task calls this).
    Safe to run twice: a notification is e-mailed once."""
    pending = list(
        Notification.objects.select_related("recipient").filter(
            pk__in=notification_ids, emailed_at__isnull=True, channel=Channel.IMMEDIATE,
            recipient__is_active=True,
        )
    )
    messages = [
        EmailMessage(f"[Credence] {n.subject}", _email_text(n) + _footer(), to=[n.recipient.email])
        for n in pending
        if n.recipient.email
    ]
    if not messages:
        return 0
    sent = int(get_connection().send_messages(messages) or 0)
    Notification.objects.filter(pk__in=[n.pk for n in pending if n.recipient.email]).update(
        emailed_at=timezone.now()
    )
    return sent


def send_digests() -> int:
    """E-mail each person one message with their notifications waiting for the digest, and mark them
    digested. Running it again sends nothing new. Returns the number of e-mails sent."""
    waiting = (
        Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = {}
    for n in waiting:
        by_user.setdefault(n.recipient_id, []).append(n)
    sent = 0
    for items in by_user.values():
        recipient = items[0].recipient
        with transaction.atomic():
            # Claim the items first, so that two digest runs at once cannot both send them.
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in items], digested_at__isnull=True
            ).update(digested_at=timezone.now())
            if claimed != len(items) or not recipient.is_active or not recipient.email:
                continue
            lines = [f"You have {len(items)} notification{'s' if len(items) != 1 else ''} from Credence:"]
            for n in items:
                lines.append(f"\n* {n.subject}" + (f"\n  {_absolute(n.url)}" if n.url else ""))
            message = EmailMessage(
                f"[Credence] Your daily digest: {len(items)} notification{'s' if len(items) != 1 else ''}",
                "\n".join(lines) + _footer(),
                to=[recipient.email],
            )
            message.send()
            sent += 1
    return sent


# --- reading -----------------------------------------------------------------------------------------------


def _own(actor: User, notification: Notification) -> None:
    if not actor.is_authenticated or notification.recipient_id != actor.pk:
        raise NotVisible("No such notification.")


@transaction.atomic
def mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (once; marking it again changes nothing)."""
    _own(actor, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_unread(*, actor: User, notification: Notification) -> Notification:
    _own(actor, notification)
    if notification.read_at is not None:
        notification.read_at = None
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences -------------------------------------------------------------------------------------------


@transaction.atomic
def set_preferences(*, actor: User, choices: Mapping[str, str]) -> dict[str, str]:
    """Set the actor's channel per event ("*" for every event not chosen otherwise). An event mapped
    to "" drops the choice (it then follows "*"). Returns the actor's preferences as they now are."""
    errors: dict[str, list[str]] = {}
    valid = set(Channel.values)
    for event, channel in choices.items():
        if event != ANY_EVENT and (not event or len(event) > 80):
            errors[f"preferences[{event}]"] = ["The event name must be 1 to 80 characters long."]
        elif channel and channel not in valid:
            errors[f"preferences[{event}]"] = [
                f"'{channel}' is not a channel; choose one of {', '.join(sorted(valid))}."
            ]
        elif event == ANY_EVENT and not channel:
            errors[f"preferences[{event}]"] = ["Choose a channel for all other events."]
    if errors:
        raise ValidationError(errors)
    before = preferences_of(actor)
    for event, channel in choices.items():
        if channel:
            NotificationPreference.objects.update_or_create(
                user=actor, event=event, defaults={"channel": channel}
            )
        else:
            NotificationPreference.objects.filter(user=actor, event=event).delete()
    after = preferences_of(actor)
    changes = {
        f"preferences[{event}]": [before.get(event), after.get(event)]
        for event in sorted(set(before) | set(after))
        if before.get(event) != after.get(event)
    }
    if changes:
        record_event(actor=actor, action="notification_preferences.changed", obj=actor, changes=changes)
    return after


def preferences_of(user: User) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("event", "channel"))


def preference_rows(user: User) -> list[tuple[str, str, str]]:
    """(event, label, channel chosen or "") for the preferences page: "*" first, then the known events."""
    chosen = preferences_of(user)
    rows = [(ANY_EVENT, "Every event not chosen below", chosen.get(ANY_EVENT, default_channel()))]
    rows += [(event, label_of(event), chosen.get(event, "")) for event in EVENTS]
    rows += [(event, event, channel) for event, channel in chosen.items() if event not in EVENTS and event != ANY_EVENT]
    return rows
