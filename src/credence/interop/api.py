"""The interop API: catalogue import jobs and saved column mappings. Each (prefix, viewset, basename) in
ROUTES is registered by credence.api_urls.

POST /api/import/jobs/ takes a file (multipart) with the organisation, optionally a saved mapping's
name and/or a column mapping (JSON), and either previews it (`dry_run`: nothing is written; the answer
holds each row's planned action and problems) or imports it. GET a job for its status and progress.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses
from credence.organisations.models import Organisation

from . import selectors, services
from .models import ColumnMapping, ImportJob, ImportMode, ImportStatus


class RowReportSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="The row in the file (the heading is row 1).")
    code = serializers.CharField()
    title = serializers.CharField()
    action = serializers.ChoiceField(choices=list(services.ACTION_LABELS))
    changed = serializers.ListField(child=serializers.CharField())
    problems = serializers.ListField(child=serializers.CharField())


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    report = RowReportSerializer(many=True, read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True), read_only=True)
    headers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ImportJob
        fields = (
            "id",
            "organisation",
            "kind",
            "filename",
            "encoding",
            "source",
            "headers",
            "mapping",
            "mode",
            "as_approved",
            "provenance",
            "status",
            "progress",
            "total_rows",
            "counts",
            "report",
            "message",
            "created_at",
            "finished_at",
        )
        read_only_fields = fields


class ImportJobCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(help_text="The id of the organisation to import into.")
    file = serializers.FileField(help_text="A CSV, XLSX or JSON file, one micro-credential per row.")
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, help_text="A saved mapping's source name."
    )
    columns = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='A JSON object, column heading -> element ("" to skip a column).',
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Preview only; write nothing."
    )
    mode = serializers.ChoiceField(
        choices=ImportMode.choices, required=False, default=ImportMode.ALL_OR_NOTHING
    )
    as_approved = serializers.BooleanField(required=False, default=False)
    source_system = serializers.CharField(required=False, allow_blank=True)
    approved_on = serializers.DateField(required=False, allow_null=True)


class ColumnMappingSerializer(serializers.ModelSerializer[ColumnMapping]):
    columns = serializers.DictField(child=serializers.CharField(allow_blank=True))

    class Meta:
        model = ColumnMapping
        fields = ("id", "organisation", "name", "columns", "updated_at")
        read_only_fields = ("id", "updated_at")
        extra_kwargs = {"organisation": {"queryset": Organisation.objects.all()}}
        validators: list[Any] = []  # the service says when a name is taken (it replaces the mapping)


def _organisation(pk: Any) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"organisation": "No such organisation."})
    return found


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportJob]):
    """Catalogue imports in the organisations where you may import."""

    serializer_class = ImportJobSerializer
    pagination_class = Page
    parser_classes = (MultiPartParser, JSONParser)

    def get_queryset(self) -> Any:
        return selectors.import_jobs_visible_to(self.request.user)

    def get_object(self) -> ImportJob:
        return selectors.import_job_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Upload a catalogue file: preview it (dry_run) or import it",
        request={"multipart/form-data": ImportJobCreateSerializer},
        responses={201: ImportJobSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        actor = acting_user(request)
        form = ImportJobCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = _organisation(data["organisation"])
        job = services.start_import(
            actor=actor, organisation=organisation, upload=data["file"], source=data.get("source", "")
        )
        columns = job.mapping
        if data.get("columns"):
            try:
                given = json.loads(data["columns"])
            except json.JSONDecodeError:
                raise ValidationError({"columns": "Give the columns as a JSON object."}) from None
            if not isinstance(given, dict):
                raise ValidationError({"columns": "Give the columns as a JSON object."})
            columns = {**columns, **{str(k): str(v or "") for k, v in given.items()}}
        job = services.set_mapping(actor=actor, job=job, columns=columns)
        if data["dry_run"]:
            job = services.preview_import(actor=actor, job=job)
        else:
            job = services.queue_import(
                actor=actor,
                job=job,
                mode=data["mode"],
                as_approved=data["as_approved"],
                provenance={
                    "source_system": data.get("source_system", ""),
                    "approved_on": data.get("approved_on"),
                },
            )
        job.refresh_from_db()
        if job.status == ImportStatus.QUEUED and not _broker_configured():
            # No worker: the eager task runs when the transaction commits; run it here if it has not.
            job = services.run_import(actor=actor, job=job)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="List your imports", responses={200: ImportJobSerializer(many=True), **error_responses(401)}
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One import: its status, progress and per-row report",
        responses={200: ImportJobSerializer, **error_responses(401, 404)},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


def _broker_configured() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


class ColumnMappingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ColumnMapping]):
    """Saved column mappings, one per source (a faculty's spreadsheet, a records system's export)."""

    serializer_class = ColumnMappingSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)

    def get_queryset(self) -> Any:
        return selectors.mappings_visible_to(self.request.user)

    @extend_schema(
        summary="List saved mappings",
        responses={200: ColumnMappingSerializer(many=True), **error_responses(401)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Save (or replace) the mapping of a source",
        request=ColumnMappingSerializer,
        responses={201: ColumnMappingSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        actor = acting_user(request)
        form = ColumnMappingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        mapping = services.save_mapping(
            actor=actor,
            organisation=form.validated_data["organisation"],
            name=form.validated_data["name"],
            columns=form.validated_data["columns"],
        )
        return Response(ColumnMappingSerializer(mapping).data, status=status.HTTP_201_CREATED)


ROUTES: list[tuple[str, Any, str]] = [
    ("import/jobs", ImportJobViewSet, "import-job"),
    ("import/mappings", ColumnMappingViewSet, "import-mapping"),
]
