"""REST API for organisations (public) and memberships (people and their roles), and API tokens.

Thin: input serializers check the shape of a request, services do every write (and all the rules),
selectors do every read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

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
from credence.errors import ValidationError

from . import selectors, services
from .authorization import require
from .models import Identifier, Location, Membership, Organisation, QFEHEALevel, Role, User

DECIMAL_NOTE = 'A decimal number, written as a string (e.g. "53.349805"); numbers are accepted on input.'


# --- organisations ---------------------------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer[Location]):
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, required=False, help_text=DECIMAL_NOTE
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, allow_null=True, required=False, help_text=DECIMAL_NOTE
    )

    class Meta:
        model = Location
        fields = (
            "id",
            "country",
            "country_name",
            "city",
            "postcode",
            "latitude",
            "longitude",
            "is_legal_seat",
        )
        read_only_fields = ("id", "country_name")
        extra_kwargs = {
            "country": {
                "help_text": "ISO 3166-1 alpha-2 code, or DEQAR's sub-national codes (BE-fl, UK-SCT…)."
            }
        }


class IdentifierSerializer(serializers.ModelSerializer[Identifier]):
    class Meta:
        model = Identifier
        fields = ("id", "resource", "value", "source", "valid_from", "valid_to")
        read_only_fields = ("id",)
        # Uniqueness within the organisation is the service's to check: the organisation does not exist yet.
        validators: list[Any] = []


def qf_ehea_levels_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=QFEHEALevel.choices),
        required=False,
        help_text="QF-EHEA levels offered.",
    )


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    """An organisation as anyone may read it: a provider, a QA agency or an employer."""

    qf_ehea_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=QFEHEALevel.choices), read_only=True
    )
    locations = LocationSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "slug",
            *services.ORGANISATION_FIELDS,
            "locations",
            "identifiers",
            "lock_version",
            "created_at",
        )
        read_only_fields = fields


class OrganisationCreateSerializer(serializers.ModelSerializer[Organisation]):
    slug = serializers.SlugField(max_length=80, required=False, help_text="Made from the name when left out.")
    qf_ehea_levels = qf_ehea_levels_field()
    locations = LocationSerializer(
        many=True, help_text="Where it is; exactly one location is the legal seat (`is_legal_seat`)."
    )
    identifiers = IdentifierSerializer(many=True, required=False)

    class Meta:
        model = Organisation
        fields = ("slug", *services.ORGANISATION_FIELDS, "locations", "identifiers")


class OrganisationUpdateSerializer(LockVersionRequired, serializers.ModelSerializer[Organisation]):
    qf_ehea_levels = qf_ehea_levels_field()
    lock_version = serializers.IntegerField(
        help_text="The lock_version you read. Required on every write: a stale one is refused with 409."
    )

    class Meta:
        model = Organisation
        fields = (*services.ORGANISATION_FIELDS, "lock_version")


class OrganisationFilter(filters.FilterSet):
    country = filters.CharFilter(
        field_name="locations__country", distinct=True, help_text="Has a location in this country (code)."
    )

    class Meta:
        model = Organisation
        fields = ("kind", "organisation_type", "country")


@extend_schema_view(
    list=extend_schema(summary="List organisations", description="Public: every organisation is listed."),
    retrieve=extend_schema(
        summary="Read an organisation", responses={200: OrganisationSerializer, **error_responses(404)}
    ),
)
class OrganisationViewSet(viewsets.GenericViewSet[Organisation]):
    parser_classes = (JSONParser,)
    pagination_class = Page
    serializer_class = OrganisationSerializer
    stale_serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ("name", "name_english", "acronym")
    ordering_fields = ("name", "acronym", "created_at")
    ordering = ("name",)

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_list()

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OrganisationSerializer(self.get_object()).data)

    @extend_schema(
        summary="Register an organisation",
        description="Platform admins only.",
        request=OrganisationCreateSerializer,
        responses={201: OrganisationSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        require(request.user, "organisations.add_organisation")
        given = OrganisationCreateSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        organisation = services.create_organisation(actor=acting_user(request), **given.validated_data)
        created = self.get_queryset().get(pk=organisation.pk)
        return Response(OrganisationSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an organisation",
        description="Organisation admins of it. The body carries `lock_version`; a stale one answers 409 "
        "with the organisation as it is now.",
        request=OrganisationUpdateSerializer,
        responses={
            200: OrganisationSerializer,
            **error_responses(400, 403, 404),
            409: stale_write_serializer("StaleOrganisation", OrganisationSerializer),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        require(request.user, "organisations.change_organisation", organisation)
        raw = json_object(request.data)
        lock_version = lock_version_of(raw)
        given = OrganisationUpdateSerializer(data=raw, partial=True)
        given.is_valid(raise_exception=True)
        fields = {k: v for k, v in merge_parsed(raw, given.validated_data).items() if k != "lock_version"}
        services.update_organisation(
            actor=acting_user(request), organisation=organisation, lock_version=lock_version, **fields
        )
        return Response(OrganisationSerializer(self.get_queryset().get(pk=organisation.pk)).data)


# --- memberships -----------------------------------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ("id", "slug", "name", "acronym")
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "username", "email", "first_name", "last_name")
        read_only_fields = fields


ROLES_HELP = "Roles in the organisation: " + ", ".join(Role.values) + "."


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation = OrganisationRefSerializer(read_only=True)
    user = PersonSerializer(read_only=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), read_only=True, help_text=ROLES_HELP
    )

    class Meta:
        model = Membership
        fields = ("id", "organisation", "user", "roles", "active", "created_at")
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    email = serializers.EmailField(
        help_text="The person's e-mail address; a new account is made if none has it."
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), allow_empty=False, help_text=ROLES_HELP
    )
    username = serializers.CharField(max_length=150, required=False, help_text="For a new account only.")
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class MembershipUpdateSerializer(serializers.Serializer[Any]):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        allow_empty=False,
        required=False,
        help_text=ROLES_HELP,
    )
    active = serializers.BooleanField(required=False)


class MembershipFilter(filters.FilterSet):
    class Meta:
        model = Membership
        fields = ("organisation", "user", "active")


@extend_schema_view(
    list=extend_schema(
        summary="List memberships",
        description="Your own memberships, and every membership of the organisations where you may see members "
        "(organisation admins and QA officers); all of them for platform admins.",
        responses={200: MembershipSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="Read a membership", responses={200: MembershipSerializer, **error_responses(403, 404)}
    ),
)
class MembershipViewSet(viewsets.GenericViewSet[Membership]):
    parser_classes = (JSONParser,)
    pagination_class = Page
    serializer_class = MembershipSerializer
    permission_classes = (IsAuthenticated,)
    filterset_class = MembershipFilter
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    ordering_fields = ("created_at", "organisation__name", "user__username")
    ordering = ("organisation__name", "user__username")

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.memberships_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MembershipSerializer(self.get_object()).data)

    @extend_schema(
        summary="Give a person roles in an organisation",
        description="Organisation admins of it. The person is found by e-mail address, or a new account is made "
        "(without a password: they set one through the password reset).",
        request=MembershipCreateSerializer,
        responses={201: MembershipSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        given = MembershipCreateSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        membership = services.add_member(actor=acting_user(request), **given.validated_data)
        created = self.get_queryset().get(pk=membership.pk)
        return Response(MembershipSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a person's roles, or end their membership",
        description="Organisation admins of it. `active: false` ends the membership without deleting it.",
        request=MembershipUpdateSerializer,
        responses={200: MembershipSerializer, **error_responses(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        require(request.user, "organisations.manage_memberships", membership.organisation)
        given = MembershipUpdateSerializer(data=json_object(request.data), partial=True)
        given.is_valid(raise_exception=True)
        services.update_membership(actor=acting_user(request), membership=membership, **given.validated_data)
        return Response(MembershipSerializer(self.get_queryset().get(pk=membership.pk)).data)


# --- API tokens ------------------------------------------------------------------------------------------


class TokenCredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(help_text="Your username or your e-mail address.")
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        read_only=True, help_text="Send it on every request as the header `Authorization: Token <token>`."
    )


class ObtainTokenView(APIView):
    """Exchange a username (or e-mail address) and password for an API token."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    # Password guessing is slowed to a few tries a minute per client address.
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(
        summary="Get an API token",
        description="Send the token back on every request as `Authorization: Token <token>`. The same token is "
        "returned until it is revoked.",
        request=TokenCredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or the username and password do not match."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = TokenCredentialsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                "The username (or e-mail address) and password do not match an active account."
            )
        token = services.issue_api_token(user=user)
        return Response({"token": token.key})
