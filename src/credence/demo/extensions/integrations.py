"""The integrations demo: Northbridge's admin has given its student records system a read-only API
token and registered a webhook endpoint for publications. The endpoint is paused so loading the demo
never calls out; its secret and the token's are not printed anywhere."""

from __future__ import annotations

from typing import Any

from credence.integrations import services
from credence.integrations.models import ApiToken, WebhookEndpoint
from credence.organisations.models import User

ORDER = 80

TOKEN_NAME = "Student records system"
WEBHOOK_URL = "https://hooks.example.org/credence/northbridge"


def load(context: Any) -> None:
    organisation = context.organisations.get("northbridge")
    actor = User.objects.filter(username="olivia").first()
    if organisation is None or actor is None:
        return
    if not ApiToken.objects.filter(organisation=organisation, name=TOKEN_NAME).exists():
        services.create_api_token(
            actor=actor, organisation=organisation, name=TOKEN_NAME, scopes=["catalogue:read"]
        )
    if not WebhookEndpoint.objects.filter(organisation=organisation, url=WEBHOOK_URL).exists():
        endpoint = services.register_webhook(
            actor=actor,
            organisation=organisation,
            url=WEBHOOK_URL,
            events=["version.published", "version.retired"],
            description="National course portal (demo; paused)",
        )
        services.set_webhook_active(actor=actor, endpoint=endpoint, active=False)
