"""REST API for the audit log: read-only, and only the events a person may see (`selectors`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, error_responses

from .models import AuditEvent
from .selectors import audit_events_visible_to


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    changes = serializers.JSONField(
        read_only=True,
        help_text="The field-level difference, {field: [old, new]}; decimals are strings.",
    )

    class Meta:
        model = AuditEvent
        fields = (
            "id",
            "sequence",
            "occurred_at",
            "actor",
            "actor_label",
            "organisation",
            "action",
            "object_type",
            "object_id",
            "object_label",
            "changes",
            "request_id",
            "previous_hash",
            "hash",
        )
        read_only_fields = fields


class AuditEventFilter(filters.FilterSet):
    # Plain numbers, not model choices: an id that does not exist answers an empty list, like one not visible.
    organisation = filters.NumberFilter(field_name="organisation")
    actor = filters.NumberFilter(field_name="actor")

    class Meta:
        model = AuditEvent
        fields = ("object_type", "object_id", "action", "organisation", "actor")


@extend_schema_view(
    list=extend_schema(
        summary="List audit events",
        description="Newest first. Platform admins see every event; QA officers and organisation admins see "
        "their organisations' events; nobody else sees any.",
        responses={200: AuditEventSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="Read an audit event", responses={200: AuditEventSerializer, **error_responses(403, 404)}
    ),
)
class AuditEventViewSet(viewsets.GenericViewSet[AuditEvent]):
    pagination_class = Page
    serializer_class = AuditEventSerializer
    permission_classes = (IsAuthenticated,)
    filterset_class = AuditEventFilter
    ordering_fields = ("sequence", "occurred_at")
    ordering = ("-sequence",)

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AuditEventSerializer(self.get_object()).data)
