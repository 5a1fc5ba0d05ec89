"""The demo gives Northbridge a token and a paused webhook endpoint, without calling anything."""

from __future__ import annotations

from credence.demo.loader import load_demo
from credence.integrations.models import ApiToken, WebhookDelivery, WebhookEndpoint


def test_the_demo_has_a_token_and_a_paused_endpoint_for_northbridge(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    token = ApiToken.objects.get(organisation__slug="northbridge")
    assert token.scopes == ["catalogue:read"] and token.state == "active"
    endpoint = WebhookEndpoint.objects.get(organisation__slug="northbridge")
    assert not endpoint.active
    assert not WebhookDelivery.objects.exists()
