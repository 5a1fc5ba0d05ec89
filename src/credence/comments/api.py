"""The comments API: threads on a subject (list, create), reply, edit one's own, resolve and reopen.
Each (prefix, viewset, basename) in ROUTES is registered by credence.api_urls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object

from . import selectors, services
from .models import Comment


class CommentSerializer(serializers.ModelSerializer[Comment]):
    subject_type = serializers.SerializerMethodField()
    subject_id = serializers.IntegerField(source="object_id", read_only=True)
    author = serializers.CharField(source="author.get_username", read_only=True)
    mentions = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "subject_type", "subject_id", "anchor", "parent", "author", "body", "mentions",
            "created_at", "edited_at", "resolved_at", "resolved_by",
        ]
        read_only_fields = fields

    def get_subject_type(self, obj: Comment) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_mentions(self, obj: Comment) -> list[str]:
        return [u.get_username() for u in obj.mentions.all()]

    def get_resolved_by(self, obj: Comment) -> str | None:
        return obj.resolved_by.get_username() if obj.resolved_by else None


class CommentCreateSerializer(serializers.Serializer[Any]):
    subject_type = serializers.CharField(help_text='e.g. "microcredentials.microcredentialversion"')
    subject_id = serializers.IntegerField()
    anchor = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField()


BODY = inline_serializer(name="CommentBody", fields={"body": serializers.CharField()})
SUBJECT_PARAMETERS = [
    OpenApiParameter("subject_type", str, required=True, description='e.g. "microcredentials.microcredentialversion"'),
    OpenApiParameter("subject_id", int, required=True, description="The id of the subject"),
]


def _body(request: Request) -> str:
    body = json_object(request.data).get("body")
    if not isinstance(body, str):
        raise ValidationError({"body": ["Give the comment's text in `body`."]})
    return body


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Comments on a subject that the caller may see (members of the subject's organisation)."""

    queryset = Comment.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = CommentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Page
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        if not params.get("subject_type") or not params.get("subject_id"):
            raise ValidationError({"subject_type": ["Give subject_type and subject_id to list comments."]})
        subject = selectors.subject_from(params["subject_type"], params["subject_id"])
        return selectors.comments_on(acting_user(self.request), subject)

    def get_object(self) -> Comment:
        return selectors.comment_of(acting_user(self.request), int(self.kwargs["pk"]))

    @extend_schema(parameters=SUBJECT_PARAMETERS, responses={200: CommentSerializer(many=True), **error_responses(400, 401, 404)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer, **error_responses(400, 401, 403, 404)})
    def create(self, request: Request) -> Response:
        """Start a thread on a subject, or on one of its fields (`anchor`)."""
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject = selectors.subject_from(data.validated_data["subject_type"], data.validated_data["subject_id"])
        comment = services.add_comment(
            actor=acting_user(request), subject=subject,
            body=data.validated_data["body"], anchor=data.validated_data["anchor"],
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BODY, responses={200: CommentSerializer, **error_responses(400, 401, 403, 404)})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the text of one's own comment."""
        comment = services.edit_comment(actor=acting_user(request), comment=self.get_object(), body=_body(request))
        return Response(CommentSerializer(comment).data)

    @extend_schema(request=BODY, responses={201: CommentSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        comment = services.reply(actor=acting_user(request), parent=self.get_object(), body=_body(request))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CommentSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        """Resolve the thread (its author, a QA officer or an organisation admin)."""
        return Response(CommentSerializer(services.resolve(actor=acting_user(request), comment=self.get_object())).data)

    @extend_schema(request=None, responses={200: CommentSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return Response(CommentSerializer(services.reopen(actor=acting_user(request), comment=self.get_object())).data)


ROUTES: list[tuple[str, Any, str]] = [("comments", CommentViewSet, "comment")]
