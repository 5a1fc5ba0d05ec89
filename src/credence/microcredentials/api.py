"""REST API for micro-credentials and their versions.

A version is read and written as one document (`documents.version_document`): every descriptive element
plus its learning outcomes, assessments, modules and pathways. Assessments and modules name the outcomes
they cover by number (1 = LO1) within the version; a part that carries its `id` is kept, one without is
new, and one left out of a list given is removed.

Thin: the serializers check the *shape* of a body (types, lengths, choices); `services` then validates the
whole document against the rules and writes it, or writes nothing. Both report errors by field path.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Field, Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import (
    LockVersionRequired,
    Page,
    acting_user,
    error_responses,
    json_object,
    lock_version_of,
    merge_parsed,
    stale_write_serializer,
)
from credence.errors import NotVisible, ValidationError
from credence.organisations.api import OrganisationRefSerializer
from credence.organisations.authorization import require
from credence.organisations.models import Organisation

from . import selectors, services
from .diff import diff_versions
from .documents import PART_FIELDS, version_document
from .models import (
    DESCRIPTIVE_FIELDS,
    Assessment,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    Module,
    PartnerRole,
    Partnership,
    Pathway,
    VersionStatus,
)

DECIMAL_HELP = 'A decimal number, written as a string ("5.00"); numbers are accepted on input.'
KEEP_ID_HELP = (
    "The id of an existing item of this version, to keep it (with any changes given); leave it out for a new "
    "item. Items left out of a list that is given are removed."
)
LOCK_HELP = (
    "The lock_version you read. Required on every write; if the version changed since, the write is refused "
    "with 409 and the current document."
)
OUTCOMES_HELP = "The learning outcomes covered, by number within this version (1 = LO1)."
# Keys of the version document that describe it rather than being part of it: ignored in a write body,
# so a document read with GET can be sent back as it is.
READ_ONLY_KEYS = frozenset(
    {
        "id",
        "micro_credential",
        "organisation",
        "code",
        "number",
        "status",
        "lock_version",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
        "published_at",
        "retired_at",
        "retirement_reason",
    }
)


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(allow_null=True, required=False, help_text=DECIMAL_HELP, **kwargs)


def _outcome_numbers() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text=OUTCOMES_HELP
    )


# --- the version document ----------------------------------------------------------------------------------


class SkillSerializer(serializers.Serializer[Any]):
    uri = serializers.URLField(max_length=500, help_text="The skill's ESCO URI (or another web address).")
    label = serializers.CharField(  # type: ignore[assignment]  # the skill's label, not the field's
        max_length=300, required=False, allow_blank=True
    )


class LearningOutcomeSerializer(serializers.ModelSerializer[LearningOutcome]):
    id = serializers.IntegerField(required=False, help_text=KEEP_ID_HELP)
    number = serializers.IntegerField(read_only=True, help_text="Its number in the version: 1 for LO1.")
    skills = SkillSerializer(many=True, required=False, help_text="ESCO skills, with their labels.")

    class Meta:
        model = LearningOutcome
        fields = ("id", "key", "number", "text", "skills")
        read_only_fields = ("key",)


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    id = serializers.IntegerField(required=False, help_text=KEEP_ID_HELP)
    weight = _decimal(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    outcomes = _outcome_numbers()

    class Meta:
        model = Assessment
        fields = ("id", "key", "type", "description", "weight", "summative", "outcomes")
        read_only_fields = ("key",)


class ModuleSerializer(serializers.ModelSerializer[Module]):
    id = serializers.IntegerField(required=False, help_text=KEEP_ID_HELP)
    hours = _decimal(max_digits=6, decimal_places=1, min_value=0)
    outcomes = _outcome_numbers()

    class Meta:
        model = Module
        fields = ("id", "key", "title", "description", "hours", "outcomes")
        read_only_fields = ("key",)


class PathwaySerializer(serializers.ModelSerializer[Pathway]):
    id = serializers.IntegerField(required=False, help_text=KEEP_ID_HELP)
    target_micro_credential = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="The id of the micro-credential it leads to, if one of ours.",
    )
    credits = _decimal(max_digits=6, decimal_places=2, min_value=0)

    class Meta:
        model = Pathway
        fields = (
            "id",
            "key",
            "kind",
            "target_micro_credential",
            "external_award",
            "external_provider",
            "credits",
            "note",
        )
        read_only_fields = ("key",)


class VersionElementsSerializer(serializers.ModelSerializer[MicroCredentialVersion]):
    """Every descriptive element of a version, and its parts."""

    languages = serializers.ListField(
        child=serializers.CharField(max_length=3),
        required=False,
        help_text='Languages of instruction, as ISO 639-1 codes (["en", "ga"]).',
    )
    credits = _decimal(max_digits=6, decimal_places=2)
    duration_weeks = _decimal(max_digits=5, decimal_places=1)
    fee_amount = _decimal(max_digits=10, decimal_places=2)
    eqf_level = serializers.ChoiceField(
        choices=[(n, n) for n in range(1, 9)],
        allow_null=True,
        required=False,
        help_text="EQF level, 1 to 8.",
        error_messages={"invalid_choice": 'EQF levels run from 1 to 8; "{input}" is not one.'},
    )
    sdgs = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="UN Sustainable Development Goals, 1 to 17.",
    )
    learning_outcomes = LearningOutcomeSerializer(many=True, required=False)
    assessments = AssessmentSerializer(many=True, required=False)
    modules = ModuleSerializer(many=True, required=False)
    pathways = PathwaySerializer(many=True, required=False)

    class Meta:
        model = MicroCredentialVersion
        fields: tuple[str, ...] = (*DESCRIPTIVE_FIELDS, *PART_FIELDS)
        extra_kwargs = {
            "field_of_study": {"help_text": "ISCED-F 2013 field code, e.g. 0613."},
            "fee_currency": {"help_text": "ISO 4217 currency code, e.g. EUR."},
        }


def version_representation(version: MicroCredentialVersion) -> dict[str, Any]:
    """The version as one document, with what identifies it and where it is in its life."""
    return version_document(version) | {
        "id": version.pk,
        "micro_credential": version.micro_credential_id,
        "organisation": version.micro_credential.organisation_id,
        "code": version.micro_credential.code,
        "number": version.number,
        "status": version.status,
        "lock_version": version.lock_version,
        "created_at": version.created_at,
        "updated_at": version.updated_at,
        "submitted_at": version.submitted_at,
        "approved_at": version.approved_at,
        "published_at": version.published_at,
        "retired_at": version.retired_at,
        "retirement_reason": version.retirement_reason,
    }


class VersionDocumentSerializer(LockVersionRequired, VersionElementsSerializer):
    """A version of a micro-credential, whole. Send it back (changed) with PUT or PATCH."""

    id = serializers.IntegerField(read_only=True)
    micro_credential = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(read_only=True, help_text="The owning organisation.")
    code = serializers.CharField(read_only=True, help_text="The micro-credential's code.")
    number = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    lock_version = serializers.IntegerField(min_value=1, help_text=LOCK_HELP)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    retired_at = serializers.DateTimeField(read_only=True, allow_null=True)
    retirement_reason = serializers.CharField(read_only=True)

    class Meta(VersionElementsSerializer.Meta):
        fields = (
            "id",
            "micro_credential",
            "organisation",
            "code",
            "number",
            "status",
            "lock_version",
            *DESCRIPTIVE_FIELDS,
            *PART_FIELDS,
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
            "published_at",
            "retired_at",
            "retirement_reason",
        )

    def to_representation(self, instance: Any) -> Any:
        if isinstance(instance, MicroCredentialVersion):
            instance = version_representation(instance)
        return super().to_representation(instance)


class VersionSummarySerializer(serializers.ModelSerializer[MicroCredentialVersion]):
    organisation = serializers.IntegerField(source="micro_credential.organisation_id", read_only=True)
    code = serializers.CharField(source="micro_credential.code", read_only=True)

    class Meta:
        model = MicroCredentialVersion
        fields = (
            "id",
            "micro_credential",
            "organisation",
            "code",
            "number",
            "status",
            "title",
            "lock_version",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
            "published_at",
        )
        read_only_fields = fields


# --- micro-credentials -------------------------------------------------------------------------------------


class PartnerSerializer(serializers.ModelSerializer[Partnership]):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Partnership
        fields = ("id", "organisation", "role")
        read_only_fields = fields


class PartnerCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The partner organisation."
    )
    role = serializers.ChoiceField(choices=PartnerRole.choices)


class MicroCredentialSerializer(serializers.ModelSerializer[MicroCredential]):
    organisation = OrganisationRefSerializer(read_only=True)
    partners = PartnerSerializer(source="partnerships", many=True, read_only=True)
    latest_version = serializers.SerializerMethodField(
        help_text="The newest version you may see: the draft, for members of the owner; else the published one."
    )
    published_version = serializers.IntegerField(
        source="published_version_id",
        read_only=True,
        allow_null=True,
        help_text="The id of the published version.",
    )

    class Meta:
        model = MicroCredential
        fields = (
            "id",
            "organisation",
            "code",
            "latest_version",
            "published_version",
            "partners",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_latest_version(self, micro_credential: MicroCredential) -> dict[str, Any] | None:
        latest = getattr(micro_credential, "latest_visible", None)
        return VersionSummarySerializer(latest[0]).data if latest else None


class MicroCredentialCreateSerializer(VersionElementsSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="The owning organisation."
    )
    code = serializers.CharField(
        max_length=50, help_text="The owner's own code for it; unique within the owner."
    )

    class Meta(VersionElementsSerializer.Meta):
        fields = ("organisation", "code", *DESCRIPTIVE_FIELDS, *PART_FIELDS)


class MicroCredentialFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="organisation")
    published = filters.BooleanFilter(
        field_name="published_version",
        lookup_expr="isnull",
        exclude=True,
        help_text="Has a published version.",
    )

    class Meta:
        model = MicroCredential
        fields = ("organisation", "code", "published")


def _visible(queryset: QuerySet[Any], pk: str, noun: str) -> Any:
    found = queryset.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise NotVisible(f"No such {noun}.")
    return found


PARTNERSHIP_ID = OpenApiParameter("partnership_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List micro-credentials",
        description="Those with a published version, and every one of your own organisations.",
    ),
    retrieve=extend_schema(
        summary="Read a micro-credential", responses={200: MicroCredentialSerializer, **error_responses(404)}
    ),
)
class MicroCredentialViewSet(viewsets.GenericViewSet[MicroCredential]):
    pagination_class = Page
    serializer_class = MicroCredentialSerializer
    parser_classes = (JSONParser,)
    filterset_class = MicroCredentialFilter
    search_fields = ("code", "published_version__title")
    ordering_fields = ("code", "created_at", "organisation__name")
    ordering = ("organisation__name", "code")

    def get_queryset(self) -> QuerySet[MicroCredential]:
        user = self.request.user
        return selectors.micro_credentials_visible_to(user).prefetch_related(
            "partnerships__organisation",
            Prefetch(
                "versions", queryset=selectors.latest_versions_visible_to(user), to_attr="latest_visible"
            ),
        )

    def _micro_credential(self, pk: str) -> MicroCredential:
        micro_credential: MicroCredential = _visible(self.get_queryset(), pk, "micro-credential")
        return micro_credential

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MicroCredentialSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MicroCredentialSerializer(self._micro_credential(pk)).data)

    @extend_schema(
        summary="Create a micro-credential with its first draft",
        description="Give the owning organisation, a code and a title, and any elements and parts of the first "
        "version (in the shape of the version document). Proposers, QA officers and organisation admins.",
        request=MicroCredentialCreateSerializer,
        responses={201: MicroCredentialSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        raw = json_object(request.data)
        given = MicroCredentialCreateSerializer(data=raw)
        given.is_valid(raise_exception=True)
        document = merge_parsed(raw, given.validated_data)
        organisation, code, title = document.pop("organisation"), document.pop("code"), document.pop("title")
        version = services.create_micro_credential(
            actor=acting_user(request), organisation=organisation, code=code, title=title, **document
        )
        created = self._micro_credential(str(version.micro_credential_id))
        return Response(MicroCredentialSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start a new version",
        description="A new draft, copied from the latest version. Refused while a draft exists.",
        request=None,
        responses={201: VersionDocumentSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: str) -> Response:
        micro_credential = self._micro_credential(pk)
        draft = services.start_new_version(actor=acting_user(request), micro_credential=micro_credential)
        document = VersionDocumentSerializer(selectors.get_version(request.user, draft.pk))
        return Response(document.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="List its versions",
        description="Newest first; only those you may see.",
        responses={200: VersionSummarySerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def versions(self, request: Request, pk: str) -> Response:
        micro_credential = self._micro_credential(pk)
        versions: Any = selectors.versions_of(request.user, micro_credential)  # not this view's own model
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(VersionSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Add a partner",
        request=PartnerCreateSerializer,
        responses={201: PartnerSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="partners")
    def add_partner(self, request: Request, pk: str) -> Response:
        micro_credential = self._micro_credential(pk)
        require(request.user, "microcredentials.manage_partners", micro_credential)
        given = PartnerCreateSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        partnership = services.add_partner(
            actor=acting_user(request), micro_credential=micro_credential, **given.validated_data
        )
        return Response(PartnerSerializer(partnership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a partner",
        parameters=[PARTNERSHIP_ID],
        request=None,
        responses={204: None, **error_responses(403, 404)},
    )
    @action(detail=True, methods=["delete"], url_path=r"partners/(?P<partnership_id>[0-9]+)")
    def remove_partner(self, request: Request, pk: str, partnership_id: str) -> Response:
        micro_credential = self._micro_credential(pk)
        partnership = _visible(micro_credential.partnerships.all(), partnership_id, "partner")
        services.remove_partner(actor=acting_user(request), partnership=partnership)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- versions ----------------------------------------------------------------------------------------------


class VersionFilter(filters.FilterSet):
    micro_credential = filters.NumberFilter(field_name="micro_credential")
    organisation = filters.NumberFilter(field_name="micro_credential__organisation", help_text="Owner's id.")
    status = filters.MultipleChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = MicroCredentialVersion
        fields = ("micro_credential", "organisation", "status")


class SubmitSerializer(serializers.Serializer[Any]):
    lock_version = serializers.IntegerField(
        min_value=1, required=False, help_text="The lock_version you read; if given, a stale one answers 409."
    )


class RetireSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000, help_text="Why it is retired; shown to the public.")


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # named as in diff.FieldChange
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class PartChangeSerializer(serializers.Serializer[Any]):
    change = serializers.ChoiceField(
        choices=[("added", "added"), ("removed", "removed"), ("changed", "changed")]
    )
    key = serializers.CharField(help_text="Follows the part from version to version.")
    old_number = serializers.IntegerField(allow_null=True)
    new_number = serializers.IntegerField(allow_null=True)
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    fields = FieldChangeSerializer(many=True)  # type: ignore[assignment]  # named as in diff.as_dict()


class VersionDiffSerializer(serializers.Serializer[Any]):
    from_version = serializers.IntegerField(help_text="The older version's number.")
    to_version = serializers.IntegerField(help_text="The newer version's number.")
    fields = FieldChangeSerializer(many=True)  # type: ignore[assignment]  # named as in diff.as_dict()
    learning_outcomes = PartChangeSerializer(many=True)
    assessments = PartChangeSerializer(many=True)
    modules = PartChangeSerializer(many=True)
    pathways = PartChangeSerializer(many=True)


class VersionWarningsSerializer(serializers.Serializer[Any]):
    warnings = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Worth fixing; they do not stop a draft being saved. Keyed by field path.",
    )
    submission_problems = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="What stops this draft from being submitted (empty once it has left draft).",
    )


STALE_VERSION = stale_write_serializer("StaleVersion", VersionDocumentSerializer)
AGAINST = OpenApiParameter(
    "against",
    OpenApiTypes.INT,
    required=True,
    description="The id of the other version of the same micro-credential. The older one is always 'from'.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List versions",
        description="Published versions, and every version of your own organisations.",
    ),
)
class VersionViewSet(viewsets.GenericViewSet[MicroCredentialVersion]):
    pagination_class = Page
    serializer_class = VersionSummarySerializer
    stale_serializer_class = VersionDocumentSerializer
    parser_classes = (JSONParser,)
    filterset_class = VersionFilter
    search_fields = ("title", "micro_credential__code")
    ordering_fields = ("number", "title", "status", "created_at", "updated_at", "published_at")
    ordering = ("micro_credential", "-number")

    def get_queryset(self) -> QuerySet[MicroCredentialVersion]:
        return selectors.versions_visible_to(self.request.user)

    def _version(self, pk: str) -> MicroCredentialVersion:
        if not pk.isdigit():
            raise NotVisible("No such version.")
        return selectors.get_version(self.request.user, int(pk))

    def _document(self, version: MicroCredentialVersion) -> Response:
        return Response(VersionDocumentSerializer(self._version(str(version.pk))).data)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(VersionSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Read a version, whole",
        responses={200: VersionDocumentSerializer, **error_responses(404)},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(VersionDocumentSerializer(self._version(pk)).data)

    def _write(self, request: Request, pk: str, *, whole: bool) -> Response:
        version = self._version(pk)
        require(request.user, "microcredentials.change_draft", version)
        raw = json_object(request.data)
        lock_version = lock_version_of(raw)
        given = VersionDocumentSerializer(data=raw, partial=not whole)
        given.is_valid(raise_exception=True)
        document = {
            k: v for k, v in merge_parsed(raw, given.validated_data).items() if k not in READ_ONLY_KEYS
        }
        if whole:
            document = _empty_document() | document
        services.update_draft(
            actor=acting_user(request), version=version, data=document, lock_version=lock_version
        )
        return self._document(version)

    @extend_schema(
        summary="Replace a draft's document",
        description="The body is the whole document: elements left out are emptied and part lists left out "
        "are cleared. Read-only keys (id, status, ...) are ignored, so a document read with GET can be sent "
        "back changed.",
        request=VersionDocumentSerializer,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404), 409: STALE_VERSION},
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._write(request, pk, whole=True)

    @extend_schema(
        summary="Change a draft",
        description="Only the elements given change; a part list given replaces the version's list (keep an item "
        "by giving its id). `lock_version` is required.",
        request=VersionDocumentSerializer,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404), 409: STALE_VERSION},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._write(request, pk, whole=False)

    @extend_schema(
        summary="Submit a draft for review",
        description="Refused (400) while something stops it, e.g. assessment weights that do not add up to 100.",
        request=SubmitSerializer,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404), 409: STALE_VERSION},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        version = self._version(pk)
        require(request.user, "microcredentials.submit_version", version)
        given = SubmitSerializer(data=json_object(request.data or {}))
        given.is_valid(raise_exception=True)
        services.submit_version(
            actor=acting_user(request), version=version, lock_version=given.validated_data.get("lock_version")
        )
        return self._document(version)

    @extend_schema(
        summary="Approve a version in review",
        request=None,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        version = self._version(pk)
        services.approve_version(actor=acting_user(request), version=version)
        return self._document(version)

    @extend_schema(
        summary="Publish an approved version",
        description="The version published before it, if any, becomes superseded.",
        request=None,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        version = self._version(pk)
        services.publish_version(actor=acting_user(request), version=version)
        return self._document(version)

    @extend_schema(
        summary="Retire a published or approved version",
        request=RetireSerializer,
        responses={200: VersionDocumentSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        version = self._version(pk)
        require(request.user, "microcredentials.retire_version", version)
        given = RetireSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        try:
            services.retire_version(
                actor=acting_user(request), version=version, reason=given.validated_data["reason"]
            )
        except ValidationError as error:
            raise _renamed(error, {"retirement_reason": "reason"}) from None
        return self._document(version)

    @extend_schema(
        summary="Show changes between two versions",
        parameters=[AGAINST],
        responses={200: VersionDiffSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def diff(self, request: Request, pk: str) -> Response:
        against = request.query_params.get("against", "")
        if not against.isdigit():
            raise ValidationError({"against": "Give the id of the version to compare with (?against=<id>)."})
        version, other = self._version(pk), self._version(against)
        if other.micro_credential_id != version.micro_credential_id:
            raise ValidationError({"against": "Only versions of the same micro-credential can be compared."})
        old, new = sorted((version, other), key=lambda v: v.number)
        return Response(VersionDiffSerializer(diff_versions(old, new).as_dict()).data)

    @extend_schema(
        summary="What is worth fixing in a version",
        request=None,
        responses={200: VersionWarningsSerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def warnings(self, request: Request, pk: str) -> Response:
        version = self._version(pk)
        problems = services.submission_problems(version) if version.is_draft else {}
        body = {"warnings": services.draft_warnings(version), "submission_problems": problems}
        return Response(VersionWarningsSerializer(body).data)


def _empty_document() -> dict[str, Any]:
    """What a version holds when nothing is said: for PUT, where an element left out is emptied."""
    fields = {
        name: cast("Field[Any, Any]", MicroCredentialVersion._meta.get_field(name)).get_default()
        for name in DESCRIPTIVE_FIELDS
    }
    return fields | {kind: [] for kind in PART_FIELDS}


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The error with its field paths named as the request named them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(key, key): messages for key, messages in error.message_dict.items()})
