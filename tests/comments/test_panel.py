"""The comments panel on the version page, posting without JavaScript and with htmx."""

from __future__ import annotations

import pytest

from credence.comments import services
from credence.comments.models import Comment

from ..factories import PASSWORD, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(world):
    return make_version(world.home)


def _page(version):
    return f"/micro-credentials/{version.micro_credential_id}/?version={version.number}"


def test_members_see_the_panel_and_the_public_does_not(world, version, client):
    version_page = _page(version)
    services.add_comment(actor=world.user("reviewer"), subject=version, body="Credits look high.")

    client.login(username="home_proposer", password=PASSWORD)
    assert "Credits look high." in client.get(version_page).content.decode()

    client.logout()
    client.login(username="other_qa", password=PASSWORD)
    response = client.get(version_page)
    assert "Credits look high." not in response.content.decode()


def test_posting_a_comment_without_javascript(world, version, client):
    client.login(username="home_proposer", password=PASSWORD)
    outcome = version.learning_outcomes.first()

    response = client.post(
        "/comments/add/",
        {
            "subject_type": "microcredentials.microcredentialversion",
            "subject_id": version.pk,
            "anchor": f"learning_outcomes[{outcome.key}]",
            "body": "Is this measurable, @home_reviewer?",
        },
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Is this measurable" in page
    assert "Outcome 1:" in page  # the anchor named in words


def test_htmx_swaps_the_panel_and_shows_errors_in_place(world, version, client):
    client.login(username="home_proposer", password=PASSWORD)

    response = client.post(
        "/comments/add/",
        {"subject_type": "microcredentials.microcredentialversion", "subject_id": version.pk, "body": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert "the comment is empty" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_outsider_cannot_post(world, version, client):
    client.login(username="other_proposer", password=PASSWORD)

    response = client.post(
        "/comments/add/",
        {"subject_type": "microcredentials.microcredentialversion", "subject_id": version.pk, "body": "Hi"},
    )

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_replying_and_resolving_through_the_page(world, version, client):
    thread = services.add_comment(actor=world.user("reviewer"), subject=version, body="Fix the title.")
    client.login(username="home_proposer", password=PASSWORD)
    client.post(f"/comments/{thread.pk}/reply/", {"body": "Done."})
    assert thread.replies.get().body == "Done."

    assert client.post(f"/comments/{thread.pk}/resolve/").status_code == 403  # not theirs
    client.logout()
    client.login(username="home_reviewer", password=PASSWORD)
    client.post(f"/comments/{thread.pk}/resolve/")
    thread.refresh_from_db()
    assert thread.resolved_at is not None


def test_editing_ones_own_comment(world, version, client):
    comment = services.add_comment(actor=world.user("reviewer"), subject=version, body="Typo in titel.")
    client.login(username="home_reviewer", password=PASSWORD)
    assert "Typo in titel." in client.get(f"/comments/{comment.pk}/edit/").content.decode()

    client.post(f"/comments/{comment.pk}/edit/", {"body": "Typo in title."})

    comment.refresh_from_db()
    assert comment.body == "Typo in title."
    client.logout()
    client.login(username="home_proposer", password=PASSWORD)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
