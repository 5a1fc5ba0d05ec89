"""The issuance REST API: offerings (monitoring's, with what issuing needs), issued credentials and
their status, issuer keys, and public verification. ROUTES are registered in credence/api_urls.py.

Thin: serializers check the shape, services do every write, selectors every read.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses
from credence.errors import NotVisible
from credence.microcredentials.models import FormOfParticipation, MicroCredentialVersion
from credence.microcredentials.selectors import versions_visible_to
from credence.monitoring import selectors as monitoring_selectors
from credence.monitoring import services as monitoring_services
from credence.monitoring.models import Offering
from credence.organisations.models import Organisation

from . import selectors, services, verification
from .models import IssuedCredential, IssuerKey

# --- offerings ---------------------------------------------------------------------------------------------


class OfferingSerializer(serializers.ModelSerializer[Offering]):
    micro_credential = serializers.IntegerField(source="version.micro_credential_id", read_only=True)
    learner_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offering
        fields = (
            "id",
            "organisation",
            "micro_credential",
            "version",
            "code",
            "starts_on",
            "ends_on",
            "form_of_participation",
            "capacity",
            "price",
            "currency",
            "learner_count",
            "completed_count",
            "created_at",
        )
        read_only_fields = fields


class OfferingCreateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        help_text="A published version of the organisation's micro-credential."
    )
    code = serializers.CharField(max_length=60)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    form_of_participation = serializers.ChoiceField(
        choices=FormOfParticipation.choices,
        required=False,
        help_text="Defaults to the version's own form of participation.",
    )
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    price = serializers.DecimalField(max_digits=9, decimal_places=2, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, default="", allow_blank=True)


class LearnerRowSerializer(serializers.Serializer[Any]):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    external_id = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class EnrolSerializer(serializers.Serializer[Any]):
    rows = LearnerRowSerializer(many=True)


class CompletionRowSerializer(serializers.Serializer[Any]):
    email = serializers.CharField(max_length=254)
    grade = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    completed_on = serializers.DateField(required=False, allow_null=True)


class IssueSerializer(serializers.Serializer[Any]):
    rows = CompletionRowSerializer(many=True, help_text="The completion list: one row per learner.")
    valid_until = serializers.DateTimeField(required=False, allow_null=True, help_text="Expiry, if any.")
    did_method = serializers.ChoiceField(choices=["web", "key"], default="web")


class IssueReportSerializer(serializers.Serializer[Any]):
    issued = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the credentials issued now."
    )
    already_issued = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of credentials the learners already had."
    )


@extend_schema_view(
    list=extend_schema(
        summary="Offerings you run", responses={200: OfferingSerializer(many=True), **error_responses(401)}
    ),
    retrieve=extend_schema(
        summary="One offering", responses={200: OfferingSerializer, **error_responses(401, 404)}
    ),
    create=extend_schema(
        summary="Create an offering of a published version",
        request=OfferingCreateSerializer,
        responses={201: OfferingSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class OfferingViewSet(viewsets.GenericViewSet[Offering]):
    serializer_class = OfferingSerializer
    pagination_class = Page
    http_method_names = ["get", "post"]

    def get_queryset(self) -> QuerySet[Offering]:
        return monitoring_selectors.offerings_visible_to(self.request.user).order_by("-starts_on", "pk")

    def get_object(self) -> Offering:
        return monitoring_selectors.get_offering(self.request.user, int(self.kwargs["pk"]))

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OfferingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(OfferingSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        user = acting_user(request)
        data = OfferingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version: MicroCredentialVersion | None = (
            versions_visible_to(user).filter(pk=fields.pop("version")).first()
        )
        if version is None:
            raise NotVisible("No such version.")
        offering = monitoring_services.create_offering(actor=user, version=version, **fields)
        return Response(
            OfferingSerializer(monitoring_selectors.get_offering(user, offering.pk)).data, status=201
        )

    @extend_schema(
        summary="Enrol learners",
        request=EnrolSerializer,
        responses={200: OfferingSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def learners(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        offering = self.get_object()
        data = EnrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        monitoring_services.enrol_learners(
            actor=user, offering=offering, learners=data.validated_data["rows"]
        )
        return Response(OfferingSerializer(self.get_object()).data)

    @extend_schema(
        summary="Issue credentials from a completion list",
        description="All or nothing: a bad row refuses the list, with `errors` keyed `rows[i].field`. "
        "A learner who already has a credential for this offering is listed in `already_issued`.",
        request=IssueSerializer,
        responses={200: IssueReportSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        offering = self.get_object()
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.issue_credentials(
            actor=user,
            offering=offering,
            rows=data.validated_data["rows"],
            valid_until=data.validated_data.get("valid_until"),
            did_method=data.validated_data["did_method"],
        )
        return Response(
            {"issued": [c.pk for c in report.issued], "already_issued": [c.pk for c in report.already_issued]}
        )


# --- credentials -------------------------------------------------------------------------------------------


class CredentialSerializer(serializers.ModelSerializer[IssuedCredential]):
    credential_id = serializers.CharField(read_only=True)
    learner_email = serializers.EmailField(source="learner.email", read_only=True)
    key = serializers.CharField(source="key.public_key_multibase", read_only=True)

    class Meta:
        model = IssuedCredential
        fields: tuple[str, ...] = (
            "id",
            "credential_id",
            "organisation",
            "version",
            "offering",
            "learner",
            "learner_email",
            "key",
            "issued_at",
            "valid_until",
            "grade",
            "state",
            "status_reason",
            "status_changed_at",
            "claimed_at",
        )
        read_only_fields = fields


class CredentialDetailSerializer(CredentialSerializer):
    credential = serializers.SerializerMethodField(
        help_text="The signed OpenBadgeCredential, exactly as issued."
    )

    class Meta(CredentialSerializer.Meta):
        fields = (*CredentialSerializer.Meta.fields, "credential")
        read_only_fields = fields

    def get_credential(self, obj: IssuedCredential) -> dict[str, Any]:
        signed: dict[str, Any] = json.loads(
            IssuedCredential.objects.values_list("signed_json", flat=True).get(pk=obj.pk)
        )
        return signed


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, help_text="Shown to anyone who verifies the credential.")


def _status_action(summary: str) -> Any:
    return extend_schema(
        summary=summary,
        request=ReasonSerializer,
        responses={200: CredentialSerializer, **error_responses(400, 401, 403, 404)},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Credentials you may see",
        responses={200: CredentialSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="One credential, with its signed JSON",
        responses={200: CredentialDetailSerializer, **error_responses(401, 404)},
    ),
)
class CredentialViewSet(viewsets.GenericViewSet[IssuedCredential]):
    serializer_class = CredentialSerializer
    pagination_class = Page
    http_method_names = ["get", "post"]

    def get_queryset(self) -> QuerySet[IssuedCredential]:
        queryset = selectors.credentials_visible_to(self.request.user)
        offering = self.request.query_params.get("offering")
        if offering and offering.isdigit():
            queryset = queryset.filter(offering_id=int(offering))
        return queryset

    def get_object(self) -> IssuedCredential:
        return selectors.get_credential(self.request.user, int(self.kwargs["pk"]))

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CredentialSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(CredentialDetailSerializer(self.get_object()).data)

    def _change(self, request: Request, change: Any) -> Response:
        user = acting_user(request)
        credential = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = change(actor=user, credential=credential, reason=data.validated_data["reason"])
        return Response(CredentialSerializer(selectors.get_credential(user, changed.pk)).data)

    @_status_action("Revoke a credential (final)")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        return self._change(request, services.revoke_credential)

    @_status_action("Suspend a credential")
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._change(request, services.suspend_credential)

    @_status_action("Reinstate a suspended credential")
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str) -> Response:
        return self._change(request, services.reinstate_credential)


# --- issuer keys -------------------------------------------------------------------------------------------


class IssuerKeySerializer(serializers.ModelSerializer[IssuerKey]):
    verification_method = serializers.CharField(read_only=True)
    did_key = serializers.CharField(read_only=True)

    class Meta:
        model = IssuerKey
        fields = (
            "id",
            "organisation",
            "did",
            "verification_method",
            "did_key",
            "public_key_multibase",
            "created_at",
            "retired_at",
        )
        read_only_fields = fields


class RotateSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary="Issuer keys of the organisations whose credentials you see (public halves only)",
        responses={200: IssuerKeySerializer(many=True), **error_responses(401)},
    ),
)
class IssuerKeyViewSet(viewsets.GenericViewSet[IssuerKey]):
    serializer_class = IssuerKeySerializer
    pagination_class = Page
    http_method_names = ["get", "post"]

    def get_queryset(self) -> QuerySet[IssuerKey]:
        allowed = selectors.organisations_issuing_for(self.request.user)
        queryset = IssuerKey.objects.defer("encrypted_private_key").order_by("organisation_id", "created_at")
        return queryset if allowed is None else queryset.filter(organisation_id__in=allowed)

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IssuerKeySerializer(page, many=True).data)

    @extend_schema(
        summary="Rotate an organisation's signing key",
        description="The active key is retired (it stays in the DID document, so what it signed still "
        "verifies) and a new one signs from now on.",
        request=RotateSerializer,
        responses={201: IssuerKeySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def rotate(self, request: Request) -> Response:
        user = acting_user(request)
        data = RotateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(pk=data.validated_data["organisation"]).first()
        if organisation is None:
            raise NotVisible("No such organisation.")
        key = services.rotate_issuer_key(actor=user, organisation=organisation)
        return Response(IssuerKeySerializer(key).data, status=status.HTTP_201_CREATED)


# --- verification (public) ---------------------------------------------------------------------------------


class CheckSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()


class VerificationSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it is not valid; empty when it is.")
    checks = CheckSerializer(many=True)
    issuer = serializers.CharField(
        allow_null=True, help_text="The issuing organisation, if registered in Credence."
    )
    registered_issuer = serializers.BooleanField()


@extend_schema_view(
    create=extend_schema(
        summary="Verify a credential (no sign-in)",
        description='Send the credential itself as the JSON body, or `{"jwt": "<VC-JWT>"}`. '
        "Nothing is fetched from the network: "
        "contexts are bundled, keys are did:key or Credence's own issuers.",
        request={"application/json": dict},
        responses={200: VerificationSerializer, 400: OpenApiResponse(description="Not a JSON object.")},
    )
)
class VerifyViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def create(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            return Response({"detail": "Send the credential as a JSON object."}, status=400)
        token = request.data.get("jwt")
        if isinstance(token, str) and len(request.data) == 1:
            report = verification.verify_jwt(token)
        else:
            report = verification.verify(dict(request.data))
        services.record_verification(
            credential=report.credential,
            valid=report.valid,
            reason=report.reason,
            referrer=request.headers.get("referer", ""),
        )
        organisation = report.issuer_key.organisation if report.issuer_key else None
        return Response(
            {
                "valid": report.valid,
                "reason": report.reason,
                "checks": [{"name": c.name, "passed": c.passed, "message": c.message} for c in report.checks],
                "issuer": str(organisation) if organisation else None,
                "registered_issuer": organisation is not None,
            }
        )


# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = [
    ("offerings", OfferingViewSet, "offering"),
    ("credentials", CredentialViewSet, "credential"),
    ("issuer-keys", IssuerKeyViewSet, "issuer-key"),
    ("verify", VerifyViewSet, "verify"),
]
