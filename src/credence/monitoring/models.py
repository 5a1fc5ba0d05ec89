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
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~models.Q(email=""),
                name="one_learner_per_email_and_organisation",
            )
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
