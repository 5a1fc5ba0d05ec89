"""The frameworks REST API: read the packs, upload an organisation's own, choose which apply.
ROUTES are registered on the project's router in credence/api_urls.py."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import acting_user, error_responses, json_object
from credence.errors import NotVisible
from credence.organisations.authorization import organisation_ids_of
from credence.organisations.models import Organisation

from . import selectors, services
from .packs import Pack


class CriterionSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()
    requirement = serializers.CharField()
    guidance = serializers.CharField()
    level = serializers.CharField()
    check = serializers.CharField()
    params = serializers.DictField()
    unverified = serializers.BooleanField()
    note = serializers.CharField()


class AreaSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    criteria = CriterionSerializer(many=True)


class PackSummarySerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()
    version = serializers.CharField()
    scope = serializers.CharField()
    jurisdiction = serializers.CharField()
    source = serializers.DictField(child=serializers.CharField())  # type: ignore[assignment]
    criterion_count = serializers.IntegerField()
    check_count = serializers.IntegerField()
    enabled_by = serializers.SerializerMethodField()

    def get_enabled_by(self, pack: Pack) -> list[int]:
        """The ids of your organisations that apply this pack."""
        enabled: dict[str, list[int]] = self.context.get("enabled", {})
        return enabled.get(pack.id, [])


class PackSerializer(PackSummarySerializer):
    description = serializers.CharField()
    areas = AreaSerializer(many=True)


class UploadSerializer(serializers.Serializer[Any]):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    yaml = serializers.CharField(trim_whitespace=False, help_text="The pack, as YAML text.")


class ChoiceSerializer(serializers.Serializer[Any]):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


def _packs_for(request: Request) -> tuple[dict[str, Pack], dict[str, list[int]]]:
    packs = dict(selectors.packs_available_to(None))
    enabled: dict[str, list[int]] = {}
    for organisation_id in organisation_ids_of(request.user):
        for pack_id, pack in selectors.packs_available_to(organisation_id).items():
            packs.setdefault(pack_id, pack)
        for pack_id in selectors.enabled_pack_ids(organisation_id):
            enabled.setdefault(pack_id, []).append(organisation_id)
    return packs, enabled


@extend_schema_view(
    list=extend_schema(
        summary="List framework packs", description="The shipped packs and your organisations' own."
    ),
    retrieve=extend_schema(
        summary="Read a framework pack", responses={200: PackSerializer, **error_responses(404)}
    ),
)
class PackViewSet(viewsets.ViewSet):
    parser_classes = (JSONParser,)
    lookup_value_regex = r"[a-z0-9][a-z0-9._-]*"
    serializer_class = PackSummarySerializer

    @extend_schema(responses={200: PackSummarySerializer(many=True)})
    def list(self, request: Request) -> Response:
        packs, enabled = _packs_for(request)
        ordered = sorted(packs.values(), key=lambda p: p.id)
        return Response(PackSummarySerializer(ordered, many=True, context={"enabled": enabled}).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        packs, enabled = _packs_for(request)
        if pk not in packs:
            raise NotVisible("No such pack.")
        return Response(PackSerializer(packs[pk], context={"enabled": enabled}).data)

    @extend_schema(
        summary="Upload an organisation's own pack",
        description="Validated exactly as the shipped packs are; a bad pack is refused with the line and the reason. "
        "QA officers and organisation admins.",
        request=UploadSerializer,
        responses={201: PackSerializer, **error_responses(400, 403)},
    )
    def create(self, request: Request) -> Response:
        given = UploadSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        organisation = given.validated_data["organisation"]
        row = services.upload_pack(
            actor=acting_user(request), organisation=organisation, text=given.validated_data["yaml"]
        )
        pack = selectors.get_pack(organisation.pk, row.pack_id)
        return Response(PackSerializer(pack, context={"enabled": {}}).data, status=status.HTTP_201_CREATED)

    def _choose(self, request: Request, pk: str, enable: bool) -> Response:
        given = ChoiceSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        organisation = given.validated_data["organisation"]
        if enable:
            services.enable_pack(actor=acting_user(request), organisation=organisation, pack_id=pk)
        else:
            services.disable_pack(actor=acting_user(request), organisation=organisation, pack_id=pk)
        return Response({"pack": pk, "organisation": organisation.pk, "enabled": enable})

    @extend_schema(
        summary="Apply a pack to an organisation's micro-credentials",
        request=ChoiceSerializer,
        responses={
            200: inline_serializer(
                "PackChoice",
                {
                    "pack": serializers.CharField(),
                    "organisation": serializers.IntegerField(),
                    "enabled": serializers.BooleanField(),
                },
            ),
            **error_responses(400, 403),
        },
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str) -> Response:
        return self._choose(request, pk, True)

    @extend_schema(
        summary="Stop applying a pack",
        request=ChoiceSerializer,
        responses={
            200: inline_serializer(
                "PackChoiceOff",
                {
                    "pack": serializers.CharField(),
                    "organisation": serializers.IntegerField(),
                    "enabled": serializers.BooleanField(),
                },
            ),
            **error_responses(400, 403),
        },
    )
    @action(detail=True, methods=["post"])
    def disable(self, request: Request, pk: str) -> Response:
        return self._choose(request, pk, False)


# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = [("packs", PackViewSet, "pack")]
