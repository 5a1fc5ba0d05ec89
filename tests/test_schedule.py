"""Every periodic job in the beat schedule names a task Celery knows, so a deployment running beat does
the same work as the cron commands in docs/operations.md."""

from __future__ import annotations

from credence.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    expected = {
        "credence.workflows.tasks.publish_due",
        "credence.workflows.tasks.send_task_reminders",
        "credence.monitoring.tasks.check_reviews",
        "credence.catalogue.tasks.rebuild_catalogue",
        "credence.notifications.tasks.send_daily_digests",
    }
    assert {entry["task"] for entry in schedule.values()} == expected
    assert expected <= set(app.tasks)


def test_the_nightly_catalogue_rebuild_runs(db):
    from credence.catalogue.tasks import rebuild_catalogue

    assert rebuild_catalogue.delay().get() == 0  # eager without a broker; an empty catalogue
