"""The integrations API: an organisation's API tokens and webhook endpoints, and the delivery log.

Managed by people (organisation admins); API tokens themselves cannot reach these endpoints.
Each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses
from credence.errors import NotVisible
from credence.organisations.models import Organisation

from . import selectors, services
from .models import ApiToken, Scope, WebhookDelivery, WebhookEndpoint, WebhookEvent


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise NotVisible("No such organisation.")
    return organisation


# --- API tokens ------------------------------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    state = serializers.CharField(read_only=True, help_text="active, expired or revoked")
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "organisation",
            "name",
            "prefix",
            "scopes",
            "state",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        )
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    name = serializers.CharField(max_length=120, help_text="The integration that will use the token.")
    scopes = serializers.ListField(
        child=serializers.CharField(), help_text=f"Any of: {', '.join(Scope.values)}."
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The full token, `cred_<prefix>_<secret>`. Shown only in this answer."
    )

    class Meta:
        model = ApiToken
        fields = (
            "id",
            "organisation",
            "name",
            "prefix",
            "scopes",
            "state",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "secret",
        )
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="List the API tokens of the organisations you administer",
        responses={200: ApiTokenSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="One API token (never its secret)",
        responses={200: ApiTokenSerializer, **error_responses(401, 404)},
    ),
)
class ApiTokenViewSet(viewsets.ReadOnlyModelViewSet[ApiToken]):
    serializer_class = ApiTokenSerializer
    pagination_class = Page
    permission_classes = (IsAuthenticated,)

    def get_queryset(self) -> QuerySet[ApiToken]:
        return selectors.tokens_visible_to(self.request.user)

    @extend_schema(
        summary="Create an API token",
        description="The answer holds the full token once; only a hash is kept.",
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        user = acting_user(request)
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        token, secret = services.create_api_token(
            actor=user,
            organisation=_organisation(values["organisation"]),
            name=values["name"],
            scopes=values["scopes"],
            expires_at=values.get("expires_at"),
        )
        body = ApiTokenSerializer(token).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke an API token",
        request=None,
        responses={200: ApiTokenSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        token = services.revoke_api_token(actor=user, token=selectors.get_token(user, int(pk)))
        return Response(ApiTokenSerializer(token).data)


# --- webhooks ----------------------------------------------------------------------------------------------


class WebhookEndpointSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = WebhookEndpoint
        fields = ("id", "organisation", "url", "description", "events", "active", "secret", "created_at")
        read_only_fields = fields
        extra_kwargs = {"secret": {"help_text": "Verifies the X-Credence-Signature of each delivery."}}


class WebhookEndpointCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    url = serializers.CharField(max_length=500, help_text="In production, an https URL on a public address.")
    events = serializers.ListField(
        child=serializers.CharField(), help_text=f"Any of: {', '.join(WebhookEvent.values)}."
    )
    description = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class WebhookDeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event_id",
            "event_type",
            "is_test",
            "attempt",
            "status",
            "status_code",
            "response_excerpt",
            "error",
            "duration_ms",
            "attempted_at",
            "next_retry_at",
        )
        read_only_fields = fields


class TestEventSerializer(serializers.Serializer[Any]):
    event_id = serializers.UUIDField()


@extend_schema_view(
    list=extend_schema(
        summary="List the webhook endpoints of the organisations you administer",
        responses={200: WebhookEndpointSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="One webhook endpoint",
        responses={200: WebhookEndpointSerializer, **error_responses(401, 404)},
    ),
)
class WebhookEndpointViewSet(viewsets.ReadOnlyModelViewSet[WebhookEndpoint]):
    serializer_class = WebhookEndpointSerializer
    pagination_class = Page
    permission_classes = (IsAuthenticated,)

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.endpoints_visible_to(self.request.user)

    @extend_schema(
        summary="Register a webhook endpoint",
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        user = acting_user(request)
        data = WebhookEndpointCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        endpoint = services.register_webhook(
            actor=user,
            organisation=_organisation(values["organisation"]),
            url=values["url"],
            events=values["events"],
            description=values["description"],
        )
        return Response(WebhookEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Send a test event to the endpoint",
        description="Queued at once; see the deliveries for how it went.",
        request=None,
        responses={202: TestEventSerializer, **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        event_id = services.send_test_event(actor=user, endpoint=selectors.get_endpoint(user, int(pk)))
        return Response({"event_id": str(event_id)}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The delivery log of the endpoint, newest first",
        responses={200: WebhookDeliverySerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        endpoint = selectors.get_endpoint(user, int(pk))
        paginator = Page()
        page = paginator.paginate_queryset(selectors.deliveries_of(endpoint), request, view=self)
        return paginator.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("integrations/tokens", ApiTokenViewSet, "integration-token"),
    ("integrations/webhooks", WebhookEndpointViewSet, "integration-webhook"),
]
