"""Reads of the integrations app. An organisation's tokens and webhooks are seen by those who manage
them (its organisation admins, and platform admins)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from credence.errors import NotVisible
from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation

from .models import ApiToken, WebhookDelivery, WebhookEndpoint


def _managed(user: Any, permission: str) -> list[int] | None:
    """Ids of the organisations where `user` holds `permission`; None means all (platform admin)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return [pk for pk in organisation_ids_of(user) if can(user, permission, Organisation(pk=pk))]


def organisations_managed_by(user: Any) -> QuerySet[Organisation]:
    """The organisations whose integrations `user` manages, for the Integrations page."""
    ids = _managed(user, "integrations.manage_tokens")
    queryset = Organisation.objects.order_by("name")
    return queryset if ids is None else queryset.filter(pk__in=ids)


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    queryset = ApiToken.objects.select_related("organisation", "created_by").order_by("-created_at", "-id")
    ids = _managed(user, "integrations.manage_tokens")
    return queryset if ids is None else queryset.filter(organisation_id__in=ids)


def get_token(user: Any, pk: int) -> ApiToken:
    found = tokens_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such API token.")
    return found


def endpoints_visible_to(user: Any) -> QuerySet[WebhookEndpoint]:
    queryset = WebhookEndpoint.objects.select_related("organisation").order_by("organisation__name", "url")
    ids = _managed(user, "integrations.manage_webhooks")
    return queryset if ids is None else queryset.filter(organisation_id__in=ids)


def get_endpoint(user: Any, pk: int) -> WebhookEndpoint:
    found = endpoints_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such webhook endpoint.")
    return found


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.order_by("-attempted_at", "-id")
