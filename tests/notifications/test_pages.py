"""The notifications pages and the unread count in the top bar."""

from __future__ import annotations

import pytest

from credence.notifications import services
from credence.notifications.models import Channel, Notification, NotificationPreference

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _tell(world, user, subject="Review 'Data analysis'"):
    return services.notify(
        recipients=[user], event="task.assigned", subject=subject, url="/notifications/", organisation=world.home
    )[0]


def test_the_top_bar_counts_unread_notifications(world, client):
    reviewer = world.user("reviewer")
    _tell(world, reviewer)
    _tell(world, reviewer, "Another one")

    page = _signed_in(client, reviewer).get("/notifications/").content.decode()

    assert "Notifications <span class=\"topbar__count\">2<span class=\"visually-hidden\"> unread</span></span>" in page
    assert "Review &#x27;Data analysis&#x27;" in page


def test_marking_read_without_javascript_redirects_back(world, client):
    reviewer = world.user("reviewer")
    n = _tell(world, reviewer)

    response = _signed_in(client, reviewer).post(f"/notifications/{n.pk}/read/")

    assert response.status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None
    assert "You have no unread notifications." in client.get("/notifications/").content.decode()


def test_marking_read_with_htmx_swaps_the_item(world, client):
    reviewer = world.user("reviewer")
    n = _tell(world, reviewer)

    response = _signed_in(client, reviewer).post(f"/notifications/{n.pk}/read/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'id="notification-{n.pk}"' in response.content.decode()
    assert "Mark unread" in response.content.decode()


def test_nobody_can_mark_someone_elses_notification(world, client):
    n = _tell(world, world.user("reviewer"))

    response = _signed_in(client, world.user("qa_officer")).post(f"/notifications/{n.pk}/read/")

    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(world, client):
    reviewer = world.user("reviewer")
    _tell(world, reviewer)
    _tell(world, reviewer, "Another one")
    _tell(world, world.user("qa_officer"))

    _signed_in(client, reviewer).post("/notifications/read-all/")

    assert not Notification.objects.filter(recipient=reviewer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.user("qa_officer"), read_at__isnull=True).exists()


def test_the_preferences_page_saves_choices(world, client):
    reviewer = world.user("reviewer")
    page = _signed_in(client, reviewer).get("/notifications/preferences/").content.decode()
    assert "Someone mentions me in a comment" in page

    response = client.post(
        "/notifications/preferences/",
        {"channel:*": Channel.DIGEST, "channel:comment.mention": Channel.IMMEDIATE, "channel:task.assigned": ""},
    )

    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=reviewer).values_list("event", "channel")) == {
        "*": "digest",
        "comment.mention": "immediate",
    }


def test_the_pages_need_signing_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/preferences/").status_code == 302
