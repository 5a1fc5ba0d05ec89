"""The external QA register: QA agencies' profiles and activities, QA reports and what they cover,
and the jurisdictions' approaches to the external QA of micro-credentials.

Providers and agencies are `organisations.Organisation` rows; this app only adds what the register needs.
Enumerations carry DEQAR's own values, so the DEQAR export maps one-to-one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from credence.organisations.models import Organisation, QFEHEALevel

# A report without an end date is valid for this many years from its start (DEQAR's rule).
VALIDITY_YEARS = 6


class GeographicalFocus(models.TextChoices):
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    INTERNATIONAL = "international", "International"


class ActivityType(models.TextChoices):
    """DEQAR's AgencyActivityType (ids 1 programme, 2 institutional, 3 joint programme, 4 both)."""

    PROGRAMME = "programme", "Programme"
    INSTITUTIONAL = "institutional", "Institutional"
    JOINT_PROGRAMME = "joint programme", "Joint programme"
    INSTITUTIONAL_PROGRAMME = "institutional/programme", "Institutional/programme"


class ReportStatus(models.TextChoices):
    OBLIGATORY = "part of obligatory EQA system", "Part of the obligatory external QA system"
    VOLUNTARY = "voluntary", "Voluntary"


class ReportDecision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    POSITIVE_WITH_CONDITIONS = (
        "positive with conditions or restrictions",
        "Positive with conditions or restrictions",
    )
    NEGATIVE = "negative", "Negative"
    NOT_APPLICABLE = "not applicable", "Not applicable"


class DegreeOutcome(models.TextChoices):
    FULL_DEGREE = "full degree", "Full degree"
    NO_FULL_DEGREE = "no full degree", "No full degree"


class AssessmentCertification(models.TextChoices):
    ATTENDANCE = "attendance certificate", "Attendance certificate"
    ASSESSMENT_BASED = "assessment based certificate", "Assessment-based certificate"
    NONE = "no assessment and no certificate", "No assessment and no certificate"


NOT_APPLICABLE = "not applicable"
PROVISION_LEVEL_CHOICES = [*QFEHEALevel.choices, (NOT_APPLICABLE, "Not applicable")]


class AgencyProfile(models.Model):
    """What the register records about a QA agency beyond its organisation record."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="agency_profile")
    deqar_agency_id = models.PositiveIntegerField("DEQAR agency id", null=True, blank=True, unique=True)
    is_registered = models.BooleanField("registered on EQAR", default=False)
    registration_start = models.DateField(null=True, blank=True)
    registration_valid_to = models.DateField(null=True, blank=True)
    registration_note = models.TextField(blank=True, max_length=2000)
    geographical_focus = models.CharField(max_length=20, choices=GeographicalFocus.choices, blank=True)
    focus_countries = models.JSONField(default=list, blank=True)
    reports_link = models.URLField(max_length=500, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Agency profile of {self.organisation}"

    def registered_on(self, day: dt.date) -> bool:
        if self.registration_start and day < self.registration_start:
            return False
        return not (self.registration_valid_to and day > self.registration_valid_to)

    def clean(self) -> None:
        if (
            self.registration_start
            and self.registration_valid_to
            and self.registration_valid_to < self.registration_start
        ):
            raise ValidationError({"registration_valid_to": "The registration ends before it starts."})


class AgencyActivity(models.Model):
    """One of an agency's external QA activities (DEQAR's ESG activity, with its group)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agency_activities")
    deqar_id = models.PositiveIntegerField("DEQAR activity id", null=True, blank=True, unique=True)
    group_id = models.PositiveIntegerField("DEQAR activity group id", null=True, blank=True)
    name = models.CharField(max_length=500)
    activity_type = models.CharField(max_length=30, choices=ActivityType.choices)
    local_identifier = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name_plural = "agency activities"

    def __str__(self) -> str:
        return self.name

    def valid_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "The activity ends before it starts."})


class QAReport(models.Model):
    """An external QA report by an agency (`organisation`) on one or more providers. Never deleted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="qa_reports")
    contributing_agencies = models.ManyToManyField(
        Organisation, blank=True, related_name="contributed_qa_reports"
    )
    activities = models.ManyToManyField(AgencyActivity, related_name="reports")
    local_identifier = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=40, choices=ReportStatus.choices)
    decision = models.CharField(max_length=50, choices=ReportDecision.choices)
    summary = models.TextField(blank=True, max_length=20000)
    other_comment = models.TextField(blank=True, max_length=20000)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    providers = models.ManyToManyField(Organisation, related_name="qa_reports_as_provider")
    platforms = models.ManyToManyField(Organisation, blank=True, related_name="qa_reports_as_platform")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "local_identifier"],
                condition=~models.Q(local_identifier=""),
                name="unique_report_local_identifier_per_agency",
            )
        ]

    def __str__(self) -> str:
        ident = self.local_identifier or f"#{self.pk}"
        return f"{self.organisation.acronym or self.organisation} report {ident}"

    @property
    def valid_to_calculated(self) -> dt.date:
        if self.valid_to is not None:
            return self.valid_to
        try:
            return self.valid_from.replace(year=self.valid_from.year + VALIDITY_YEARS)
        except ValueError:  # 29 February
            return self.valid_from.replace(year=self.valid_from.year + VALIDITY_YEARS, day=28)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_valid_on(self, day: dt.date) -> bool:
        return not self.is_withdrawn and self.valid_from <= day <= self.valid_to_calculated

    @property
    def activity_type(self) -> str:
        """As DEQAR derives it: joint programme wins, then programme, else institutional."""
        types = {a.activity_type for a in self.activities.all()}
        if ActivityType.JOINT_PROGRAMME in types:
            return ActivityType.JOINT_PROGRAMME
        if types & {ActivityType.PROGRAMME, ActivityType.INSTITUTIONAL_PROGRAMME}:
            return ActivityType.PROGRAMME
        return ActivityType.INSTITUTIONAL


class ReportedProvision(models.Model):
    """A programme or micro-credential a report covers, with DEQAR's fields; owned by the report."""

    report = models.ForeignKey(QAReport, on_delete=models.CASCADE, related_name="provisions")
    order = models.PositiveIntegerField(default=1)
    name_primary = models.CharField(max_length=500)
    qualification_primary = models.CharField(max_length=500, blank=True)
    alternative_names = models.JSONField(default=list, blank=True)  # [{"name", "qualification"}]
    identifiers = models.JSONField(default=list, blank=True)  # [{"identifier", "resource"}]
    countries = models.JSONField(default=list, blank=True)  # ISO alpha-2 codes
    nqf_level = models.CharField("NQF level", max_length=100, blank=True)
    qf_ehea_level = models.CharField(
        "QF-EHEA level", max_length=20, choices=PROVISION_LEVEL_CHOICES, blank=True
    )
    degree_outcome = models.CharField(max_length=20, choices=DegreeOutcome.choices)
    workload_ects = models.PositiveIntegerField("ECTS workload", null=True, blank=True)
    workload_not_applicable = models.BooleanField("ECTS workload not applicable", default=False)
    assessment_certification = models.CharField(
        max_length=40, choices=AssessmentCertification.choices, blank=True
    )
    field_study = models.CharField("field of study", max_length=70, blank=True)
    field_study_title = models.CharField(max_length=300, blank=True)
    learning_outcomes = models.JSONField("learning outcomes (ESCO URIs)", default=list, blank=True)
    learning_outcome_description = models.TextField(blank=True, max_length=20000)
    mc_as_part_of_accreditation = models.BooleanField("covered as part of an accreditation", default=False)
    micro_credential = models.ForeignKey(
        "microcredentials.MicroCredential",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_provisions",
    )

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.name_primary

    @property
    def programme_type(self) -> str:
        if self.degree_outcome == DegreeOutcome.FULL_DEGREE:
            return "Full recognised degree programme"
        if self.workload_ects is not None and self.workload_ects < 60:
            return "Micro-credential"
        return "Other provision"


class ReportFile(models.Model):
    """A report file: a PDF stored with the storage API (checked from its bytes), or a link to one."""

    report = models.ForeignKey(QAReport, on_delete=models.CASCADE, related_name="files")
    display_name = models.CharField(max_length=255, blank=True)
    original_location = models.URLField(max_length=1000, blank=True)
    file = models.FileField(upload_to="register/reports/%Y/", max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    languages = models.JSONField(default=list, blank=True)  # ISO 639 codes as given
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.display_name or self.file_name or self.original_location


class ReportLink(models.Model):
    report = models.ForeignKey(QAReport, on_delete=models.CASCADE, related_name="links")
    link = models.URLField(max_length=1000)
    display_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.display_name or self.link


class ReportUpdate(models.Model):
    """The public update log of a report (created, changed, file added, withdrawn), like DEQAR's."""

    report = models.ForeignKey(QAReport, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=300)
    note = models.CharField(max_length=500)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.note


class ExternalQAApproach(models.TextChoices):
    """Seed 000's taxonomy (Brown & Duarte 2024, Table 1): three categories, six approaches."""

    NO_EVIDENCE = "no_evidence", "No or limited evidence of QA considerations for micro-credentials"
    COMMON_STANDARDS = "common_standards", "Intentional use of common standards"
    OPTIONAL_GUIDELINES = "optional_guidelines", "Optional guidelines for micro-credentials"
    VOLUNTARY_ACCREDITATION = "voluntary_accreditation", "Voluntary accreditation of micro-credentials"
    MANDATORY_ALL_PROVIDERS = "mandatory_all_providers", "Mandatory standards for all providers"
    NOT_ENFORCEABLE_FOR_UNIVERSITIES = (
        "not_enforceable_for_universities",
        "Standards not legally enforceable for universities",
    )


APPROACH_CATEGORY: dict[str, str] = {
    ExternalQAApproach.NO_EVIDENCE: "Common standards",
    ExternalQAApproach.COMMON_STANDARDS: "Common standards",
    ExternalQAApproach.OPTIONAL_GUIDELINES: "Optional standards",
    ExternalQAApproach.VOLUNTARY_ACCREDITATION: "Optional standards",
    ExternalQAApproach.MANDATORY_ALL_PROVIDERS: "Mandatory standards",
    ExternalQAApproach.NOT_ENFORCEABLE_FOR_UNIVERSITIES: "Mandatory standards",
}


class Jurisdiction(models.Model):
    """A country or region and its approaches to the external QA of micro-credentials, with history."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    approaches = models.JSONField(default=list)  # ExternalQAApproach values; a jurisdiction may have several
    note = models.TextField(blank=True, max_length=5000)
    source = models.CharField(max_length=500)
    as_of = models.DateField()
    lock_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def approach_labels(self) -> list[str]:
        return [ExternalQAApproach(a).label for a in self.approaches if a in ExternalQAApproach.values]

    @property
    def strongest_approach(self) -> str:
        """The last approach in the taxonomy's order that applies (used to shade the country grid)."""
        order = list(ExternalQAApproach.values)
        known = [a for a in self.approaches if a in order]
        return max(known, key=order.index) if known else ""

    def clean(self) -> None:
        approaches: Any = self.approaches
        if not isinstance(approaches, list) or not approaches:
            raise ValidationError({"approaches": "Give at least one external QA approach."})
        unknown = [a for a in approaches if a not in ExternalQAApproach.values]
        if unknown:
            raise ValidationError(
                {
                    "approaches": f"Unknown approach(es): {', '.join(map(str, unknown))}. "
                    f"Use: {', '.join(ExternalQAApproach.values)}."
                }
            )
