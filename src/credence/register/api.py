"""The register REST API. ROUTES are registered on the project's router in credence/api_urls.py.

Public reads (reports, agencies, jurisdictions); the submission endpoints take DEQAR's v2 shape (JSON, or
CSV with the same field names) and answer in DEQAR's shape: `submission_status`, the submitted report, or
`errors` nested per field and per list index (per row for CSV). Nothing of a rejected submission is written.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object, lock_version_of
from credence.organisations import services as org_services
from credence.organisations.models import (
    Identifier,
    Organisation,
    OrganisationKind,
    OrganisationRelationship,
    RelationshipType,
)
from credence.organisations.selectors import relationships_of

from . import selectors, services
from .exports import agency_reference, provider_reference, report_as_deqar
from .models import AgencyActivity, Jurisdiction, QAReport, ReportedProvision


class CSVTextParser(BaseParser):
    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # The CSV text as it is: the service reads it (DEQAR's columns) and checks every row.
        return str(stream.read().decode("utf-8-sig"))


# --- errors in DEQAR's shape ------------------------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def nested_errors(flat: dict[str, list[str]]) -> dict[str, Any]:
    """`{"programmes[0].workload_ects": [...]}` as DRF/DEQAR nest it: `{"programmes": {"0": {...}}}`;
    problems of the whole report under `non_field_errors`."""
    out: dict[str, Any] = {}
    for path, messages in flat.items():
        if path == "__all__":
            out.setdefault("non_field_errors", []).extend(messages)
            continue
        steps = [m.group(1) or m.group(2) for m in _STEP.finditer(path)]
        node = out
        for step in steps[:-1]:
            child = node.setdefault(step, {})
            if not isinstance(child, dict):
                child = node[step] = {"non_field_errors": child}
            node = child
        leaf = steps[-1]
        existing = node.get(leaf)
        if isinstance(existing, dict):
            existing.setdefault("non_field_errors", []).extend(messages)
        else:
            node.setdefault(leaf, []).extend(messages)
    return out


def _flat(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: list(v) for k, v in error.message_dict.items()}
    return {"__all__": list(error.messages)}


# --- serializers ------------------------------------------------------------------------------------------


class ProvisionSerializer(serializers.ModelSerializer[ReportedProvision]):
    programme_type = serializers.CharField(read_only=True)
    micro_credential_code = serializers.CharField(
        source="micro_credential.code", read_only=True, default=None
    )

    class Meta:
        model = ReportedProvision
        fields = (
            "name_primary",
            "qualification_primary",
            "alternative_names",
            "identifiers",
            "countries",
            "nqf_level",
            "qf_ehea_level",
            "degree_outcome",
            "workload_ects",
            "workload_not_applicable",
            "assessment_certification",
            "field_study",
            "field_study_title",
            "learning_outcomes",
            "learning_outcome_description",
            "mc_as_part_of_accreditation",
            "programme_type",
            "micro_credential",
            "micro_credential_code",
        )
        read_only_fields = fields


class RegisterPartySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField(source="display_name")
    kind = serializers.CharField()
    deqar_id = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer[QAReport]):
    agency = RegisterPartySerializer(source="organisation", read_only=True)
    contributing_agencies = RegisterPartySerializer(many=True, read_only=True)
    providers = RegisterPartySerializer(many=True, read_only=True)
    platforms = RegisterPartySerializer(many=True, read_only=True)
    activities = serializers.SerializerMethodField()
    activity_type = serializers.CharField(read_only=True)
    valid_to_calculated = serializers.DateField(read_only=True)
    files = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    programmes = ProvisionSerializer(source="provisions", many=True, read_only=True)

    class Meta:
        model = QAReport
        fields = (
            "id",
            "agency",
            "contributing_agencies",
            "activities",
            "activity_type",
            "local_identifier",
            "status",
            "decision",
            "summary",
            "other_comment",
            "valid_from",
            "valid_to",
            "valid_to_calculated",
            "providers",
            "platforms",
            "programmes",
            "files",
            "links",
            "withdrawn_at",
            "withdrawal_reason",
            "created_at",
            "updated_at",
            "lock_version",
        )
        read_only_fields = fields

    def get_activities(self, report: QAReport) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "deqar_id": a.deqar_id, "name": a.name, "activity_type": a.activity_type}
            for a in report.activities.all()
        ]

    def get_files(self, report: QAReport) -> list[dict[str, Any]]:
        return [
            {
                "display_name": f.display_name,
                "original_location": f.original_location,
                "url": f.file.url if f.file else None,
                "sha256": f.sha256,
                "size": f.size,
                "languages": f.languages,
            }
            for f in report.files.all()
        ]

    def get_links(self, report: QAReport) -> list[dict[str, str]]:
        return [{"link": link.link, "display_name": link.display_name} for link in report.links.all()]


class ActivitySerializer(serializers.ModelSerializer[AgencyActivity]):
    class Meta:
        model = AgencyActivity
        fields = (
            "id",
            "deqar_id",
            "group_id",
            "name",
            "activity_type",
            "local_identifier",
            "description",
            "valid_from",
            "valid_to",
        )
        read_only_fields = fields


class AgencySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    website = serializers.CharField()
    deqar_agency_id = serializers.IntegerField(source="agency_profile.deqar_agency_id", default=None)
    is_registered = serializers.BooleanField(source="agency_profile.is_registered", default=False)
    registration_start = serializers.DateField(source="agency_profile.registration_start", default=None)
    registration_valid_to = serializers.DateField(source="agency_profile.registration_valid_to", default=None)
    geographical_focus = serializers.CharField(source="agency_profile.geographical_focus", default="")
    focus_countries = serializers.ListField(
        child=serializers.CharField(), source="agency_profile.focus_countries", default=list
    )
    report_count = serializers.IntegerField()
    activities = serializers.SerializerMethodField()

    def get_activities(self, agency: Any) -> list[dict[str, Any]]:
        return list(ActivitySerializer(selectors.activities_of(agency), many=True).data)


class JurisdictionSerializer(serializers.ModelSerializer[Jurisdiction]):
    approach_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Jurisdiction
        fields = (
            "id",
            "code",
            "name",
            "approaches",
            "approach_labels",
            "note",
            "source",
            "as_of",
            "lock_version",
        )
        read_only_fields = ("id", "code", "approach_labels")


SUBMISSION_RESPONSE = inline_serializer(
    name="DeqarSubmissionResponse",
    fields={
        "submission_status": serializers.CharField(help_text="`success` or `errors`, as DEQAR answers."),
        "submitted_report": serializers.DictField(required=False),
        "errors": serializers.DictField(required=False, help_text="Nested per field and list index."),
        "original_data": serializers.DictField(required=False),
    },
)


def _success(report: QAReport) -> dict[str, Any]:
    return {
        "submission_status": "success",
        "submitted_report": {
            "id": report.pk,
            "agency": agency_reference(report.organisation),
            "local_identifier": report.local_identifier,
            "status": report.status,
            "decision": report.decision,
            "valid_from": report.valid_from.isoformat(),
            "valid_to": report.valid_to.isoformat() if report.valid_to else None,
            "institutions": [provider_reference(p) for p in report.providers.all()],
            "platforms": [provider_reference(p) for p in report.platforms.all()],
            "programmes": [p.name_primary for p in report.provisions.all()],
        },
        "sanity_check_status": "success",
        "report_flag": "none",
        "report_warnings": [],
        "institution_warnings": [],
    }


# --- viewsets ---------------------------------------------------------------------------------------------


@extend_schema(tags=["register"])
class ReportViewSet(viewsets.ReadOnlyModelViewSet[QAReport]):
    """External QA reports: public, withdrawn ones included (they stay as history)."""

    serializer_class = ReportSerializer
    permission_classes = [AllowAny]
    pagination_class = Page

    def get_queryset(self) -> Any:
        return selectors.report_list(self.request.query_params).prefetch_related(
            "provisions", "files", "links"
        )

    def get_object(self) -> QAReport:
        return selectors.report_detail(int(self.kwargs["pk"]) if str(self.kwargs["pk"]).isdigit() else 0)

    @extend_schema(
        parameters=[
            OpenApiParameter(name, str, description=text)
            for name, text in (
                ("q", "Words in the report, its providers or programmes"),
                ("agency", "Agency slug"),
                ("provider", "Provider slug"),
                ("decision", "DEQAR decision value"),
                ("status", "DEQAR status value"),
                ("activity_type", "institutional, programme, joint programme, institutional/programme"),
                ("current", "1: valid today and not withdrawn"),
                ("alternative", "1: covers an alternative provider"),
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="The report in DEQAR's submission shape (v2)",
        responses={
            200: OpenApiResponse(description="A DEQAR v2 submission package."),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"])
    def deqar(self, request: Request, pk: str) -> Response:
        return Response(report_as_deqar(self.get_object()))

    @extend_schema(
        summary="Add a PDF file to a report (checked from its bytes; files are kept for good)",
        request=inline_serializer(
            name="AddReportFile",
            fields={
                "file": serializers.CharField(help_text="The PDF, base64-encoded."),
                "file_name": serializers.CharField(),
                "display_name": serializers.CharField(required=False),
                "report_language": serializers.ListField(child=serializers.CharField()),
            },
        ),
        responses={201: ReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def files(self, request: Request, pk: str) -> Response:
        data = json_object(request.data)
        try:
            content = base64.b64decode(str(data.get("file") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"file": "The file is not valid base64."}) from None
        report = self.get_object()
        services.add_report_file(
            actor=acting_user(request),
            report=report,
            content=content,
            file_name=str(data.get("file_name") or "report.pdf"),
            display_name=str(data.get("display_name") or ""),
            languages=[str(code) for code in (data.get("report_language") or [])],
        )
        return Response(
            ReportSerializer(selectors.report_detail(report.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Withdraw a report (it stays on record, marked withdrawn with the reason)",
        request=inline_serializer(name="WithdrawReport", fields={"reason": serializers.CharField()}),
        responses={200: ReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = json_object(request.data)
        report = services.withdraw_report(
            actor=acting_user(request), report=self.get_object(), reason=str(data.get("reason") or "")
        )
        return Response(ReportSerializer(selectors.report_detail(report.pk)).data)


@extend_schema(tags=["register"])
class SubmissionViewSet(viewsets.ViewSet):
    """DEQAR-compatible submission: the v2 JSON package, or a CSV batch with the same field names."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, CSVTextParser]

    @extend_schema(
        summary="Submit (POST) or update (PUT) one report in DEQAR's v2 shape",
        request={"application/json": {"type": "object", "description": "A DEQAR v2 submission package"}},
        responses={200: SUBMISSION_RESPONSE, 400: SUBMISSION_RESPONSE, **error_responses(401, 403)},
    )
    @action(detail=False, methods=["post", "put"], url_path="report")
    def report(self, request: Request) -> Response:
        try:
            report = services.submit_report(
                actor=acting_user(request), package=json_object(request.data), update=request.method == "PUT"
            )
        except ValidationError as error:
            return Response(
                {
                    "submission_status": "errors",
                    "original_data": request.data,
                    "errors": nested_errors(_flat(error)),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(_success(report))

    @extend_schema(
        summary="Submit a CSV file of reports (text/csv, DEQAR's columns); all rows or none are recorded",
        request={"text/csv": {"type": "string"}},
        responses={200: SUBMISSION_RESPONSE, 400: SUBMISSION_RESPONSE, **error_responses(401, 403)},
    )
    @action(detail=False, methods=["post"], url_path="csv")
    def csv(self, request: Request) -> Response:
        text = (
            request.data if isinstance(request.data, str) else str(json_object(request.data).get("csv") or "")
        )
        try:
            reports = services.submit_csv(actor=acting_user(request), text=text)
        except ValidationError as error:
            return Response(
                {"submission_status": "errors", "errors": nested_errors(_flat(error))},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"submission_status": "success", "reports": [_success(r) for r in reports]})


class AgencyProfileWriteSerializer(serializers.Serializer[Any]):
    lock_version = serializers.IntegerField(required=False)
    deqar_agency_id = serializers.IntegerField(required=False, allow_null=True)
    is_registered = serializers.BooleanField(required=False)
    registration_start = serializers.DateField(required=False, allow_null=True)
    registration_valid_to = serializers.DateField(required=False, allow_null=True)
    registration_note = serializers.CharField(required=False, allow_blank=True)
    geographical_focus = serializers.CharField(required=False, allow_blank=True)
    focus_countries = serializers.ListField(child=serializers.CharField(), required=False)
    reports_link = serializers.CharField(required=False, allow_blank=True)


class ActivityWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    activity_type = serializers.CharField()
    deqar_id = serializers.IntegerField(required=False, allow_null=True)
    group_id = serializers.IntegerField(required=False, allow_null=True)
    local_identifier = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


@extend_schema(tags=["register"])
class AgencyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet[Any]
):
    """QA agencies, their registration and activities."""

    serializer_class = AgencySerializer
    permission_classes = [AllowAny]
    pagination_class = Page
    lookup_field = "slug"
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.agency_list()

    def get_object(self) -> Any:
        return selectors.agency_detail(self.kwargs["slug"])

    def get_permissions(self) -> Any:
        if self.action in ("partial_update", "activities"):
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        summary="Change the agency's register profile (registration period, focus)",
        request=AgencyProfileWriteSerializer,
        responses={200: AgencySerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        agency = self.get_object()
        serializer = AgencyProfileWriteSerializer(data=json_object(request.data), partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        lock_version = fields.pop("lock_version", None)
        services.set_agency_profile(
            actor=acting_user(request), agency=agency, lock_version=lock_version, **fields
        )
        return Response(AgencySerializer(selectors.agency_detail(slug)).data)

    @extend_schema(
        summary="Add an activity to the agency",
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def activities(self, request: Request, slug: str) -> Response:
        agency = self.get_object()
        serializer = ActivityWriteSerializer(data=json_object(request.data))
        serializer.is_valid(raise_exception=True)
        activity = services.add_agency_activity(
            actor=acting_user(request), agency=agency, **dict(serializer.validated_data)
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class LocationOutSerializer(serializers.Serializer[Any]):
    country = serializers.CharField()
    country_name = serializers.CharField()
    city = serializers.CharField()
    postcode = serializers.CharField()
    is_legal_seat = serializers.BooleanField()


class IdentifierOutSerializer(serializers.ModelSerializer[Identifier]):
    class Meta:
        model = Identifier
        fields = ("resource", "value", "source", "valid_from", "valid_to")
        read_only_fields = fields


class RelationshipSerializer(serializers.ModelSerializer[OrganisationRelationship]):
    parent = RegisterPartySerializer(read_only=True)
    child = RegisterPartySerializer(read_only=True)

    class Meta:
        model = OrganisationRelationship
        fields = ("id", "parent", "child", "relationship_type", "note", "valid_from", "valid_to")
        read_only_fields = fields


class RelationshipWriteSerializer(serializers.Serializer[Any]):
    other = serializers.SlugField(help_text="The slug of the other organisation.")
    role = serializers.ChoiceField(
        choices=[("parent", "parent"), ("child", "child")],
        help_text="What this provider is in the relationship (historical types: the parent is the earlier one).",
    )
    relationship_type = serializers.ChoiceField(choices=RelationshipType.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class ProviderSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField()
    name_english = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()
    is_alternative_provider = serializers.SerializerMethodField()
    organisation_type = serializers.CharField()
    website = serializers.CharField()
    qf_ehea_levels = serializers.ListField(child=serializers.CharField())
    source_of_information = serializers.CharField()
    deqar_id = serializers.CharField()
    eter_id = serializers.CharField()
    founding_date = serializers.DateField(allow_null=True)
    closure_date = serializers.DateField(allow_null=True)
    locations = LocationOutSerializer(many=True, source="locations.all")
    identifiers = IdentifierOutSerializer(many=True, source="identifiers.all")

    def get_is_alternative_provider(self, provider: Organisation) -> bool:
        return bool(provider.kind == OrganisationKind.ALTERNATIVE_PROVIDER)


class ProviderDetailSerializer(ProviderSerializer):
    relationships = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()

    def get_relationships(self, provider: Organisation) -> list[dict[str, Any]]:
        return list(RelationshipSerializer(relationships_of(provider), many=True).data)

    def get_reports(self, provider: Organisation) -> list[dict[str, Any]]:
        return [
            {
                "id": row.report.pk,
                "agency": row.report.organisation.acronym or str(row.report.organisation),
                "local_identifier": row.report.local_identifier,
                "decision": row.report.decision,
                "valid_from": row.report.valid_from.isoformat(),
                "valid_to_calculated": row.report.valid_to_calculated.isoformat(),
                "withdrawn": row.report.is_withdrawn,
                "inherited_from": row.inherited_from.slug if row.inherited_from else None,
            }
            for row in selectors.reports_of_provider(provider)
        ]


@extend_schema(tags=["register"])
class ProviderViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Providers as the register shows them: locations, identifiers, relationships, reports (inherited too)."""

    permission_classes = [AllowAny]
    pagination_class = Page
    lookup_field = "slug"

    def get_serializer_class(self) -> Any:
        return ProviderSerializer if self.action == "list" else ProviderDetailSerializer

    def get_queryset(self) -> Any:
        return selectors.provider_list(self.request.query_params).prefetch_related("identifiers")

    def get_object(self) -> Any:
        return selectors.provider_detail(self.kwargs["slug"])

    def get_permissions(self) -> Any:
        if self.action == "relationships":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        summary="Record a hierarchical or historical relationship with another organisation",
        request=RelationshipWriteSerializer,
        responses={201: RelationshipSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def relationships(self, request: Request, slug: str) -> Response:
        provider = self.get_object()
        serializer = RelationshipWriteSerializer(data=json_object(request.data))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        other = Organisation.objects.filter(slug=data.pop("other")).first()
        if other is None:
            raise ValidationError({"other": "No organisation with this slug."})
        parent, child = (provider, other) if data.pop("role") == "parent" else (other, provider)
        relationship = org_services.add_relationship(
            actor=acting_user(request), parent=parent, child=child, **data
        )
        return Response(RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["register"])
class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet[Jurisdiction]):
    """Jurisdictions and their external QA approaches (seed 000's taxonomy); changes keep their history."""

    serializer_class = JurisdictionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return selectors.jurisdiction_list()

    def get_object(self) -> Jurisdiction:
        return selectors.jurisdiction_detail(self.kwargs["code"])

    @extend_schema(
        summary="Record a jurisdiction's new state (platform admins)",
        request=JurisdictionSerializer,
        responses={200: JurisdictionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, code: str) -> Response:
        jurisdiction = self.get_object()
        data = json_object(request.data)
        updated = services.record_jurisdiction(
            actor=acting_user(request),
            code=jurisdiction.code,
            name=str(data.get("name", jurisdiction.name)),
            approaches=data.get("approaches", jurisdiction.approaches),
            note=str(data.get("note", jurisdiction.note)),
            source=str(data.get("source", jurisdiction.source)),
            as_of=serializers.DateField().to_internal_value(
                data.get("as_of", jurisdiction.as_of.isoformat())
            ),
            lock_version=lock_version_of(data),
        )
        return Response(JurisdictionSerializer(updated).data)

    def get_permissions(self) -> Any:
        if self.action == "partial_update":
            return [IsAuthenticated()]
        return super().get_permissions()


# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = [
    ("register/reports", ReportViewSet, "register-report"),
    ("register/submit", SubmissionViewSet, "register-submit"),
    ("register/agencies", AgencyViewSet, "register-agency"),
    ("register/providers", ProviderViewSet, "register-provider"),
    ("register/jurisdictions", JurisdictionViewSet, "register-jurisdiction"),
]
