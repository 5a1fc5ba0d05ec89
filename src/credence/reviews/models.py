"""Reviews of one version against one or more framework packs, the reviewers' judgements, and the
cached results of the machine checks (CheckRun)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations.models import Organisation


class CheckRun(models.Model):
    """The machine-check results of one pack on one version, when they were computed."""

    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="check_runs")
    pack_id = models.CharField(max_length=80)
    pack_version = models.CharField(max_length=40)
    # [{"criterion": id, "check": id, "level": ..., "status": ..., "message": ..., "field": ...}]
    results = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["pack_id", "-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "pack_id", "pack_version"], name="one_check_run_per_pack_version"
            )
        ]

    def __str__(self) -> str:
        return f"Checks of {self.pack_id} {self.pack_version} on version {self.version_id}"

    @property
    def owner_organisation_id(self) -> int:
        return self.version.micro_credential.organisation_id

    def counts(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "not_applicable": 0}
        for result in self.results:
            counts[result.get("status", "not_applicable")] = counts.get(result.get("status", ""), 0) + 1
        return counts


class ReviewerKind(models.TextChoices):
    INTERNAL = "internal", "Internal reviewer"
    PEER = "peer", "Peer reviewer"
    EMPLOYER = "employer", "Employer reviewer"
    EXTERNAL = "external", "External reviewer"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve with conditions", "Approve with conditions"
    REVISE = "revise and resubmit", "Revise and resubmit"
    REJECT = "reject", "Reject"


class Review(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="reviews")
    # [[pack id, pack version], ...] as they were when the review opened
    packs = models.JSONField(default=list)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    reviewer_kind = models.CharField(
        max_length=20, choices=ReviewerKind.choices, default=ReviewerKind.INTERNAL
    )
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    recommendation = models.CharField(max_length=40, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.version} by {self.reviewer}"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN


class Verdict(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly met", "Partly met"
    NOT_MET = "not met", "Not met"
    NOT_APPLICABLE = "not applicable", "Not applicable"


class Judgement(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="judgements")
    pack_id = models.CharField(max_length=80)
    pack_version = models.CharField(max_length=40)
    criterion_id = models.CharField(max_length=80)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    evidence = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    # Evidence is text, links and files (files.Attachment rows linked to the judgement).
    evidence_links = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pack_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "pack_id", "criterion_id"], name="one_judgement_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pack_id}/{self.criterion_id}: {self.verdict}"

    @property
    def owner_organisation_id(self) -> int:
        return self.review.organisation_id
