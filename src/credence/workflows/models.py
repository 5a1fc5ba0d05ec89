"""Governance of proposals: the proposal and its business case, the workflow templates an organisation
configures (ordered stages), the runs of a template on a proposal (stage runs and decisions), and the
tasks that the stages give people.

A template in use is never edited: a change makes a new template version, and running proposals keep
the version they started with (WorkflowRun.template points at it).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from credence.microcredentials.models import MicroCredential, MicroCredentialVersion
from credence.organisations.models import Organisation, Role

MAX_TEXT = 10_000


class ProposalKind(models.TextChoices):
    NEW = "new", "New micro-credential"
    MAJOR_CHANGE = "major_change", "Major change"
    MINOR_CHANGE = "minor_change", "Minor change"
    RETIREMENT = "retirement", "Retirement"
    CYCLIC_REVIEW = "cyclic_review", "Cyclic review"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_WORKFLOW = "in_workflow", "In the workflow"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"
    RENEWED = "renewed", "Renewed"


OPEN_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.IN_WORKFLOW, ProposalStatus.RETURNED)

# The elements of a business case, in the order the form asks for them.
BUSINESS_CASE_FIELDS = (
    "rationale",
    "demand_evidence",
    "target_learners",
    "partners",
    "resources_and_costs",
    "pricing",
    "risks",
    "first_offering",
    "teach_out",
)


class Proposal(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    micro_credential = models.ForeignKey(MicroCredential, on_delete=models.PROTECT, related_name="proposals")
    # The version under consideration: the draft being proposed (a new draft after each return).
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")

    # The business case.
    rationale = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    demand_evidence = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT)],
        help_text="Employer or industry support, labour-market data (attach letters and data as files).",
    )
    target_learners = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    partners = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    resources_and_costs = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    pricing = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    risks = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    first_offering = models.DateField(null=True, blank=True)
    teach_out = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT)],
        help_text="For a retirement: how learners who are enrolled finish (teach-out).",
    )
    # For a cyclic review: the monitoring figures and flags that prompted it, as monitoring passed them.
    evidence = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])

    # The workflow template version the proposal runs under, fixed at its first submission.
    template = models.ForeignKey(
        "WorkflowTemplate", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    publish_on = models.DateField(null=True, blank=True, help_text="Publish (or retire) on this date.")
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Submission(models.Model):
    """One submission of a proposal: which version went into the workflow, and when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_submission_number_per_proposal")
        ]

    def __str__(self) -> str:
        return f"Submission {self.number} of proposal {self.proposal_id}"


class WorkflowTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workflow_templates"
    )
    proposal_kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "proposal_kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "proposal_kind", "version"], name="one_template_version_per_kind"
            ),
            models.UniqueConstraint(
                fields=["organisation", "proposal_kind"],
                condition=Q(active=True),
                name="one_active_template_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id


class StageKind(models.TextChoices):
    REVIEW = "review", "Review against framework packs"
    APPROVAL = "approval", "Approval"
    COMMITTEE = "committee", "Committee decision"


class Quorum(models.TextChoices):
    ANY = "any", "Any one of them"
    ALL = "all", "All of them"
    N = "n", "N of them"


class StageCondition(models.TextChoices):
    ALWAYS = "", "Always"
    CREDITS_ABOVE = "credits_above", "Only when the credits exceed a threshold"
    EXTERNAL_PARTNER = "external_partner", "Only when there is an external partner"
    STACKS_INTO_AWARD = "stacks_into_award", "Only when it stacks into a larger award (e.g. a degree)"


class Stage(models.Model):
    """One stage of a template. Stages run in `order`; stages with the same order run in parallel."""

    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=StageKind.choices)
    condition = models.CharField(max_length=30, choices=StageCondition.choices, blank=True, default="")
    condition_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Review stages: which framework packs (ids); the reviewers are `assignees`, else holders of `role`.
    packs = models.JSONField(default=list, blank=True)
    # Ids of machine checks that must not fail on the version for the stage to complete.
    quality_gate = models.JSONField(default=list, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    quorum = models.CharField(max_length=3, choices=Quorum.choices, default=Quorum.ANY)
    quorum_n = models.PositiveSmallIntegerField(null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(default=10)
    # Committee stages: the slug of the committees.Committee that decides (a soft reference).
    committee_slug = models.SlugField(max_length=100, blank=True)

    class Meta:
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def owner_organisation_id(self) -> int:
        return self.template.organisation_id

    def quorum_label(self) -> str:
        if self.quorum == Quorum.N:
            return f"{self.quorum_n} of them"
        return str(self.get_quorum_display())

    def condition_label(self) -> str:
        if self.condition == StageCondition.CREDITS_ABOVE:
            value = format(self.condition_value.normalize(), "f") if self.condition_value is not None else "?"
            return f"Only when the credits exceed {value}"
        return str(self.get_condition_display())


class RunStatus(models.TextChoices):
    ACTIVE = "active", "Running"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WorkflowRun(models.Model):
    """One pass of a proposal through its template (a new run after each resubmission)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="runs")
    template = models.ForeignKey(WorkflowTemplate, on_delete=models.PROTECT, related_name="runs")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.ACTIVE)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "started_at", "pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} of proposal {self.proposal_id}"


class StageRunStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ACTIVE = "active", "In progress"
    COMPLETED = "completed", "Completed"
    SKIPPED = "skipped", "Skipped (condition not met)"
    CLOSED = "closed", "Closed"  # returned, rejected or withdrawn while it was in progress
    CANCELLED = "cancelled", "Not reached"


class StageRun(models.Model):
    run = models.ForeignKey(WorkflowRun, on_delete=models.CASCADE, related_name="stage_runs")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=20, choices=StageRunStatus.choices, default=StageRunStatus.WAITING)
    outcome = models.CharField(max_length=30, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "stage__order", "stage_id"]
        constraints = [models.UniqueConstraint(fields=["run", "stage"], name="one_stage_run_per_stage")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.stage.name} ({self.get_status_display()})"

    @property
    def proposal(self) -> Proposal:
        return self.run.proposal

    @property
    def owner_organisation_id(self) -> int:
        return self.run.proposal.organisation_id

    @property
    def is_active(self) -> bool:
        return self.status == StageRunStatus.ACTIVE


class DecisionAction(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    RETURN = "return", "Return for changes"
    REJECT = "reject", "Reject"
    WITHDRAW = "withdraw", "Withdraw"
    REASSIGN = "reassign", "Reassign"
    DEFER = "defer", "Defer"
    REVIEWS_COMPLETE = "reviews_complete", "Reviews complete"


APPROVING = (DecisionAction.APPROVE, DecisionAction.APPROVE_WITH_CONDITIONS)


class Decision(models.Model):
    stage_run = models.ForeignKey(StageRun, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=DecisionAction.choices)
    comment = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    conditions = models.JSONField(default=list, blank=True)
    # A vote counts towards the stage's quorum; the decision that closes the stage is unique per stage run.
    is_vote = models.BooleanField(default=False)
    closes_stage = models.BooleanField(default=False)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["made_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage_run"],
                condition=Q(closes_stage=True),
                name="one_closing_decision_per_stage_run",
            ),
            models.UniqueConstraint(
                fields=["stage_run", "user"],
                condition=Q(is_vote=True),
                name="one_vote_per_person_per_stage_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.stage_run_id}"

    @property
    def owner_organisation_id(self) -> int:
        return self.stage_run.run.proposal.organisation_id


class TaskKind(models.TextChoices):
    REVIEW = "review", "Review"
    APPROVE = "approve", "Decide"
    COMMITTEE = "committee", "Allocate to a committee meeting"
    REVISE = "revise", "Revise and resubmit"
    CONDITION = "condition", "Meet a condition"
    PUBLISH = "publish", "Publish"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Task(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    subject = models.CharField(max_length=500)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    stage_run = models.ForeignKey(
        StageRun, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    # The decision whose condition this task tracks (condition tasks).
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["assignee", "status"]), models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN
