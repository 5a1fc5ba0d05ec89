"""The monitoring API: each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls.

Offerings themselves are created and listed through /api/offerings/ (credence.issuance.api); here are
their results (an import from a student system or LMS, all or nothing, idempotent), their indicators,
and the organisation's monitoring flags."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses
from credence.organisations.authorization import can, organisation_ids_of

from . import selectors, services
from .models import EnrolmentStatus, Flag, IndicatorValue, Offering


class ResultRowSerializer(serializers.Serializer[Any]):
    external_id = serializers.CharField(max_length=100, help_text="The learner's student record id.")
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    grade = serializers.CharField(required=False, allow_blank=True, max_length=40)
    enrolled_on = serializers.DateField(required=False, allow_null=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    withdrawn_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)


class ResultsSerializer(serializers.Serializer[Any]):
    rows = ResultRowSerializer(many=True, help_text="One row per learner in the offering.")


class ImportReportSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    learners_created = serializers.IntegerField()
    enrolments_created = serializers.IntegerField()
    enrolments_updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    flags_raised = serializers.ListField(child=serializers.CharField())


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "period", "value", "n", "computed_at"]


class FlagSerializer(serializers.ModelSerializer[Flag]):
    micro_credential = serializers.CharField(source="micro_credential.code", read_only=True)
    offering = serializers.CharField(source="offering.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Flag
        fields = [
            "id",
            "micro_credential",
            "offering",
            "indicator",
            "period",
            "value",
            "n",
            "message",
            "status",
            "raised_at",
            "resolved_at",
            "resolution",
        ]


FIELDS = list(services.IMPORT_FIELDS)[1:]


class OfferingResultsViewSet(viewsets.GenericViewSet[Offering]):
    serializer_class = IndicatorValueSerializer
    queryset = Offering.objects.none()  # every action reads through the selectors; this types the path
    http_method_names = ["get", "post"]

    @extend_schema(
        summary="Import an offering's enrolments and results",
        description="All or nothing: a bad row refuses the whole list, with `errors` keyed `rows[i].field`. "
        "Learners are matched by student record id within the organisation and enrolments by offering and "
        "learner, so sending the same rows again changes nothing. Indicators are recomputed and thresholds "
        "checked afterwards.",
        request=ResultsSerializer,
        responses={200: ImportReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        offering = selectors.get_offering(user, int(pk))
        data = ResultsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            [
                ""
                if row.get(field) is None
                else ("yes" if row[field] is True else "no" if row[field] is False else row[field])
                for field in FIELDS
            ]
            for row in data.validated_data["rows"]
        ]
        report = services.import_results(
            actor=user,
            organisation=offering.organisation,
            header=FIELDS,
            rows=rows,
            mapping={field: field for field in FIELDS},
            offering=offering,
            file_name="api",
        )
        return Response(
            ImportReportSerializer(
                {
                    "rows": report.rows,
                    "learners_created": report.learners_created,
                    "enrolments_created": report.enrolments_created,
                    "enrolments_updated": report.enrolments_updated,
                    "unchanged": report.unchanged,
                    "flags_raised": [f.message for f in report.flags or []],
                }
            ).data
        )

    @extend_schema(
        summary="The indicators of an offering",
        responses={200: IndicatorValueSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def indicators(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        offering = selectors.get_offering(user, int(pk))
        return Response(
            IndicatorValueSerializer(offering.indicator_values.order_by("indicator"), many=True).data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Monitoring flags of the organisations you belong to",
        responses={200: FlagSerializer(many=True), **error_responses(401)},
    )
)
class FlagViewSet(viewsets.GenericViewSet[Flag]):
    serializer_class = FlagSerializer
    pagination_class = Page
    http_method_names = ["get"]

    def get_queryset(self) -> QuerySet[Flag]:
        user = self.request.user
        allowed = [
            pk
            for pk in organisation_ids_of(user)
            if can(user, "monitoring.view_monitoring", selectors._Org(pk))
        ]
        queryset = Flag.objects.select_related("micro_credential", "offering").order_by("-raised_at", "-pk")
        if getattr(user, "is_superuser", False):
            return queryset
        return queryset.filter(organisation_id__in=allowed)

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FlagSerializer(page, many=True).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("monitoring/offerings", OfferingResultsViewSet, "monitoring-offering"),
    ("monitoring/flags", FlagViewSet, "monitoring-flag"),
]
