from __future__ import annotations

from tests.factories import PASSWORD


def test_sign_in_page_has_labelled_fields(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="field__label" for="id_username">Username or e-mail address' in html
    assert 'for="id_password"' in html


def test_signs_in_with_username(client, world):
    response = client.post("/accounts/login/", {"username": "home_proposer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == world.user("proposer")


def test_signs_in_with_email_address(client, world):
    response = client.post(
        "/accounts/login/", {"username": "HOME_PROPOSER@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == world.user("proposer")


def test_wrong_password_is_refused_with_a_message(client, world):
    response = client.post("/accounts/login/", {"username": "home_proposer", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_sign_in_returns_to_next_page(client, world):
    response = client.post(
        "/accounts/login/?next=/micro-credentials/",
        {"username": "home_proposer", "password": PASSWORD, "next": "/micro-credentials/"},
    )
    assert response["Location"] == "/micro-credentials/"


def test_sign_out_is_a_post(client_for, world):
    client = client_for(world.user("proposer"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_pages_that_need_a_person_send_anonymous_visitors_to_sign_in(client, draft):
    for url in ("/micro-credentials/new/", f"/versions/{draft.pk}/edit/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
