"""Single sign-on with OpenID Connect: a full round trip against a provider started in the test."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied
from django.test import Client

from credence.integrations import services

from .identity_providers import OidcProvider, serve_oidc

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp() -> Iterator[OidcProvider]:
    provider = OidcProvider()
    server = serve_oidc(provider)
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def home_sso(world, idp):
    services.configure_oidc(
        actor=world.admin,
        organisation=world.home,
        server_url=idp.base_url,
        client_id=idp.client_id,
        secret=idp.client_secret,
        name="University of Home sign-in",
    )
    return idp


def round_trip(client: Client, organisation_slug: str):
    """Choose the organisation on our sign-in page, be sent to the provider, come back with a code."""
    start = client.post("/accounts/institution/", {"organisation": organisation_slug, "next": "/"})
    assert start.status_code == 302, start.content[:300]
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")


def test_a_member_signs_in_through_their_institution(world, home_sso):
    user = world.user("qa_officer")
    home_sso.person = {
        "sub": "staff-1234",
        "email": user.email.upper(),
        "email_verified": True,
        "name": "Q Officer",
    }
    client = Client()

    sign_in_page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your institution" in sign_in_page
    assert world.home.name in sign_in_page

    response = round_trip(client, world.home.slug)

    assert response.status_code == 302, response.content[:500]
    assert client.get("/").context["user"] == user
    assert home_sso.token_requests == 1
    account = SocialAccount.objects.get(user=user)
    assert account.uid == "staff-1234"

    # The next time, the link is by the provider's subject, not the e-mail address.
    second = Client()
    home_sso.person = {"sub": "staff-1234", "email": "changed@home.example", "email_verified": True}
    assert round_trip(second, world.home.slug).status_code == 302
    assert second.get("/").context["user"] == user


def test_an_unknown_person_is_refused_and_nothing_is_created(world, home_sso):
    home_sso.person = {"sub": "x-1", "email": "stranger@home.example", "email_verified": True}
    client = Client()
    from credence.organisations.models import User

    before = User.objects.count()

    response = round_trip(client, world.home.slug)

    assert response.status_code == 403
    assert "no Credence account for you at University of Home" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_address_is_not_trusted(world, home_sso):
    home_sso.person = {"sub": "x-2", "email": world.user("proposer").email, "email_verified": False}
    client = Client()

    response = round_trip(client, world.home.slug)

    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_a_member_of_another_organisation_is_refused(world, home_sso):
    home_sso.person = {"sub": "x-3", "email": world.outsider.email, "email_verified": True}
    client = Client()

    response = round_trip(client, world.home.slug)

    assert response.status_code == 403
    assert not client.get("/").context["user"].is_authenticated


def test_only_platform_admins_set_up_single_sign_on(world, idp):
    with pytest.raises(PermissionDenied):
        services.configure_oidc(
            actor=world.user("org_admin"),
            organisation=world.home,
            server_url=idp.base_url,
            client_id="x",
            secret="y",
        )


def test_the_password_sign_in_is_unchanged_next_to_it(world, home_sso):
    from ..factories import PASSWORD

    client = Client()
    response = client.post("/accounts/login/", {"username": "home_proposer", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/").context["user"] == world.user("proposer")


def test_the_command_sets_it_up_for_an_organisation(world, idp, capsys):
    from django.core.management import call_command

    call_command(
        "configure_sso",
        world.home.slug,
        "oidc",
        "--server-url",
        idp.base_url,
        "--client-id",
        "c",
        "--secret",
        "s",
    )

    assert f"/sso/oidc/{world.home.slug}/login/callback/" in capsys.readouterr().out
    assert world.home.name in Client().get("/accounts/login/").content.decode()
