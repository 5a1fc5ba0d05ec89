"""Committees and their meetings: members with a chair and a secretary, meetings with an agenda of
proposals waiting at a committee stage, papers, outcomes and minutes.

Recording an item's outcome calls the workflows service; the committee never moves a workflow itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Committee(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="committees"
    )
    slug = models.SlugField(max_length=100, help_text="Workflow committee stages name the committee by it.")
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField(blank=True, max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="committee_slug_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class SeatRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    SECRETARY = "secretary", "Secretary"
    MEMBER = "member", "Member"


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats")
    role = models.CharField(max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="one_seat_per_person_per_committee")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.committee})"

    @property
    def owner_organisation_id(self) -> int:
        return self.committee.organisation_id


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True, max_length=20_000)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(blank=True, max_length=100_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["committee", "start"], name="meeting_committee_start")]

    def __str__(self) -> str:
        return f"{self.committee.name}, {self.start:%d %b %Y}"


class ItemOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    stage_run = models.ForeignKey("workflows.StageRun", on_delete=models.PROTECT, related_name="agenda_items")
    title = models.CharField(max_length=300, help_text="The proposal's title when it was allocated.")
    outcome = models.CharField(max_length=30, choices=ItemOutcome.choices, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=20_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "stage_run"], name="one_agenda_item_per_stage_run"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def owner_organisation_id(self) -> int:
        return self.meeting.organisation_id

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)
