"""The committees API: committees with their members, meetings with their agenda (read); allocating a
proposal to a meeting and recording an item's outcome (write). Each (prefix, viewset, basename) in ROUTES
is registered by credence.api_urls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object

from . import selectors, services
from .models import AgendaItem, Committee, CommitteeMember, ItemOutcome, Meeting


class SeatSerializer(serializers.ModelSerializer[CommitteeMember]):
    username = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["username", "role", "term_start", "term_end"]


class CommitteeSerializer(serializers.ModelSerializer[Committee]):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    members = SeatSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "organisation", "slug", "name", "terms_of_reference", "members"]


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    proposal = serializers.IntegerField(source="stage_run.run.proposal_id", read_only=True)
    stage = serializers.CharField(source="stage_run.stage.name", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id", "order", "title", "proposal", "stage_run", "stage", "outcome", "conditions", "note",
            "recorded_by", "recorded_at",
        ]

    def get_recorded_by(self, obj: AgendaItem) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by else None


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    items = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "committee", "organisation", "start", "end", "place", "online_link", "description",
            "status", "minutes", "items",
        ]


class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """The committees of the organisations I belong to."""

    queryset = Committee.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = CommitteeSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Page
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        return selectors.committees_visible_to(acting_user(self.request)).prefetch_related("members__user")

    def get_object(self) -> Committee:
        return selectors.committee_by_pk(acting_user(self.request), int(self.kwargs["pk"]))


ALLOCATE = inline_serializer(name="Allocation", fields={"stage_run": serializers.IntegerField(
    help_text="The stage run of a proposal waiting at this committee's stage."
)})
OUTCOME = inline_serializer(name="MeetingOutcome", fields={
    "item": serializers.IntegerField(help_text="An agenda item of this meeting."),
    "outcome": serializers.ChoiceField(choices=ItemOutcome.choices),
    "conditions": serializers.ListField(child=serializers.CharField(), required=False),
    "note": serializers.CharField(required=False, allow_blank=True),
})


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Meetings of my organisations' committees, newest first, each with its agenda."""

    queryset = Meeting.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = MeetingSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Page
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        queryset = selectors.meetings_visible_to(acting_user(self.request)).prefetch_related(
            "items__stage_run__stage", "items__stage_run__run", "items__recorded_by"
        )
        committee = self.request.query_params.get("committee")
        return queryset.filter(committee__slug=committee) if committee else queryset

    def get_object(self) -> Meeting:
        return selectors.meeting_for(acting_user(self.request), int(self.kwargs["pk"]))

    @extend_schema(parameters=[OpenApiParameter("committee", str, description="A committee's slug")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ALLOCATE, responses={201: AgendaItemSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk: str) -> Response:
        """Put a proposal waiting at the committee's stage on this meeting's agenda."""
        user = acting_user(request)
        meeting = self.get_object()
        if not services.can_manage_meetings(user, meeting.committee):
            raise PermissionDenied("Only the committee's secretary or chair can build its agenda.")
        from credence.workflows.selectors import stage_runs_visible_to

        stage_run_id = json_object(request.data).get("stage_run")
        stage_run = (
            stage_runs_visible_to(user).filter(pk=stage_run_id).select_related("stage", "run__proposal").first()
            if isinstance(stage_run_id, int) else None
        )
        if stage_run is None:
            raise ValidationError({"stage_run": ["Give the id of a stage run of a proposal you can see."]})
        item = services.allocate(actor=user, meeting=meeting, stage_run=stage_run)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OUTCOME, responses={200: AgendaItemSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        """Record the outcome of one agenda item; it moves the proposal's workflow on."""
        data = json_object(request.data)
        item = data.get("item")
        if not isinstance(item, int):
            raise ValidationError({"item": ["Give the id of an agenda item of this meeting."]})
        recorded = services.record_outcome(
            actor=acting_user(request), meeting=self.get_object(), item=item,
            outcome=str(data.get("outcome", "")), conditions=data.get("conditions") or [],
            note=str(data.get("note") or ""),
        )
        return Response(AgendaItemSerializer(recorded).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("committees", CommitteeViewSet, "committee"),
    ("meetings", MeetingViewSet, "meeting"),
]
