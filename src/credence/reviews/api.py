"""The reviews REST API: check runs (run the machine checks on a version on demand), reviews and
judgements. ROUTES are registered on the project's router in credence/api_urls.py."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object
from credence.errors import NotVisible
from credence.microcredentials import selectors as mc_selectors
from credence.organisations.models import User

from . import selectors, services
from .models import CheckRun, Judgement, Review, ReviewerKind, Verdict


class CheckResultSerializer(serializers.Serializer[Any]):
    area = serializers.CharField()
    criterion = serializers.CharField()
    title = serializers.CharField()
    check = serializers.CharField()
    level = serializers.CharField()
    status = serializers.ChoiceField(choices=["pass", "fail", "not_applicable"])
    message = serializers.CharField()
    field = serializers.CharField()


class CheckRunSerializer(serializers.ModelSerializer[CheckRun]):
    results = CheckResultSerializer(many=True)

    class Meta:
        model = CheckRun
        fields = ("id", "version", "pack_id", "pack_version", "computed_at", "results")


class RunChecksSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    packs = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Default: the enabled packs."
    )


def _version(user: Any, pk: Any) -> Any:
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise NotVisible("No such version.")
    return mc_selectors.get_version(user, pk)


@extend_schema_view(
    list=extend_schema(summary="List check runs", description="Filter with ?version=ID."),
    retrieve=extend_schema(
        summary="Read a check run", responses={200: CheckRunSerializer, **error_responses(404)}
    ),
)
class CheckRunViewSet(viewsets.GenericViewSet[CheckRun]):
    serializer_class = CheckRunSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CheckRun]:
        queryset = selectors.check_runs_visible_to(self.request.user).order_by("-computed_at", "pk")
        version = self.request.query_params.get("version", "")
        return queryset.filter(version_id=int(version)) if version.isdigit() else queryset

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CheckRunSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        found = self.get_queryset().filter(pk=int(pk)).first() if pk.isdigit() else None
        if found is None:
            raise NotVisible("No such check run.")
        return Response(CheckRunSerializer(found).data)

    @extend_schema(
        summary="Run the machine checks on a version",
        description="Runs the checks of the given packs (default: those the organisation enables) now, and keeps the results.",
        request=RunChecksSerializer,
        responses={201: CheckRunSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        given = RunChecksSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        version = _version(request.user, given.validated_data["version"])
        runs = services.run_checks(
            actor=acting_user(request), version=version, pack_ids=given.validated_data.get("packs")
        )
        return Response(CheckRunSerializer(runs, many=True).data, status=status.HTTP_201_CREATED)


class JudgementSerializer(serializers.ModelSerializer[Judgement]):
    class Meta:
        model = Judgement
        fields = (
            "id",
            "pack_id",
            "pack_version",
            "criterion_id",
            "verdict",
            "evidence",
            "evidence_links",
            "comment",
            "recorded_at",
        )


class JudgementInputSerializer(serializers.Serializer[Any]):
    pack_id = serializers.CharField()
    criterion_id = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_links = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.ModelSerializer[Review]):
    reviewer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    micro_credential = serializers.IntegerField(source="version.micro_credential_id", read_only=True)

    class Meta:
        model = Review
        fields = (
            "id",
            "organisation",
            "micro_credential",
            "version",
            "packs",
            "reviewer",
            "reviewer_kind",
            "status",
            "recommendation",
            "summary",
            "opened_at",
            "submitted_at",
        )


class OpenReviewSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    packs = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Default: the enabled packs."
    )
    reviewer_kind = serializers.ChoiceField(choices=ReviewerKind.choices, default=ReviewerKind.INTERNAL)


class SubmitReviewSerializer(serializers.Serializer[Any]):
    recommendation = serializers.CharField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        summary="List reviews", description="Your organisations' reviews and those assigned to you."
    ),
    retrieve=extend_schema(
        summary="Read a review", responses={200: ReviewSerializer, **error_responses(404)}
    ),
)
class ReviewViewSet(viewsets.GenericViewSet[Review]):
    serializer_class = ReviewSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Review]:
        return selectors.reviews_visible_to(self.request.user)

    def _review(self, pk: str) -> Review:
        return selectors.get_review(self.request.user, int(pk)) if pk.isdigit() else _missing()

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(ReviewSerializer(self._review(pk)).data)

    @extend_schema(
        summary="Open a review of a version",
        description="Assigns the reviewer and runs the machine checks. QA officers and organisation admins.",
        request=OpenReviewSerializer,
        responses={201: ReviewSerializer, **error_responses(400, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        given = OpenReviewSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        version = _version(request.user, data["version"])
        review = services.open_review(
            actor=acting_user(request),
            version=version,
            reviewer=data["reviewer"],
            pack_ids=data.get("packs"),
            reviewer_kind=data["reviewer_kind"],
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit the review with a recommendation",
        description="The assigned reviewer only.",
        request=SubmitReviewSerializer,
        responses={200: ReviewSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        review = self._review(pk)
        given = SubmitReviewSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        review = services.submit_review(actor=acting_user(request), review=review, **given.validated_data)
        return Response(ReviewSerializer(review).data)

    @extend_schema(
        methods=["get"],
        summary="List a review's judgements",
        request=None,
        responses={200: JudgementSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["post"],
        summary="Record a judgement on one criterion",
        description="Creates or replaces the verdict on (pack, criterion). The assigned reviewer only.",
        request=JudgementInputSerializer,
        responses={200: JudgementSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def judgements(self, request: Request, pk: str) -> Response:
        acting_user(request)
        review = self._review(pk)
        if request.method == "GET":
            return Response(JudgementSerializer(review.judgements.all(), many=True).data)
        given = JudgementInputSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        judgement = services.record_judgement(
            actor=acting_user(request), review=review, **given.validated_data
        )
        return Response(JudgementSerializer(judgement).data)


def _missing() -> Review:
    raise NotVisible("No such review.")


# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = [
    ("check-runs", CheckRunViewSet, "check-run"),
    ("reviews", ReviewViewSet, "review"),
]
