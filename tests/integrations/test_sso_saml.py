"""Single sign-on with SAML 2.0: a full round trip against an identity provider started in the test,
which signs its assertions with a key made for the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from credence.integrations import services
from credence.organisations.models import User

from .identity_providers import SamlIdentityProvider, serve_saml

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp() -> Iterator[SamlIdentityProvider]:
    provider = SamlIdentityProvider()
    server = serve_saml(provider)
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def home_saml(world, idp):
    services.configure_saml(
        actor=world.admin,
        organisation=world.home,
        idp_entity_id=idp.entity_id,
        idp_sso_url=idp.sso_url,
        idp_x509cert=idp.cert_pem,
    )
    return idp


def round_trip(client: Client, organisation_slug: str, tamper=None):
    start = client.post("/accounts/institution/", {"organisation": organisation_slug, "next": "/"})
    assert start.status_code == 302, start.content[:300]
    assert start["Location"].startswith("http://127.0.0.1:")
    page = requests.get(start["Location"], timeout=5).text
    action = unescape(re.search(r'action="([^"]+)"', page).group(1))
    fields = {name: unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page)}
    if tamper:
        fields["SAMLResponse"] = tamper(fields["SAMLResponse"])
    acs = client.post(urlsplit(action).path, fields)
    assert acs.status_code == 302, acs.content[:300]
    return client.get(acs["Location"])


def test_a_member_signs_in_through_their_institutions_saml_provider(world, home_saml):
    user = world.user("approver")
    home_saml.person = {"nameid": "emp-77", "email": user.email, "first_name": "A", "last_name": "Pprover"}
    client = Client(HTTP_HOST="testserver")  # a browser always sends Host; python3-saml reads it

    response = round_trip(client, world.home.slug)

    assert response.status_code == 302, response.content[:800]
    assert client.get("/").context["user"] == user
    assert home_saml.requests_seen == 1
    assert SocialAccount.objects.get(user=user).uid == "emp-77"


def test_a_forged_assertion_is_refused(world, home_saml):
    """Change the signed e-mail address after signing: the signature no longer holds."""
    import base64

    victim = world.user("org_admin")
    home_saml.person = {"nameid": "emp-78", "email": "someone-else@example.org"}

    def forge(encoded: str) -> str:
        xml = base64.b64decode(encoded).decode()
        return base64.b64encode(xml.replace("someone-else@example.org", victim.email).encode()).decode()

    client = Client(HTTP_HOST="testserver")  # a browser always sends Host; python3-saml reads it
    response = round_trip(client, world.home.slug, tamper=forge)

    assert response.status_code == 401
    assert "Sign-in did not complete" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_an_unknown_person_is_refused(world, home_saml):
    home_saml.person = {"nameid": "emp-79", "email": "nobody-here@home.example"}
    before = User.objects.count()
    client = Client(HTTP_HOST="testserver")  # a browser always sends Host; python3-saml reads it

    response = round_trip(client, world.home.slug)

    assert response.status_code == 403
    assert "Ask your organisation admin" in response.content.decode()
    assert User.objects.count() == before
