"""notify(): who is told, through which channel, and when the e-mail goes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from credence.notifications import services
from credence.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def _notify(world, recipients, event="task.assigned", **kwargs):
    return services.notify(
        recipients=recipients,
        event=event,
        subject=kwargs.pop("subject", "Review the proposal 'Data analysis'"),
        body=kwargs.pop("body", "Due in 5 days."),
        url=kwargs.pop("url", "/notifications/"),
        organisation=world.home,
        **kwargs,
    )


def test_it_creates_one_in_app_notification_per_person(world, django_capture_on_commit_callbacks):
    reviewer, qa = world.user("reviewer"), world.user("qa_officer")
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(world, [reviewer, qa, reviewer, None])

    assert sorted(n.recipient.username for n in created) == ["home_qa_officer", "home_reviewer"]
    assert Notification.objects.filter(recipient=reviewer, read_at__isnull=True).count() == 1


def test_it_emails_at_once_by_default_after_the_commit(world, django_capture_on_commit_callbacks):
    reviewer = world.user("reviewer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(world, [reviewer])
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert "Review the proposal 'Data analysis'" in message.subject
    assert "http://testserver/notifications/" in message.body or "/notifications/" in message.body
    assert Notification.objects.get(recipient=reviewer).emailed_at is not None


def test_it_does_not_tell_the_actor_what_they_did(world, django_capture_on_commit_callbacks):
    proposer, reviewer = world.user("proposer"), world.user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(world, [proposer, reviewer], actor=proposer)

    assert [n.recipient for n in created] == [reviewer]
    assert [m.to for m in mail.outbox] == [[reviewer.email]]


def test_it_skips_inactive_people(world, django_capture_on_commit_callbacks):
    reviewer = world.user("reviewer")
    reviewer.is_active = False
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(world, [reviewer])

    assert created == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=reviewer).exists()


@pytest.mark.parametrize(
    ("channel", "in_app", "emailed"),
    [
        (Channel.IN_APP, True, False),
        (Channel.IMMEDIATE, True, True),
        (Channel.DIGEST, True, False),
        (Channel.OFF, False, False),
    ],
)
def test_it_honours_the_preference_for_the_event(
    world, django_capture_on_commit_callbacks, channel, in_app, emailed
):
    reviewer = world.user("reviewer")
    services.set_preferences(actor=reviewer, choices={"task.assigned": channel})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world, [reviewer])

    assert Notification.objects.filter(recipient=reviewer).exists() is in_app
    assert (len(mail.outbox) == 1) is emailed


def test_an_event_choice_wins_over_the_choice_for_every_event(world, django_capture_on_commit_callbacks):
    reviewer = world.user("reviewer")
    services.set_preferences(actor=reviewer, choices={"*": Channel.OFF, "comment.mention": Channel.IMMEDIATE})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world, [reviewer], event="task.assigned")
        _notify(world, [reviewer], event="comment.mention", subject="Quinn mentioned you")

    assert list(Notification.objects.filter(recipient=reviewer).values_list("event", flat=True)) == [
        "comment.mention"
    ]
    assert [m.subject for m in mail.outbox] == ["[Credence] Quinn mentioned you"]


def test_a_rolled_back_action_emails_nobody(world, django_capture_on_commit_callbacks):
    from django.db import transaction

    reviewer = world.user("reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _notify(world, [reviewer])
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass

    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_a_bad_preference_is_refused_with_the_event_named(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.set_preferences(actor=world.user("reviewer"), choices={"task.assigned": "pigeon"})

    assert "'pigeon' is not a channel" in error.value.message_dict["preferences[task.assigned]"][0]


def test_the_daily_digest_gathers_and_is_sent_once(world, django_capture_on_commit_callbacks):
    reviewer, qa = world.user("reviewer"), world.user("qa_officer")
    services.set_preferences(actor=reviewer, choices={"*": Channel.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(world, [reviewer, qa], subject="First thing")
        _notify(world, [reviewer], event="comment.mention", subject="Second thing")
    assert [m.to for m in mail.outbox] == [[qa.email]]  # qa gets it at once; the reviewer waits
    mail.outbox.clear()

    call_command("send_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [reviewer.email]
    assert "2 notifications" in digest.subject
    assert "First thing" in digest.body and "Second thing" in digest.body
    assert not Notification.objects.filter(recipient=reviewer, digested_at__isnull=True).exists()

    call_command("send_digests")
    assert len(mail.outbox) == 1  # nothing new, nothing sent


def test_the_digest_skips_people_made_inactive_since(world, django_capture_on_commit_callbacks):
    reviewer = world.user("reviewer")
    services.set_preferences(actor=reviewer, choices={"*": Channel.DIGEST})
    _notify(world, [reviewer])
    reviewer.is_active = False
    reviewer.save()

    assert services.send_digests() == 0
    assert mail.outbox == []


def test_celery_beat_runs_the_digest_task_daily():
    from credence.celery import app
    from credence.notifications.tasks import send_daily_digests

    entry = app.conf.beat_schedule["notifications-daily-digest"]
    assert entry["task"] == send_daily_digests.name
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {30}
