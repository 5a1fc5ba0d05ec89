"""The notifications API: a person's own notifications (list, read, mark read) and their preferences.
Each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object

from . import selectors, services
from .models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id", "event", "subject", "body", "url", "organisation", "channel",
            "created_at", "read_at", "emailed_at", "digested_at",
        ]
        read_only_fields = fields


PREFERENCES = inline_serializer(
    name="NotificationPreferences",
    fields={
        "preferences": serializers.DictField(
            child=serializers.ChoiceField(choices=[("", "(follow *)"), *Channel.choices]),
            help_text='Channel per event name; "*" is every event not named. In a PUT, "" drops a choice.',
        )
    },
)
MARKED = inline_serializer(name="NotificationsMarked", fields={"marked": serializers.IntegerField()})


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """My notifications, newest first. Nobody sees anyone else's."""

    queryset = Notification.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Page
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notifications_of(acting_user(self.request), unread_only=unread)

    def get_object(self) -> Notification:
        return selectors.notification_of(acting_user(self.request), int(self.kwargs["pk"]))

    @extend_schema(parameters=[OpenApiParameter("unread", str, description="1: only unread ones")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer, **error_responses(401, 404)})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one notification read."""
        notification = services.mark_read(actor=acting_user(request), notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: MARKED, **error_responses(401)})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark all my unread notifications read."""
        return Response({"marked": services.mark_all_read(actor=acting_user(request))})

    @extend_schema(request=PREFERENCES, responses={200: PREFERENCES, **error_responses(400, 401)})
    @action(detail=False, methods=["get", "put"])
    def preferences(self, request: Request) -> Response:
        """My channel per event: in_app, immediate (e-mail at once), digest (daily e-mail) or off."""
        user = acting_user(request)
        if request.method == "PUT":
            choices = json_object(request.data).get("preferences")
            if not isinstance(choices, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in choices.items()
            ):
                raise ValidationError({"preferences": ["Send an object mapping event names to channels."]})
            services.set_preferences(actor=user, choices=choices)
        return Response({"preferences": services.preferences_of(user)})


ROUTES: list[tuple[str, Any, str]] = [("notifications", NotificationViewSet, "notification")]
