"""Signing in for the API: a token for username (or e-mail) and password, then sent on each request."""

from __future__ import annotations

from rest_framework.test import APIClient

from credence.audit.models import AuditEvent

from ..factories import PASSWORD, make_version


def token_for(username: str, password: str = PASSWORD):
    return APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")


def test_it_gives_a_token_for_username_and_password(world):
    response = token_for("home_proposer")

    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_it_gives_the_same_token_for_the_e_mail_address(world):
    by_name = token_for("home_proposer").json()["token"]
    by_email = token_for("HOME_PROPOSER@example.org").json()["token"]

    assert by_name == by_email
    assert AuditEvent.objects.filter(action="user.api_token_issued").count() == 1


def test_it_refuses_a_wrong_password(world):
    response = token_for("home_proposer", "wrong")

    assert response.status_code == 400
    assert "token" not in response.json()
    assert "do not match" in response.json()["errors"]["__all__"][0]


def test_it_refuses_an_inactive_account(world):
    user = world.user("proposer")
    user.is_active = False
    user.save()

    assert token_for("home_proposer").status_code == 400


def test_it_acts_as_the_tokens_owner(world):
    version = make_version(world.home)
    token = token_for("home_proposer").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    read = client.get(f"/api/versions/{version.pk}/")
    written = client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "By token"}, format="json"
    )

    assert read.status_code == 200
    assert written.status_code == 200
    event = AuditEvent.objects.get(action="version.updated")
    assert event.actor == world.user("proposer")


def test_it_refuses_a_made_up_token(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get("/api/memberships/")

    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."


def test_it_requires_the_csrf_token_for_a_signed_in_browser_session(world):
    version = make_version(world.home)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.user("proposer"))

    response = browser.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "CSRF"}, format="json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    version.refresh_from_db()
    assert version.title == "Practical data analysis"


def test_password_guessing_is_throttled(world):
    from rest_framework.test import APIClient

    client = APIClient()
    answers = [
        client.post(
            "/api/auth/token/", {"username": "home_proposer", "password": f"guess{n}"}, format="json"
        ).status_code
        for n in range(11)
    ]
    assert answers[:10] == [400] * 10
    assert answers[10] == 429
