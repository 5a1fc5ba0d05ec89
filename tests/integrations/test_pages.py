"""The Integrations pages, as an organisation admin uses them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from credence.integrations.models import ApiToken, DeliveryStatus, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_creates_a_token_and_sees_its_secret_once(world):
    client = signed_in(world.user("org_admin"))

    response = client.post(
        "/integrations/tokens/new/",
        {
            "token-organisation": world.home.pk,
            "token-name": "Student records",
            "token-scopes": ["catalogue:read"],
            "token-expires_in": "90",
        },
    )

    assert response.status_code == 200
    secret = re.search(r"cred_[0-9a-f]{8}_[A-Za-z0-9_-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get(name="Student records")
    assert secret.startswith(f"cred_{token.prefix}_")
    listing = client.get("/integrations/").content.decode()
    assert "Student records" in listing
    assert secret not in listing


def test_a_token_without_scopes_is_refused_on_the_form(world):
    client = signed_in(world.user("org_admin"))

    response = client.post(
        "/integrations/tokens/new/", {"token-organisation": world.home.pk, "token-name": "LMS"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_admin_revokes_a_token(world):
    client = signed_in(world.user("org_admin"))
    client.post(
        "/integrations/tokens/new/",
        {
            "token-organisation": world.home.pk,
            "token-name": "LMS",
            "token-scopes": ["import"],
            "token-expires_in": "",
        },
    )
    token = ApiToken.objects.get()

    response = client.post(f"/integrations/tokens/{token.pk}/revoke/", follow=True)

    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.state == "revoked"


def test_an_admin_registers_an_endpoint_and_sends_a_test_event(
    world, receiver, django_capture_on_commit_callbacks
):
    client = signed_in(world.user("org_admin"))
    response = client.post(
        "/integrations/webhooks/new/",
        {
            "webhook-organisation": world.home.pk,
            "webhook-url": receiver.url,
            "webhook-events": ["version.published"],
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/integrations/webhooks/{endpoint.pk}/test/")

    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED
    page = client.get(f"/integrations/webhooks/{endpoint.pk}/").content.decode()
    assert "Delivered" in page
    assert "(test)" in page


def test_a_bad_url_is_refused_with_its_reason(world, settings):
    settings.CREDENCE_WEBHOOK_ALLOW_PRIVATE = False
    client = signed_in(world.user("org_admin"))

    response = client.post(
        "/integrations/webhooks/new/",
        {
            "webhook-organisation": world.home.pk,
            "webhook-url": "https://192.168.1.10/hook",
            "webhook-events": ["version.published"],
        },
    )

    assert response.status_code == 400
    assert "private, loopback or reserved" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_nav_link_shows_for_admins_only(world):
    assert b'href="/integrations/"' in signed_in(world.user("org_admin")).get("/").content
    assert b'href="/integrations/"' not in signed_in(world.user("qa_officer")).get("/").content


@pytest.mark.parametrize("who", ["qa_officer", "proposer"])
def test_other_roles_are_refused(world, who):
    assert signed_in(world.user(who)).get("/integrations/").status_code == 403


def test_another_organisations_admin_cannot_see_the_endpoint(world, receiver):
    from credence.integrations import services

    endpoint = services.register_webhook(
        actor=world.user("org_admin"), organisation=world.home, url=receiver.url, events=["version.published"]
    )

    assert signed_in(world.outsider_qa).get(f"/integrations/webhooks/{endpoint.pk}/").status_code == 404
    assert signed_in(world.outsider_qa).post(f"/integrations/webhooks/{endpoint.pk}/test/").status_code == 404
