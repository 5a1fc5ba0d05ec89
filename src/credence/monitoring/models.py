"""Offerings of published micro-credentials, their learners and enrolments (the part issuing needs).

A learner's e-mail address is kept with a salted SHA-256 hash of it, so that reports and matches can
use the hash and the address can later be erased without breaking them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from credence.microcredentials.models import FormOfParticipation, MicroCredentialVersion
from credence.organisations.models import Organisation


class Offering(models.Model):
    """One run of a published version: when, how, for how many, at what price."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offerings")
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.PROTECT, related_name="offerings")
    code = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    form_of_participation = models.CharField(max_length=30, choices=FormOfParticipation.choices, blank=True)
    instructors = models.CharField(max_length=500, blank=True, help_text="Names, separated by commas.")
    capacity = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="one_offering_code_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.starts_on:%d %b %Y} – {self.ends_on:%d %b %Y})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The offering ends before it starts."
        if self.price is not None and self.price < 0:
            errors["price"] = "A price cannot be negative."
        if self.price is not None and not self.currency:
            errors["currency"] = "Give the currency of the price (ISO 4217, e.g. EUR)."
        if errors:
            raise ValidationError(errors)


class Learner(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="learners")
    external_id = models.CharField("student record id", max_length=100, blank=True)
    name = models.CharField(max_length=300, blank=True)
    email = models.EmailField("e-mail address", max_length=254, blank=True)
    email_salt = models.CharField(max_length=64)
    email_hash = models.CharField(max_length=64, db_index=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "email"]
        # plain indexes for matching an import's learners (the unique constraints are partial)
        indexes = [
            models.Index(fields=["organisation", "external_id"], name="learner_by_external_id"),
            models.Index(fields=["organisation", "email"], name="learner_by_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~models.Q(email=""),
                name="one_learner_per_email_and_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_learner_per_external_id_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email or f"learner {self.pk}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"


class Enrolment(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    passed = models.BooleanField(null=True, blank=True)
    grade = models.CharField(max_length=40, blank=True)
    enrolled_on = models.DateField()
    started_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["learner__name", "learner__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "learner"], name="one_enrolment_per_learner_and_offering"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.offering.code}"

    @property
    def organisation_id(self) -> int:
        return self.offering.organisation_id

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status == EnrolmentStatus.COMPLETED and self.completed_on is None:
            errors["completed_on"] = "A completed enrolment needs its completion date."
        if self.status != EnrolmentStatus.COMPLETED and self.passed:
            errors["passed"] = "Only a completed enrolment can be passed."
        if errors:
            raise ValidationError(errors)


# --- surveys ---------------------------------------------------------------------------------------------


class SurveyKind(models.TextChoices):
    LEARNER = "learner", "Learner questionnaire"
    EMPLOYER = "employer", "Employer questionnaire"
    GRADUATE = "graduate", "Graduate outcomes questionnaire"


class SurveyStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Survey(models.Model):
    """A standard questionnaire (its questions are in `questionnaires`) about one offering."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    invitations_sent = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "kind"], name="one_survey_of_a_kind_per_offering")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.offering.code}"


class SurveyInvitation(models.Model):
    """One single-use link. Only the SHA-256 of its token is kept, and nothing says whom it was sent to."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.survey_id}"


class SurveyResponse(models.Model):
    """An anonymous response: no link to a learner or to the invitation, and only the day it came in."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"response {self.pk}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    moderation = models.CharField(max_length=10, choices=CommentStatus.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value if self.value is not None else self.text[:40]}"


# --- indicators, thresholds, flags -------------------------------------------------------------------------


class IndicatorValue(models.Model):
    """A computed indicator (definitions in `indicators`) for an offering, or for a micro-credential over a
    period when `offering` is empty; `n` is the number of people the value is computed over."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="indicator_values")
    micro_credential = models.ForeignKey(
        "microcredentials.MicroCredential", on_delete=models.CASCADE, related_name="indicator_values"
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, null=True, blank=True, related_name="indicator_values"
    )
    indicator = models.CharField(max_length=40)
    period = models.CharField(max_length=20)
    value = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["micro_credential_id", "period", "indicator"]
        indexes = [
            models.Index(
                fields=["organisation", "indicator", "period"],
                condition=models.Q(offering__isnull=True),
                name="indicator_rollups",
            ),
            models.Index(fields=["micro_credential", "period"], name="indicator_by_micro_credential"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "indicator"],
                condition=models.Q(offering__isnull=False),
                name="one_value_per_offering_and_indicator",
            ),
            models.UniqueConstraint(
                fields=["micro_credential", "indicator", "period"],
                condition=models.Q(offering__isnull=True),
                name="one_value_per_micro_credential_indicator_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} = {self.value} (n={self.n})"


class Comparison(models.TextChoices):
    BELOW = "below", "below"
    ABOVE = "above", "above"


class Threshold(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="thresholds")
    indicator = models.CharField(max_length=40)
    comparison = models.CharField(max_length=10, choices=Comparison.choices, default=Comparison.BELOW)
    value = models.FloatField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "indicator"], name="one_threshold_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.comparison} {self.value:g}"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In cyclic review"
    RESOLVED = "resolved", "Resolved"


class Flag(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="monitoring_flags")
    micro_credential = models.ForeignKey(
        "microcredentials.MicroCredential", on_delete=models.CASCADE, related_name="monitoring_flags"
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    indicator = models.CharField(max_length=40)
    period = models.CharField(max_length=20)
    value = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=1000, blank=True)
    review = models.ForeignKey(
        "CyclicReview", on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return self.message


# --- cyclic review -----------------------------------------------------------------------------------------


class ReviewSchedule(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="review_schedules")
    micro_credential = models.OneToOneField(
        "microcredentials.MicroCredential", on_delete=models.CASCADE, related_name="review_schedule"
    )
    cadence_years = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)])
    after_each_offering = models.BooleanField(default=True)
    last_done = models.DateField(null=True, blank=True)
    next_due = models.DateField()
    due_reason = models.CharField(max_length=300, blank=True)
    # The due date last announced as `monitoring.review_due` (audit event, and the `review.due` webhook).
    due_announced = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["next_due", "pk"]

    def __str__(self) -> str:
        return f"review of {self.micro_credential_id} due {self.next_due}"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue"
    CHANGE = "change", "Change"
    RETIRE = "retire", "Retire"


class CyclicReview(models.Model):
    """A cyclic review: the evidence it started from, the governance proposal it opened, its outcome."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cyclic_reviews")
    micro_credential = models.ForeignKey(
        "microcredentials.MicroCredential", on_delete=models.PROTECT, related_name="cyclic_reviews"
    )
    reason = models.CharField(max_length=500)
    evidence = models.JSONField(default=dict)
    proposal_id = models.PositiveIntegerField(null=True, blank=True)
    started_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Cyclic review of {self.micro_credential.code} ({self.started_at:%d %b %Y})"
