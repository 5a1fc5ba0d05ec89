from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .vocabularies import countries


def validate_country(value: str) -> None:
    if value not in countries():
        raise ValidationError(
            f"'{value}' is not a known country code (ISO 3166-1 alpha-2, or BE-fl, UK-SCT…)."
        )


class User(AbstractUser):
    """A person. Signs in with username or e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    # An account that stands for an integration (an API token), not a person: it holds roles so that the
    # services' permission checks apply to it, but it gets no tasks, mentions or notifications.
    is_service_account = models.BooleanField(default=False)

    REQUIRED_FIELDS = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.is_active and self.is_superuser)


class OrganisationKind(models.TextChoices):
    HIGHER_EDUCATION = "higher_education", "University or higher education institution"
    COLLEGE = "college", "College or VET provider"
    ALTERNATIVE_PROVIDER = "alternative_provider", "Alternative provider"
    QA_AGENCY = "qa_agency", "Quality assurance agency"
    EMPLOYER = "employer", "Employer or industry body"


class OrganisationType(models.TextChoices):
    """DEQAR's InstitutionOrganizationType, in its order of ids 4, 1, 2, 3, 5."""

    PUBLIC_ORGANISATION = "public organisation", "Public organisation"
    PRIVATE_COMPANY = "private company", "Private company"
    NON_GOVERNMENTAL = "non governmental organisation", "Non-governmental organisation"
    PUBLIC_PRIVATE_PARTNERSHIP = "public – private partnership", "Public-private partnership"
    OTHER = "other", "Other"


class QFEHEALevel(models.TextChoices):
    SHORT_CYCLE = "short cycle", "Short cycle (EQF 5)"
    FIRST_CYCLE = "first cycle", "First cycle (EQF 6)"
    SECOND_CYCLE = "second cycle", "Second cycle (EQF 7)"
    THIRD_CYCLE = "third cycle", "Third cycle (EQF 8)"


class Organisation(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("official name", max_length=300)
    name_english = models.CharField("name in English", max_length=300, blank=True)
    acronym = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    organisation_type = models.CharField(
        "legal/organisation type", max_length=40, choices=OrganisationType.choices, blank=True
    )
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    qa_policy_url = models.URLField("QA policy", max_length=500, blank=True)
    founding_date = models.DateField(null=True, blank=True)
    closure_date = models.DateField(null=True, blank=True)
    qf_ehea_levels = models.JSONField("QF-EHEA levels offered", default=list, blank=True)
    source_of_information = models.CharField(max_length=200, blank=True)
    deqar_id = models.CharField("DEQAR id", max_length=25, blank=True)
    eter_id = models.CharField("ETER id", max_length=20, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name_english or self.name

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def legal_seat(self) -> Location | None:
        for location in self.locations.all():
            if location.is_legal_seat:
                return location
        return None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.closure_date and self.founding_date and self.closure_date < self.founding_date:
            errors["closure_date"] = "The closure date is before the founding date."
        levels = self.qf_ehea_levels or []
        if not isinstance(levels, list) or any(level not in QFEHEALevel.values for level in levels):
            errors["qf_ehea_levels"] = "Use the QF-EHEA levels: " + ", ".join(QFEHEALevel.values) + "."
        if errors:
            raise ValidationError(errors)


class Location(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    country = models.CharField(max_length=8, validators=[validate_country])
    city = models.CharField(max_length=200)
    postcode = models.CharField(max_length=20, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_legal_seat = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_legal_seat", "country", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_legal_seat=True),
                name="one_legal_seat_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.city}, {countries().get(self.country, self.country)}"

    @property
    def country_name(self) -> str:
        return countries().get(self.country, self.country)


class IdentifierResource(models.TextChoices):
    """DEQAR's IdentifierResource list plus the registers' own ids."""

    DEQAR = "DEQAR", "DEQAR"
    ETER = "ETER", "ETER / OrgReg"
    SCHAC = "SCHAC", "SCHAC home organisation"
    EU_VAT = "EU-VAT", "EU VAT number"
    EU_PIC = "EU-PIC", "EU Participant Identification Code"
    WHED = "WHED", "World Higher Education Database"
    ERASMUS = "Erasmus", "Erasmus code"
    ERASMUS_CHARTER = "Erasmus-Charter", "Erasmus Charter number"
    DID_EBSI = "DID-EBSI", "EBSI decentralised identifier"
    NATIONAL = "national identifier", "National identifier"
    LOCAL = "local identifier", "Local identifier"


class Identifier(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")
    resource = models.CharField(max_length=40, choices=IdentifierResource.choices)
    value = models.CharField(max_length=100)
    source = models.CharField(max_length=200, blank=True, help_text="Who issued it (for national ids).")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "resource", "value"], name="unique_identifier_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.value}"


class Role(models.TextChoices):
    PROPOSER = "proposer", "Proposer"
    REVIEWER = "reviewer", "Reviewer"
    QA_OFFICER = "qa_officer", "QA officer"
    COMMITTEE_SECRETARY = "committee_secretary", "Committee secretary"
    COMMITTEE_MEMBER = "committee_member", "Committee member"
    APPROVER = "approver", "Approver"
    ORG_ADMIN = "org_admin", "Organisation admin"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def clean(self) -> None:
        roles = self.roles
        if not isinstance(roles, list) or not roles:
            raise ValidationError({"roles": "Give at least one role."})
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            raise ValidationError(
                {"roles": f"Unknown role(s): {', '.join(map(str, unknown))}. Use: {', '.join(Role.values)}."}
            )

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles if r in Role.values]


class RelationshipType(models.TextChoices):
    """DEQAR's hierarchical and historical relationship types between providers."""

    CONSORTIUM = "consortium", "Consortium"
    FACULTY = "faculty", "Faculty"
    INDEPENDENT_FACULTY = "independent faculty or school", "Independent faculty or school"
    FRANCHISE = "franchise or validation partnership", "Franchise or validation partnership"
    EDUCATIONAL_PLATFORM = "educational platform", "Educational platform"
    EUROPEAN_UNIVERSITIES_ALLIANCE = "European Universities alliance", "European Universities alliance"
    SUCCEEDED = "succeeded", "Succeeded"
    ABSORBED = "absorbed", "Absorbed"
    SPUN_OFF = "spun off", "Spun off"


HISTORICAL_RELATIONSHIPS = frozenset(
    {RelationshipType.SUCCEEDED, RelationshipType.ABSORBED, RelationshipType.SPUN_OFF}
)

# How each type reads from the parent's side and from the child's side. For the historical types the
# parent is the earlier organisation (the predecessor, the absorbed one, the one spun off from).
RELATIONSHIP_WORDING: dict[str, tuple[str, str]] = {
    RelationshipType.CONSORTIUM: ("has consortium member", "is a member of the consortium"),
    RelationshipType.FACULTY: ("has faculty", "is a faculty of"),
    RelationshipType.INDEPENDENT_FACULTY: (
        "has independent faculty or school",
        "is an independent faculty or school of",
    ),
    RelationshipType.FRANCHISE: ("validates or franchises", "is a franchise or validation partner of"),
    RelationshipType.EDUCATIONAL_PLATFORM: (
        "is the educational platform of",
        "uses the educational platform",
    ),
    RelationshipType.EUROPEAN_UNIVERSITIES_ALLIANCE: ("has alliance member", "is a member of the alliance"),
    RelationshipType.SUCCEEDED: ("was succeeded by", "succeeded"),
    RelationshipType.ABSORBED: ("was absorbed by", "absorbed"),
    RelationshipType.SPUN_OFF: ("spun off", "was spun off from"),
}


class OrganisationRelationship(models.Model):
    """A hierarchical (valid from/to) or historical (dated by `valid_from`) link between two organisations."""

    parent = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="child_relationships")
    child = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parent_relationships")
    relationship_type = models.CharField(max_length=40, choices=RelationshipType.choices)
    note = models.CharField(max_length=500, blank=True)
    valid_from = models.DateField(null=True, blank=True, help_text="For a historical relationship: its date.")
    valid_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["relationship_type", "parent__name", "child__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "child", "relationship_type"], name="one_relationship_per_type_and_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent} {RELATIONSHIP_WORDING[self.relationship_type][0]} {self.child}"

    @property
    def is_historical(self) -> bool:
        return self.relationship_type in HISTORICAL_RELATIONSHIPS

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.parent_id is not None and self.parent_id == self.child_id:
            errors["child"] = "An organisation cannot be related to itself."
        if self.is_historical and self.valid_to is not None:
            errors["valid_to"] = "A historical relationship has a date (valid from), not a period."
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "The end date is before the start date."
        if errors:
            raise ValidationError(errors)
