"""The micro-credential (a stable identity) and its versions (what it is, at one point in time).

A draft version is editable. Once a version leaves draft its description is frozen: `save()` refuses
to change a described element, and its outcomes, assessments, modules and pathways refuse to change.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from credence.organisations.models import Organisation, QFEHEALevel

from .vocabularies import currencies, isced_fields, languages, sdgs

SHORT_TEXT = 1_000
MEDIUM_TEXT = 5_000
LONG_TEXT = 20_000


def text(verbose_name: str, limit: int = MEDIUM_TEXT, help_text: str = "") -> models.TextField:
    """A blank-able text field whose size limit holds in the model, not only in forms."""
    return models.TextField(
        verbose_name, blank=True, validators=[MaxLengthValidator(limit)], help_text=help_text
    )


class FrozenVersionError(Exception):
    """Something tried to change a version (or part of it) that has left draft."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"
    RETIRED = "retired", "Retired"


class CreditSystem(models.TextChoices):
    ECTS = "ECTS", "ECTS credits"
    NZQF = "NZQF", "NZQF credits"
    UK = "UK", "UK credits (CATS/SCQF)"
    US_CREDIT_HOURS = "US-credit-hours", "US semester credit hours"
    CEU = "CEU", "Continuing education units"
    NONE = "none", "No credit"


# Above these, a figure is not a micro-credential but a typing error.
CREDIT_CEILING: dict[str, Decimal] = {
    CreditSystem.ECTS: Decimal(60),
    CreditSystem.NZQF: Decimal(120),
    CreditSystem.UK: Decimal(120),
    CreditSystem.US_CREDIT_HOURS: Decimal(30),
    CreditSystem.CEU: Decimal(100),
}
MAX_NOTIONAL_HOURS = 1_800


class AssessmentCertification(models.TextChoices):
    """DEQAR's Assessment list."""

    ASSESSMENT_BASED = "assessment based certificate", "Assessment-based certificate"
    ATTENDANCE = "attendance certificate", "Attendance certificate"
    NONE = "no assessment and no certificate", "No assessment and no certificate"


class Supervision(models.TextChoices):
    """EU Annex I: supervision and identity verification during assessment."""

    UNSUPERVISED = "unsupervised, no identity verification", "Unsupervised, no identity verification"
    SUPERVISED_NO_ID = "supervised, no identity verification", "Supervised, no identity verification"
    SUPERVISED_WITH_ID = (
        "supervised with identity verification",
        "Supervised online or on site, with identity verification",
    )


class FormOfParticipation(models.TextChoices):
    ONLINE_SELF_PACED = "online self-paced", "Online, self-paced"
    ONLINE_SCHEDULED = "online scheduled", "Online, scheduled"
    BLENDED = "blended", "Blended"
    ON_SITE = "on site", "On site"


class DegreeOutcome(models.TextChoices):
    FULL_DEGREE = "full degree", "Full degree"
    NO_FULL_DEGREE = "no full degree", "No full degree"


class AssessmentType(models.TextChoices):
    WRITTEN_EXAM = "written exam", "Written examination"
    ONLINE_TEST = "online test", "Online test or quiz"
    PROJECT = "project", "Project"
    PORTFOLIO = "portfolio", "Portfolio"
    PRACTICAL = "practical", "Practical demonstration"
    PRESENTATION = "presentation", "Presentation"
    ESSAY = "essay", "Essay or report"
    WORKPLACE = "workplace observation", "Workplace observation"
    PEER = "peer assessment", "Peer assessment"
    ORAL = "oral", "Oral examination"
    OTHER = "other", "Other"


class PartnerRole(models.TextChoices):
    AWARDING_BODY = "awarding body", "Awarding body"
    CO_PROVIDER = "co-provider", "Co-provider"
    DELIVERY_PLATFORM = "delivery platform", "Delivery platform"
    INDUSTRY_PARTNER = "industry partner", "Industry partner"


class PathwayKind(models.TextChoices):
    STACKS_INTO = "stacks into", "Stacks into"
    CREDIT_TOWARDS = "credit recognised towards", "Credit recognised towards"
    PRIOR_LEARNING = "recognition of prior learning into it", "Recognition of prior learning into it"


def validate_language_list(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Give a list of ISO 639-1 language codes.")
    unknown = [str(code) for code in value if not isinstance(code, str) or code not in languages()]
    if unknown:
        raise ValidationError(f"Unknown language code(s): {', '.join(unknown)} (use ISO 639-1, e.g. 'en').")


def validate_isced(value: str) -> None:
    if value and value not in isced_fields():
        raise ValidationError(f"'{value}' is not an ISCED-F 2013 field code (e.g. 0613).")


def validate_sdg_list(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Give a list of goal numbers from 1 to 17.")
    unknown = [str(goal) for goal in value if str(goal) not in sdgs()]
    if unknown:
        raise ValidationError(
            f"Not a Sustainable Development Goal: {', '.join(unknown)} (goals are 1 to 17)."
        )


def validate_currency(value: str) -> None:
    if value and value not in currencies():
        raise ValidationError(f"'{value}' is not an ISO 4217 currency code (e.g. EUR).")


def validate_skills(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Give a list of skills, each with a 'uri' and a 'label'.")
    from django.core.validators import URLValidator

    check_url = URLValidator(schemes=["http", "https"])
    for index, skill in enumerate(value):
        if not isinstance(skill, dict) or not isinstance(skill.get("uri"), str):
            raise ValidationError(f"Skill {index + 1}: give a 'uri' (and a 'label').")
        try:
            check_url(skill["uri"])
        except ValidationError:
            raise ValidationError(
                f"Skill {index + 1}: '{skill['uri'][:200]}' is not a web address."
            ) from None
        label = skill.get("label", "")
        if not isinstance(label, str) or len(label) > 300:
            raise ValidationError(f"Skill {index + 1}: the label must be text of at most 300 characters.")


class MicroCredential(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="micro_credentials")
    code = models.CharField(
        max_length=50, help_text="The owner's own code for it; unique within the organisation."
    )
    published_version = models.ForeignKey(
        "MicroCredentialVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "code"]
        verbose_name = "micro-credential"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_code_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.code}"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id


class Partnership(models.Model):
    micro_credential = models.ForeignKey(
        MicroCredential, on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    role = models.CharField(max_length=30, choices=PartnerRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["micro_credential", "organisation", "role"], name="unique_partner_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def owner_organisation_id(self) -> int:
        return self.micro_credential.organisation_id


class MicroCredentialVersion(models.Model):
    micro_credential = models.ForeignKey(MicroCredential, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    lock_version = models.PositiveIntegerField(default=1)

    # What it is
    title = models.CharField(max_length=300)
    summary = text("summary", MEDIUM_TEXT)
    target_learners = text("target learners", MEDIUM_TEXT)
    prerequisites = text("prerequisites", MEDIUM_TEXT)
    languages = models.JSONField(
        "languages of instruction", default=list, blank=True, validators=[validate_language_list]
    )
    # Volume
    credit_system = models.CharField(max_length=20, choices=CreditSystem.choices, blank=True)
    credits = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    notional_hours = models.PositiveIntegerField("notional learning hours", null=True, blank=True)
    contact_hours = models.PositiveIntegerField(null=True, blank=True)
    duration_weeks = models.DecimalField(
        "duration (weeks)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(156))],
    )
    # Level
    eqf_level = models.PositiveSmallIntegerField(
        "EQF level",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        choices=[(n, f"EQF level {n}") for n in range(1, 9)],
        error_messages={"invalid_choice": "EQF levels run from 1 to 8; %(value)s is not one."},
    )
    nqf_framework = models.CharField("national qualifications framework", max_length=200, blank=True)
    nqf_level = models.CharField("national framework level", max_length=50, blank=True)
    qf_ehea_level = models.CharField("QF-EHEA cycle", max_length=20, choices=QFEHEALevel.choices, blank=True)
    level_not_applicable = models.BooleanField("level not applicable", default=False)
    level_not_applicable_reason = text("why no level applies", SHORT_TEXT)
    # Field
    field_of_study = models.CharField(
        "field of study (ISCED-F 2013)", max_length=4, blank=True, validators=[validate_isced]
    )
    # Learning and assessment
    learning_activities = text("learning activities and experiences", MEDIUM_TEXT)
    assessment_certification = models.CharField(
        "assessment and certification", max_length=40, choices=AssessmentCertification.choices, blank=True
    )
    supervision = models.CharField(
        "supervision and identity verification", max_length=50, choices=Supervision.choices, blank=True
    )
    grading_scheme = text("grading scheme", SHORT_TEXT)
    form_of_participation = models.CharField(max_length=30, choices=FormOfParticipation.choices, blank=True)
    # Support
    support_academic = text("academic support", SHORT_TEXT)
    support_administrative = text("administrative support", SHORT_TEXT)
    support_library = text("library and learning resources", SHORT_TEXT)
    technology_needed = text("technology the learner needs", SHORT_TEXT)
    instructors = text("instructors and their qualifications", MEDIUM_TEXT)
    # Pathways and quality
    stackability_note = text("stackability and recognition", MEDIUM_TEXT)
    quality_assurance = text("type of quality assurance", MEDIUM_TEXT)
    content_lifespan_months = models.PositiveSmallIntegerField(
        "content lifespan (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    next_review_date = models.DateField(null=True, blank=True)
    employer_involvement = text("employer or industry involvement", MEDIUM_TEXT)
    sdgs = models.JSONField(
        "Sustainable Development Goals", default=list, blank=True, validators=[validate_sdg_list]
    )
    degree_outcome = models.CharField(
        max_length=20, choices=DegreeOutcome.choices, default=DegreeOutcome.NO_FULL_DEGREE
    )
    # Fees
    fee_amount = models.DecimalField(
        "fee", max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fee_currency = models.CharField(max_length=3, blank=True, validators=[validate_currency])
    fee_note = text("about the fee", SHORT_TEXT)
    further_information = text("further information", MEDIUM_TEXT)

    # Life
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retirement_reason = text("why it was retired", SHORT_TEXT)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["micro_credential", "-number"]
        verbose_name = "micro-credential version"
        constraints = [
            models.UniqueConstraint(fields=["micro_credential", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["micro_credential"],
                condition=models.Q(status="draft"),
                name="one_draft_per_micro_credential",
            ),
            models.UniqueConstraint(
                fields=["micro_credential"],
                condition=models.Q(status="published"),
                name="one_published_version_per_micro_credential",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def owner_organisation_id(self) -> int:
        return self.micro_credential.organisation_id

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_stackable(self) -> bool:
        return any(p.kind != PathwayKind.PRIOR_LEARNING for p in self.pathways.all())

    @property
    def ects_workload(self) -> Decimal | None:
        return self.credits if self.credit_system == CreditSystem.ECTS else None

    def clean(self) -> None:
        # clean() runs even when a field failed its own validation: only reason about well-typed values.
        def number(value: Any) -> Decimal | int | None:
            return value if isinstance(value, Decimal | int) and not isinstance(value, bool) else None

        errors: dict[str, str] = {}
        credits, notional, contact = (
            number(self.credits),
            number(self.notional_hours),
            number(self.contact_hours),
        )
        if credits is not None:
            if credits <= 0:
                errors["credits"] = "Credits must be more than zero (leave empty if there are none)."
            elif not self.credit_system or self.credit_system == CreditSystem.NONE:
                errors["credit_system"] = "Say which credit system the credits are in."
            else:
                ceiling = (
                    CREDIT_CEILING.get(self.credit_system) if isinstance(self.credit_system, str) else None
                )
                if ceiling is not None and credits > ceiling:
                    errors["credits"] = (
                        f"{credits} {self.credit_system} is more than a micro-credential can carry "
                        f"(at most {ceiling})."
                    )
        if notional is not None and notional > MAX_NOTIONAL_HOURS:
            errors["notional_hours"] = f"At most {MAX_NOTIONAL_HOURS} notional hours (a full year of study)."
        if notional == 0:
            errors["notional_hours"] = "Notional hours must be more than zero (leave empty if unknown)."
        if contact is not None and notional is not None and contact > notional:
            errors["contact_hours"] = "Contact hours cannot exceed the notional learning hours."
        if self.level_not_applicable:
            if self.eqf_level or self.qf_ehea_level or self.nqf_level:
                errors["level_not_applicable"] = "A level is given, so 'not applicable' cannot be set."
            elif not str(self.level_not_applicable_reason or "").strip():
                errors["level_not_applicable_reason"] = "Say why no level applies."
        if self.fee_amount is not None and not self.fee_currency:
            errors["fee_currency"] = "Give the currency of the fee."
        if isinstance(self.title, str) and self.title and not self.title.strip():
            errors["title"] = "Give a title."
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = MicroCredentialVersion.objects.filter(pk=self.pk).values("status").first()
            if stored is not None and stored["status"] != VersionStatus.DRAFT:
                allowed = set(LIFECYCLE_FIELDS)
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= allowed:
                    raise FrozenVersionError(
                        f"Version {self.number} of {self.micro_credential} is {stored['status']}: "
                        "its description cannot change. Start a new version instead."
                    )
        super().save(*args, **kwargs)


# The fields that move through the lifecycle after a version is frozen.
LIFECYCLE_FIELDS = (
    "status",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_at",
    "published_by",
    "published_at",
    "retired_at",
    "retirement_reason",
    "updated_at",
)

# Every descriptive element of a version, in the order people read them.
DESCRIPTIVE_FIELDS = (
    "title",
    "summary",
    "target_learners",
    "prerequisites",
    "languages",
    "credit_system",
    "credits",
    "notional_hours",
    "contact_hours",
    "duration_weeks",
    "eqf_level",
    "nqf_framework",
    "nqf_level",
    "qf_ehea_level",
    "level_not_applicable",
    "level_not_applicable_reason",
    "field_of_study",
    "learning_activities",
    "assessment_certification",
    "supervision",
    "grading_scheme",
    "form_of_participation",
    "support_academic",
    "support_administrative",
    "support_library",
    "technology_needed",
    "instructors",
    "stackability_note",
    "quality_assurance",
    "content_lifespan_months",
    "next_review_date",
    "employer_involvement",
    "sdgs",
    "degree_outcome",
    "fee_amount",
    "fee_currency",
    "fee_note",
    "further_information",
)


class VersionPart(models.Model):
    """Something that belongs to one version and is frozen with it."""

    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=1)
    key = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Follows the part across versions.")

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    @property
    def owner_organisation_id(self) -> int:
        return self.version.micro_credential.organisation_id

    def _refuse_if_frozen(self) -> None:
        status = (
            MicroCredentialVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        )
        if status is not None and status != VersionStatus.DRAFT:
            raise FrozenVersionError(f"This version is {status}: its parts cannot change.")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)


class LearningOutcome(VersionPart):
    version = models.ForeignKey(
        MicroCredentialVersion, on_delete=models.CASCADE, related_name="learning_outcomes"
    )
    text = models.TextField(validators=[MaxLengthValidator(2_000)])
    skills = models.JSONField(
        "skills (ESCO)",
        default=list,
        blank=True,
        validators=[validate_skills],
        help_text="ESCO skill URIs with their labels.",
    )

    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = "learning outcome"

    def __str__(self) -> str:
        return f"LO{self.order}: {self.text[:80]}"


class Assessment(VersionPart):
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="assessments")
    type = models.CharField(max_length=30, choices=AssessmentType.choices)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MEDIUM_TEXT)])
    weight = models.DecimalField(
        "weight (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    summative = models.BooleanField(default=True)
    outcomes = models.ManyToManyField(LearningOutcome, blank=True, related_name="assessments")

    history = HistoricalRecords(m2m_fields=[outcomes])

    class Meta(VersionPart.Meta):
        verbose_name = "assessment"

    def __str__(self) -> str:
        return f"Assessment {self.order}: {self.get_type_display()}"


class Module(VersionPart):
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(MEDIUM_TEXT)])
    hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    outcomes = models.ManyToManyField(LearningOutcome, blank=True, related_name="modules")

    history = HistoricalRecords(m2m_fields=[outcomes])

    class Meta(VersionPart.Meta):
        verbose_name = "module or topic"

    def __str__(self) -> str:
        return f"Module {self.order}: {self.title}"


class Pathway(VersionPart):
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="pathways")
    kind = models.CharField(max_length=50, choices=PathwayKind.choices)
    target_micro_credential = models.ForeignKey(
        MicroCredential, null=True, blank=True, on_delete=models.SET_NULL, related_name="incoming_pathways"
    )
    external_award = models.CharField("award", max_length=300, blank=True)
    external_provider = models.CharField("awarding provider", max_length=300, blank=True)
    credits = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(SHORT_TEXT)])

    history = HistoricalRecords()

    class Meta(VersionPart.Meta):
        verbose_name = "pathway"

    def __str__(self) -> str:
        target = self.target_micro_credential or self.external_award
        return f"{self.get_kind_display()} {target}"

    def clean(self) -> None:
        if not self.target_micro_credential_id and not str(self.external_award or "").strip():
            raise ValidationError(
                {"external_award": "Name the award it leads to, or choose a micro-credential."}
            )
