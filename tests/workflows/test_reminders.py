"""Reminders of overdue tasks: once a day per task, to the assignee, by command or Celery task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from credence.notifications.models import Notification
from credence.workflows import services, tasks
from credence.workflows.clock import clock_at
from credence.workflows.models import Task

from .conftest import APPROVAL, make_proposal, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world):
    make_template(world.home, [{**APPROVAL, "due_days": 5}])
    with clock_at(dt.datetime.now(dt.UTC) - dt.timedelta(days=8)):
        return make_proposal(world)


def test_overdue_tasks_are_reminded_once_a_day(world, overdue):
    assert services.send_reminders() == 1
    reminder = Notification.objects.get(recipient=world.user("approver"), event="task.reminder")
    assert reminder.subject.startswith("Overdue by 3 days: Decide on")
    assert services.send_reminders() == 0  # not again the same day
    assert services.send_reminders(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)) == 1


def test_tasks_not_yet_due_get_no_reminder(world):
    make_template(world.home, [APPROVAL])
    make_proposal(world)
    assert services.send_reminders() == 0
    assert not Notification.objects.filter(event="task.reminder").exists()


def test_the_command_and_the_celery_task_send_them(world, overdue, capsys):
    call_command("send_task_reminders")
    assert "1 reminder(s) sent." in capsys.readouterr().out
    Task.objects.update(reminded_at=None)
    assert tasks.send_task_reminders.delay().get() == 1


def test_people_given_a_task_are_emailed(world, django_capture_on_commit_callbacks, mailoutbox):
    make_template(world.home, [APPROVAL])
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(world)

    to_approver = [m for m in mailoutbox if world.user("approver").email in m.to]
    assert len(to_approver) == 1
    assert "New task: Decide on" in to_approver[0].subject
    assert f"/proposals/{proposal.pk}/" in to_approver[0].body
