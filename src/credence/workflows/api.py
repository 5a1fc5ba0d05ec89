"""The workflows REST API: proposals (list, create, read, and the actions on them), deciding on a stage,
workflow templates (read, create or change) and tasks. ROUTES are registered by credence.api_urls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from credence.api import Page, acting_user, error_responses, json_object
from credence.errors import NotVisible
from credence.microcredentials import selectors as mc_selectors
from credence.organisations.authorization import organisation_ids_of
from credence.organisations.models import Organisation
from credence.organisations.selectors import memberships_of

from . import selectors, services
from .models import (
    BUSINESS_CASE_FIELDS,
    Decision,
    DecisionAction,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Stage,
    StageRun,
    Task,
    TaskStatus,
    WorkflowTemplate,
)


def _pk(value: str, what: str) -> int:
    if not value.isdigit():
        raise NotVisible(f"No such {what}.")
    return int(value)


# --- serializers ----------------------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Decision
        fields = ("id", "user", "action", "comment", "conditions", "made_at")


class StageRunSerializer(serializers.ModelSerializer[StageRun]):
    stage = serializers.CharField(source="stage.name", read_only=True)
    kind = serializers.CharField(source="stage.kind", read_only=True)
    order = serializers.IntegerField(source="stage.order", read_only=True)
    committee_slug = serializers.CharField(source="stage.committee_slug", read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = StageRun
        fields = (
            "id",
            "stage",
            "kind",
            "order",
            "committee_slug",
            "status",
            "outcome",
            "started_at",
            "due_at",
            "finished_at",
            "decisions",
        )


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    proposer = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    stages = serializers.SerializerMethodField(help_text="The stages of the latest run, in order.")

    class Meta:
        model = Proposal
        fields = (
            "id",
            "organisation",
            "kind",
            "micro_credential",
            "version",
            "version_number",
            "title",
            "status",
            "proposer",
            *BUSINESS_CASE_FIELDS,
            "evidence",
            "reason",
            "template",
            "publish_on",
            "lock_version",
            "created_at",
            "submitted_at",
            "decided_at",
            "completed_at",
            "stages",
        )

    @extend_schema_field(StageRunSerializer(many=True))
    def get_stages(self, proposal: Proposal) -> list[dict[str, Any]]:
        run = proposal.runs.order_by("-started_at", "-pk").first()
        if run is None:
            return []
        stage_runs = run.stage_runs.select_related("stage").prefetch_related("decisions__user")
        return list(StageRunSerializer(stage_runs.order_by("stage__order", "stage_id"), many=True).data)


class CreateProposalSerializer(serializers.Serializer[Any]):
    micro_credential = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    demand_evidence = serializers.CharField(required=False, allow_blank=True, default="")
    target_learners = serializers.CharField(required=False, allow_blank=True, default="")
    partners = serializers.CharField(required=False, allow_blank=True, default="")
    resources_and_costs = serializers.CharField(required=False, allow_blank=True, default="")
    pricing = serializers.CharField(required=False, allow_blank=True, default="")
    risks = serializers.CharField(required=False, allow_blank=True, default="")
    first_offering = serializers.DateField(required=False, allow_null=True, default=None)
    teach_out = serializers.CharField(required=False, allow_blank=True, default="")


class DecideSerializer(serializers.Serializer[Any]):
    stage_run = serializers.IntegerField(help_text="The id of the stage in progress (see `stages`).")
    action = serializers.ChoiceField(
        choices=[
            DecisionAction.APPROVE,
            DecisionAction.APPROVE_WITH_CONDITIONS,
            DecisionAction.RETURN,
            DecisionAction.REJECT,
        ]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublishSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: now.")


class StageSerializer(serializers.ModelSerializer[Stage]):
    assignees = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Stage
        fields = (
            "order",
            "name",
            "kind",
            "condition",
            "condition_value",
            "packs",
            "quality_gate",
            "role",
            "assignees",
            "quorum",
            "quorum_n",
            "due_days",
            "committee_slug",
        )


class TemplateSerializer(serializers.ModelSerializer[WorkflowTemplate]):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = WorkflowTemplate
        fields = ("id", "organisation", "proposal_kind", "name", "version", "active", "description", "stages")


class StageInputSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField(required=False)
    name = serializers.CharField()
    kind = serializers.CharField()
    condition = serializers.CharField(required=False, allow_blank=True)
    condition_value = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True
    )
    packs = serializers.ListField(child=serializers.CharField(), required=False)
    quality_gate = serializers.ListField(child=serializers.CharField(), required=False)
    role = serializers.CharField(required=False, allow_blank=True)
    assignees = serializers.ListField(child=serializers.CharField(), required=False, help_text="Usernames.")
    quorum = serializers.CharField(required=False)
    quorum_n = serializers.IntegerField(required=False, allow_null=True)
    due_days = serializers.IntegerField(required=False)
    committee_slug = serializers.CharField(required=False, allow_blank=True)


class TemplateInputSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(required=False, help_text="Default: your (first) organisation.")
    proposal_kind = serializers.ChoiceField(choices=ProposalKind.choices)
    name = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    stages = StageInputSerializer(many=True, help_text="The whole list of stages (it replaces the old one).")


class TaskSerializer(serializers.ModelSerializer[Task]):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = (
            "id",
            "organisation",
            "assignee",
            "kind",
            "subject",
            "proposal",
            "stage_run",
            "review",
            "status",
            "due_at",
            "overdue",
            "created_at",
            "completed_at",
            "note",
        )

    def get_overdue(self, task: Task) -> bool:
        return bool(task.status == TaskStatus.OPEN and task.due_at and task.due_at < dt.datetime.now(dt.UTC))


class CompleteTaskSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- viewsets -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List proposals",
        description="Your organisations' proposals. Filter with ?status= and ?kind=.",
        parameters=[
            OpenApiParameter("status", str, enum=ProposalStatus.values, required=False),
            OpenApiParameter("kind", str, enum=ProposalKind.values, required=False),
        ],
        responses={200: ProposalSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Read a proposal", responses={200: ProposalSerializer, **error_responses(401, 404)}
    ),
)
class ProposalViewSet(viewsets.GenericViewSet[Proposal]):
    serializer_class = ProposalSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Proposal]:
        queryset = selectors.proposals_visible_to(self.request.user).order_by("-created_at", "-pk")
        wanted_status = self.request.query_params.get("status", "")
        if wanted_status in ProposalStatus.values:
            queryset = queryset.filter(status=wanted_status)
        kind = self.request.query_params.get("kind", "")
        if kind in ProposalKind.values:
            queryset = queryset.filter(kind=kind)
        return queryset

    def _proposal(self, pk: str) -> Proposal:
        return selectors.get_proposal(self.request.user, _pk(pk, "proposal"))

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(ProposalSerializer(self._proposal(pk)).data)

    @extend_schema(
        summary="Draft a proposal",
        description="A draft proposal for a micro-credential of your organisation, with its business case. "
        "Proposers, QA officers and organisation admins.",
        request=CreateProposalSerializer,
        responses={201: ProposalSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        actor = acting_user(request)
        given = CreateProposalSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        micro_credential = mc_selectors.get_micro_credential(actor, data.pop("micro_credential"))
        if not actor.is_superuser and micro_credential.organisation_id not in organisation_ids_of(actor):
            raise NotVisible("No such micro-credential.")  # a published one of another organisation
        proposal = services.create_proposal(actor=actor, micro_credential=micro_credential, **data)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit a draft proposal into its workflow",
        request=None,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        proposal = services.submit_proposal(actor=acting_user(request), proposal=self._proposal(pk))
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        summary="Decide on a stage in progress",
        description="Approve (with conditions), return for changes, or reject. Approving needs an open task at "
        "the stage; returning and rejecting also QA officers and organisation admins. Refused (400) when the "
        "stage has moved on or you already decided.",
        request=DecideSerializer,
        responses={200: DecisionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        actor = acting_user(request)
        proposal = self._proposal(pk)
        given = DecideSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        stage_run = (
            selectors.stage_runs_visible_to(actor)
            .filter(pk=data["stage_run"], run__proposal=proposal)
            .first()
        )
        if stage_run is None:
            raise NotVisible("No such stage of this proposal.")
        decision = services.decide(
            actor=actor,
            stage_run=stage_run,
            action=data["action"],
            comment=data["comment"],
            conditions=data["conditions"],
        )
        return Response(DecisionSerializer(decision).data)

    @extend_schema(
        summary="Withdraw a proposal",
        request=WithdrawSerializer,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        given = WithdrawSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        proposal = services.withdraw_proposal(
            actor=acting_user(request), proposal=self._proposal(pk), reason=given.validated_data["reason"]
        )
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(
        summary="Publish an approved proposal (or retire, for a retirement)",
        description="Now, or on a date (`on`). QA officers and organisation admins. Refused while conditions are open.",
        request=PublishSerializer,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        given = PublishSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        proposal = services.publish_proposal(
            actor=acting_user(request), proposal=self._proposal(pk), on=given.validated_data["on"]
        )
        return Response(ProposalSerializer(proposal).data)


@extend_schema_view(
    list=extend_schema(
        summary="List workflow templates",
        description="Your organisations' templates, every version.",
        responses={200: TemplateSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Read a workflow template", responses={200: TemplateSerializer, **error_responses(401, 404)}
    ),
)
class TemplateViewSet(viewsets.GenericViewSet[WorkflowTemplate]):
    serializer_class = TemplateSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WorkflowTemplate]:
        return selectors.templates_visible_to(self.request.user).order_by("proposal_kind", "-version")

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TemplateSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(TemplateSerializer(selectors.get_template(request.user, _pk(pk, "template"))).data)

    @extend_schema(
        summary="Create the workflow of a kind of proposal",
        description="Makes a new template version, active for new proposals. Organisation admins.",
        request=TemplateInputSerializer,
        responses={201: TemplateSerializer, **error_responses(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        actor = acting_user(request)
        body = json_object(request.data)
        given = TemplateInputSerializer(data=body)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        organisation = self._organisation(actor, data.get("organisation"))
        template = services.save_template(
            actor=actor,
            organisation=organisation,
            proposal_kind=data["proposal_kind"],
            name=data["name"],
            description=data["description"],
            stages=[dict(s) for s in data["stages"]],
        )
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    def _organisation(self, actor: Any, pk: int | None) -> Organisation:
        memberships = list(memberships_of(actor))
        if pk is None:
            if not memberships:
                raise NotVisible("You belong to no organisation.")
            return min(memberships, key=lambda m: (m.created_at, m.pk)).organisation
        found = next((m.organisation for m in memberships if m.organisation_id == pk), None)
        if found is None and actor.is_superuser:
            found = Organisation.objects.filter(pk=pk).first()
        if found is None:
            raise NotVisible("No such organisation.")
        return found


@extend_schema_view(
    list=extend_schema(
        summary="List tasks",
        description="Your open tasks, the soonest due first. ?status=done or ?status=all for the others.",
        parameters=[
            OpenApiParameter("status", str, enum=["open", "done", "cancelled", "all"], required=False)
        ],
        responses={200: TaskSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Read a task", responses={200: TaskSerializer, **error_responses(401, 404)}
    ),
)
class TaskViewSet(viewsets.GenericViewSet[Task]):
    serializer_class = TaskSerializer
    pagination_class = Page
    parser_classes = (JSONParser,)
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Task]:
        wanted = self.request.query_params.get("status", "open")
        if wanted == "open":
            return selectors.open_tasks_for(self.request.user)
        mine = selectors.tasks_visible_to(self.request.user).filter(assignee_id=self.request.user.pk)
        if wanted in TaskStatus.values:
            mine = mine.filter(status=wanted)
        return mine.order_by("-created_at", "-pk")

    def list(self, request: Request) -> Response:
        acting_user(request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        acting_user(request)
        return Response(TaskSerializer(selectors.get_task(request.user, _pk(pk, "task"))).data)

    @extend_schema(
        summary="Mark a condition task as met",
        description="Its assignee, a QA officer or an organisation admin. Other tasks close when their work is done.",
        request=CompleteTaskSerializer,
        responses={200: TaskSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        actor = acting_user(request)
        given = CompleteTaskSerializer(data=json_object(request.data))
        given.is_valid(raise_exception=True)
        task = services.complete_task(
            actor=actor, task=selectors.get_task(actor, _pk(pk, "task")), note=given.validated_data["note"]
        )
        return Response(TaskSerializer(task).data)


# (prefix, viewset, basename)
ROUTES: list[tuple[str, Any, str]] = [
    ("proposals", ProposalViewSet, "proposal"),
    ("workflow-templates", TemplateViewSet, "workflow-template"),
    ("tasks", TaskViewSet, "task"),
]
