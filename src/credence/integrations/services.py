"""Writes of the integrations app: API tokens, webhook endpoints and the log of webhook deliveries."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from credence.audit.services import record_event
from credence.organisations import services as org_services
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, Role, User

from . import totp, webhooks
from .models import (
    ApiToken,
    DeliveryStatus,
    Scope,
    TotpDevice,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "cred"
# The roles a token's service account holds, from its scopes. Roles only open what the scope map in
# scopes.py lets a token reach at all (publishing, approving and key management stay with people).
SCOPE_ROLES: dict[str, str] = {
    Scope.CATALOGUE_READ: Role.REVIEWER,
    Scope.MICROCREDENTIALS_WRITE: Role.PROPOSER,
    Scope.IMPORT: Role.PROPOSER,
    Scope.CREDENTIALS_ISSUE: Role.QA_OFFICER,
}
MAX_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 30  # then x4: 30 s, 2 min, 8 min, 32 min
TEST_EVENT = "test"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- API tokens ----------------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    scopes: Sequence[str],
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its full secret (`cred_<prefix>_<secret>`), which is shown once and never stored."""
    if actor is not None:
        require(actor, "integrations.manage_tokens", organisation)
    name = (name or "").strip()
    wanted = list(dict.fromkeys(scopes or []))
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Name the integration that will use this token."
    elif len(name) > 120:
        errors["name"] = "Keep the name to 120 characters."
    unknown = [s for s in wanted if s not in Scope.values]
    if unknown:
        errors["scopes"] = (
            f"Unknown scope(s): {', '.join(map(str, unknown))}. Use: {', '.join(Scope.values)}."
        )
    elif not wanted:
        errors["scopes"] = "Give the token at least one scope."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry must be in the future."
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    membership = org_services.add_member(
        actor=actor,
        organisation=organisation,
        email=f"api-token-{prefix}@tokens.invalid",
        username=f"api-token-{prefix}",
        first_name="API token",
        last_name=name[:100],
        roles=list(dict.fromkeys(SCOPE_ROLES[s] for s in wanted)),
        service_account=True,
    )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=wanted,
        service_user=membership.user,
        created_by=actor if actor is not None and actor.pk else None,
        expires_at=expires_at,
    )
    record_event(
        actor=actor,
        action="integrations.token_created",
        obj=token,
        organisation=organisation,
        changes={"name": [None, name], "scopes": [None, wanted], "expires_at": [None, expires_at]},
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_api_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None:
        require(actor, "integrations.manage_tokens", token.organisation)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"__all__": "This token is already revoked."})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    service_user = token.service_user
    service_user.is_active = False
    service_user.save(update_fields=["is_active"])
    record_event(
        actor=actor,
        action="integrations.token_revoked",
        obj=token,
        organisation=token.organisation,
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token a full secret belongs to, or None (unknown, revoked or expired)."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("service_user", "organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(parts[2])):
        return None
    return token


def note_token_used(*, token: ApiToken) -> None:
    """Bookkeeping, not an audited change: at most one write a minute per token."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- webhook endpoints ---------------------------------------------------------------------------------


def _clean_events(events: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(events or []))
    unknown = [e for e in wanted if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {
                "events": f"Unknown event(s): {', '.join(map(str, unknown))}. Use: {', '.join(WebhookEvent.values)}."
            }
        )
    if not wanted:
        raise ValidationError({"events": "Choose at least one event to send."})
    return wanted


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": "Give the URL to send events to."})
    if len(url) > 500:
        raise ValidationError({"url": "Keep the URL to 500 characters."})
    try:
        webhooks.check_url(url, resolve=False)
    except webhooks.AddressRefused as refused:
        raise ValidationError({"url": str(refused)}) from None
    return url


@transaction.atomic
def register_webhook(
    *,
    actor: User | None,
    organisation: Organisation,
    url: str,
    events: Sequence[str],
    description: str = "",
) -> WebhookEndpoint:
    if actor is not None:
        require(actor, "integrations.manage_webhooks", organisation)
    errors: dict[str, list[str]] = {}
    for clean in (lambda: _clean_url(url), lambda: _clean_events(events)):
        try:
            clean()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if len(description or "") > 200:
        errors["description"] = ["Keep the description to 200 characters."]
    if errors:
        raise ValidationError(errors)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url.strip(),
        description=(description or "").strip(),
        events=_clean_events(events),
        secret=secrets.token_hex(32),
        created_by=actor if actor is not None and actor.pk else None,
    )
    record_event(
        actor=actor,
        action="integrations.webhook_registered",
        obj=endpoint,
        organisation=organisation,
        changes={"url": [None, endpoint.url], "events": [None, endpoint.events]},
    )
    return endpoint


@transaction.atomic
def set_webhook_active(*, actor: User | None, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    if actor is not None:
        require(actor, "integrations.manage_webhooks", endpoint.organisation)
    if endpoint.active != active:
        endpoint.active = active
        endpoint.save(update_fields=["active"])
        record_event(
            actor=actor,
            action="integrations.webhook_resumed" if active else "integrations.webhook_paused",
            obj=endpoint,
            organisation=endpoint.organisation,
            changes={"active": [not active, active]},
        )
    return endpoint


@transaction.atomic
def send_test_event(*, actor: User | None, endpoint: WebhookEndpoint) -> uuid.UUID:
    """Queue a `test` event to one endpoint (paused or not); it is delivered after this transaction."""
    if actor is not None:
        require(actor, "integrations.manage_webhooks", endpoint.organisation)
    event_id = uuid.uuid4()
    payload = event_payload(
        event_id=event_id,
        event_type=TEST_EVENT,
        occurred_at=timezone.now(),
        organisation=endpoint.organisation,
        subject={"type": "integrations.webhookendpoint", "id": str(endpoint.pk), "label": endpoint.url},
    )
    record_event(
        actor=actor,
        action="integrations.webhook_test_sent",
        obj=endpoint,
        organisation=endpoint.organisation,
        changes={"event_id": [None, str(event_id)]},
    )
    body = json.dumps(payload, separators=(",", ":"))
    transaction.on_commit(lambda: _enqueue(endpoint.pk, str(event_id), TEST_EVENT, body, is_test=True))
    return event_id


# --- events and deliveries -----------------------------------------------------------------------------


def event_payload(
    *,
    event_id: uuid.UUID,
    event_type: str,
    occurred_at: dt.datetime,
    organisation: Organisation,
    subject: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": event_type,
        "occurred_at": occurred_at.isoformat(),
        "organisation": {"id": organisation.pk, "slug": organisation.slug, "name": organisation.name},
        "object": dict(subject),
        "data": dict(data or {}),
    }


def _enqueue(endpoint_id: int, event_id: str, event_type: str, body: str, *, is_test: bool = False) -> None:
    from .tasks import deliver_webhook

    try:
        deliver_webhook.delay(endpoint_id, event_id, event_type, body, is_test, 1)
    except Exception:  # a broker that is down must not break the write the event came from
        logger.exception("Could not queue webhook event %s for endpoint %s", event_id, endpoint_id)


def publish_event(
    *,
    organisation: Organisation,
    event_type: str,
    occurred_at: dt.datetime,
    subject: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
) -> uuid.UUID | None:
    """Queue one event for every active endpoint of the organisation that asked for it."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(organisation=organisation, active=True)
        if event_type in e.events
    ]
    if not endpoints:
        return None
    event_id = uuid.uuid4()
    body = json.dumps(
        event_payload(
            event_id=event_id,
            event_type=event_type,
            occurred_at=occurred_at,
            organisation=organisation,
            subject=subject,
            data=data,
        ),
        separators=(",", ":"),
    )
    for endpoint in endpoints:
        _enqueue(endpoint.pk, str(event_id), event_type, body)
    return event_id


def retry_delay(attempt: int) -> dt.timedelta:
    """How long to wait after failed attempt number `attempt` (1-based)."""
    return dt.timedelta(seconds=FIRST_RETRY_SECONDS * 4 ** (attempt - 1))


def attempt_delivery(  # the delivery log is itself the record of this write; no audit event
    *, endpoint: WebhookEndpoint, event_id: str, event_type: str, body: str, is_test: bool, attempt: int
) -> WebhookDelivery:
    """Send one signed attempt and log it; the log says whether (and when) to try again."""
    timestamp = str(int(timezone.now().timestamp()))
    raw = body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Credence-Webhooks/1",
        webhooks.EVENT_HEADER: event_type,
        webhooks.DELIVERY_HEADER: event_id,
        webhooks.TIMESTAMP_HEADER: timestamp,
        webhooks.SIGNATURE_HEADER: webhooks.sign(endpoint.secret, timestamp, raw),
    }
    result = webhooks.post(endpoint.url, body=raw, headers=headers)
    if result.ok:
        status, next_retry_at = DeliveryStatus.SUCCEEDED, None
    elif result.refused:
        status, next_retry_at = DeliveryStatus.REFUSED, None
    elif attempt < MAX_ATTEMPTS:
        status, next_retry_at = DeliveryStatus.RETRYING, timezone.now() + retry_delay(attempt)
    else:
        status, next_retry_at = DeliveryStatus.FAILED, None
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.UUID(event_id),
        event_type=event_type,
        is_test=is_test,
        attempt=attempt,
        status=status,
        status_code=result.status_code,
        response_excerpt=result.response_excerpt,
        error=result.error[:300],
        duration_ms=result.duration_ms,
        next_retry_at=next_retry_at,
    )


# --- two-factor sign-in (local accounts) ---------------------------------------------------------------


@transaction.atomic
def enable_totp(*, actor: User, secret: str, code: str) -> TotpDevice:
    """Turn on two-factor sign-in for `actor`'s own local account, once a code from the app matches."""
    if not actor.has_usable_password():
        raise ValidationError(
            {"code": "Your account signs in through your institution, which handles two-factor sign-in."}
        )
    if TotpDevice.objects.filter(user=actor).exists():
        raise ValidationError({"code": "Two-factor sign-in is already on."})
    step = totp.matching_step(secret, code)
    if step is None:
        raise ValidationError(
            {"code": "That code does not match. Check the time on your phone and enter the current code."}
        )
    device = TotpDevice.objects.create(user=actor, secret=secret, last_used_step=step)
    record_event(actor=actor, action="user.two_factor_enabled", obj=actor)
    return device


@transaction.atomic
def disable_totp(*, actor: User, code: str) -> None:
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is None:
        raise ValidationError({"code": "Two-factor sign-in is not on."})
    if totp.matching_step(device.secret, code, after=device.last_used_step) is None:
        raise ValidationError({"code": "That code does not match; enter the current code from your app."})
    device.delete()
    record_event(actor=actor, action="user.two_factor_disabled", obj=actor)


def check_totp(*, user: User, code: str) -> bool:
    """Whether `code` is the user's current code, not used before; a match uses it up."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        step = totp.matching_step(device.secret, code, after=device.last_used_step)
        if step is None:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
    return True


# --- single sign-on ----------------------------------------------------------------------------------------


def _sso_app(organisation: Organisation, provider: str, name: str) -> Any:
    from allauth.socialaccount.models import SocialApp

    from .sso import app_of

    existing = app_of(organisation)
    if existing is not None and existing.provider != provider:
        raise ValidationError(
            {"protocol": f"{organisation} already signs in through {existing.provider}; remove that first."}
        )
    return existing or SocialApp(provider=provider, name=name or f"{organisation} sign-in")


@transaction.atomic
def configure_oidc(
    *,
    actor: User | None,
    organisation: Organisation,
    server_url: str,
    client_id: str,
    secret: str,
    name: str = "",
) -> Any:
    """Let the organisation's members sign in through its OpenID Connect provider (discovery URL)."""
    if actor is not None:
        require(actor, "integrations.manage_sso", organisation)
    errors = {}
    if not (server_url or "").startswith(("https://", "http://")):
        errors["server_url"] = "Give the provider's address (its discovery document is read from it)."
    if not client_id:
        errors["client_id"] = "Give the client id the provider gave Credence."
    if errors:
        raise ValidationError(errors)
    app = _sso_app(organisation, "openid_connect", name)
    app.provider_id = organisation.slug
    app.client_id = client_id
    app.secret = secret
    app.settings = {"organisation": organisation.slug, "server_url": server_url}
    app.save()
    record_event(
        actor=actor,
        action="integrations.sso_configured",
        organisation=organisation,
        object_type="socialaccount.socialapp",
        object_id=str(app.pk),
        object_label=app.name,
        changes={
            "protocol": [None, "oidc"],
            "server_url": [None, server_url],
            "client_id": [None, client_id],
        },
    )
    return app


@transaction.atomic
def configure_saml(
    *,
    actor: User | None,
    organisation: Organisation,
    idp_entity_id: str,
    idp_sso_url: str,
    idp_x509cert: str,
    attribute_mapping: Mapping[str, Any] | None = None,
    name: str = "",
) -> Any:
    """Let the organisation's members sign in through its SAML 2.0 identity provider."""
    if actor is not None:
        require(actor, "integrations.manage_sso", organisation)
    errors = {}
    if not idp_entity_id:
        errors["idp_entity_id"] = "Give the identity provider's entity id."
    if not (idp_sso_url or "").startswith(("https://", "http://")):
        errors["idp_sso_url"] = "Give the identity provider's single sign-on URL."
    if "BEGIN CERTIFICATE" not in (idp_x509cert or "") and len((idp_x509cert or "").strip()) < 100:
        errors["idp_x509cert"] = "Give the identity provider's signing certificate (PEM)."
    if errors:
        raise ValidationError(errors)
    app = _sso_app(organisation, "saml", name)
    app.provider_id = f"saml-{organisation.slug}"
    app.client_id = organisation.slug  # allauth's SAML URLs carry it: /sso/saml/<slug>/...
    app.settings = {
        "organisation": organisation.slug,
        "idp": {"entity_id": idp_entity_id, "sso_url": idp_sso_url, "x509cert": idp_x509cert},
        "attribute_mapping": dict(
            attribute_mapping
            or {
                "uid": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
                "email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                "first_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                "last_name": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
            }
        ),
        "advanced": {"want_assertion_signed": True, "allow_single_label_domains": True},
    }
    app.save()
    record_event(
        actor=actor,
        action="integrations.sso_configured",
        organisation=organisation,
        object_type="socialaccount.socialapp",
        object_id=str(app.pk),
        object_label=app.name,
        changes={"protocol": [None, "saml"], "idp_entity_id": [None, idp_entity_id]},
    )
    return app
