"""Catalogue imports: an uploaded file, the column mapping it was read with, and what became of each row.

A `ColumnMapping` is saved per source (the spreadsheet of one faculty, the export of a student records
system) so the next file from the same source maps itself. An `ImportJob` keeps the file, the mapping it
used, the preview (per row: what will be created or updated and every problem) and, once run, the result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename

from credence.organisations.models import Organisation


def import_path(instance: ImportJob, filename: str) -> str:
    safe = get_valid_filename(filename)[-120:] or "catalogue"
    return f"imports/{instance.organisation_id}/{timezone.now():%Y}/{safe}"


class FileKind(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel workbook (XLSX)"
    JSON = "json", "JSON"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded: map the columns"
    PREVIEWED = "previewed", "Previewed: ready to import"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Imported"
    FAILED = "failed", "Nothing imported"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "All or nothing: import only if every row is valid"
    VALID_ONLY = "valid_only", "Import the valid rows, report the others"


class ColumnMapping(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="column_mappings")
    name = models.CharField(
        "source", max_length=100, help_text="Where the files come from, e.g. 'Faculty of Science sheet'."
    )
    columns = models.JSONField(default=dict, help_text="Column heading -> element of a micro-credential.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_mapping_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="import_jobs")
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    file = models.FileField(upload_to=import_path, max_length=300)
    filename = models.CharField(max_length=255)
    encoding = models.CharField(max_length=30, blank=True, help_text="How a CSV file's text was decoded.")
    source = models.CharField(max_length=100, blank=True, help_text="The saved mapping's source name.")
    mapping = models.JSONField(default=dict, blank=True, help_text="Column heading -> element, as used.")
    headers = models.JSONField(default=list, blank=True)
    mode = models.CharField(max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    as_approved = models.BooleanField(default=False)
    provenance = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per outcome: create, update...")
    report = models.JSONField(default=list, blank=True, help_text="Per row: code, action, problems.")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.filename})"

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("interop:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def problem_rows(self) -> list[dict[str, object]]:
        return [r for r in self.report if r.get("problems")]
