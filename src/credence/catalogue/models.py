"""The public catalogue: one search row per published micro-credential, learners' ratings and the
tokens a provider hands to enrolled learners so that they may rate.

`SearchEntry` is a denormalised copy of what search and facets need, so that a search over 100,000
micro-credentials reads one table. It is written only by `services.refresh_entry`, which the publish and
retire services call. On PostgreSQL `search_vector` holds a weighted tsvector with a GIN index (made by
the migration, PostgreSQL only); on SQLite it stays empty and search matches `search_text` instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from credence.microcredentials.models import MicroCredential, MicroCredentialVersion
from credence.organisations.models import Organisation


class QAStatus(models.TextChoices):
    """One public QA status per micro-credential, the most telling one first (see services)."""

    REVIEW_OVERDUE = "review overdue", "Review overdue"
    UNDER_REVIEW = "under review", "Under review"
    EXTERNALLY_ACCREDITED = "externally accredited", "Externally quality-assured"
    INTERNALLY_REVIEWED = "internally reviewed", "Internally reviewed"
    NOT_RECORDED = "not recorded", "No review recorded"


class SearchEntry(models.Model):
    micro_credential = models.OneToOneField(
        MicroCredential, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    version = models.ForeignKey(MicroCredentialVersion, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=50)
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=400, blank=True)
    provider_slug = models.CharField(max_length=80)
    provider_name = models.CharField(max_length=300)
    provider_kind = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=8, blank=True)
    field_of_study = models.CharField(max_length=4, blank=True)
    eqf_level = models.PositiveSmallIntegerField(null=True, blank=True)
    credit_system = models.CharField(max_length=20, blank=True)
    credits = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    credit_band = models.CharField(max_length=10, blank=True)
    notional_hours = models.PositiveIntegerField(null=True, blank=True)
    hours_band = models.CharField(max_length=10, blank=True)
    form_of_participation = models.CharField(max_length=30, blank=True)
    language = models.CharField("main language", max_length=3, blank=True)
    fee_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)
    fee_band = models.CharField(max_length=10, blank=True)
    assessment_certification = models.CharField(max_length=40, blank=True)
    stackable = models.BooleanField(default=False)
    qa_status = models.CharField(max_length=30, choices=QAStatus.choices, default=QAStatus.NOT_RECORDED)
    published_at = models.DateTimeField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    search_text = models.TextField(blank=True, help_text="Lower-case text that search matches on SQLite.")
    search_vector = SearchVectorField(null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["title"], name="catalogue_entry_title"),
            models.Index(fields=["provider_slug"], name="catalogue_entry_provider"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id


class RatingStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class Rating(models.Model):
    micro_credential = models.ForeignKey(MicroCredential, on_delete=models.CASCADE, related_name="ratings")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    basis = models.CharField(max_length=20, help_text="'credential' (holds it) or 'token' (enrolled).")
    status = models.CharField(max_length=20, choices=RatingStatus.choices, default=RatingStatus.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=500, blank=True)
    reply = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["micro_credential", "author"], name="one_rating_per_author"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ for {self.micro_credential} by {self.author}"

    @property
    def owner_organisation_id(self) -> int:
        return self.micro_credential.organisation_id


class RatingToken(models.Model):
    """A one-use invitation a provider gives an enrolled learner, who may then rate without a credential."""

    micro_credential = models.ForeignKey(
        MicroCredential, on_delete=models.CASCADE, related_name="rating_tokens"
    )
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"rating token for {self.micro_credential}"

    @property
    def owner_organisation_id(self) -> int:
        return self.micro_credential.organisation_id
