"""`manage.py import_catalogue FILE [--organisation SLUG] [--mapping NAME] [--dry-run] [--valid-only]
[--approved-by SYSTEM --approved-on DATE]`: import micro-credentials from a CSV, XLSX or JSON file, as the
import page does (same checks, same re-import rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from credence.interop import services
from credence.interop.models import ImportMode, ImportStatus
from credence.organisations.models import Organisation
from credence.web.forms import error_messages


class Command(BaseCommand):
    help = "Import micro-credentials from a CSV, XLSX or JSON file (drafts, or approved with --approved-by)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The catalogue file (.csv, .xlsx or .json).")
        parser.add_argument(
            "--organisation",
            default="",
            help="The owning organisation's slug (needed when there are several).",
        )
        parser.add_argument("--mapping", default="", help="A saved column mapping (its source name).")
        parser.add_argument("--dry-run", action="store_true", help="Only show what each row would do.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows even if others have problems."
        )
        parser.add_argument(
            "--approved-by", default="", help="Import as approved versions, approved by this system or body."
        )
        parser.add_argument("--approved-on", default="", help="The date of that approval (YYYY-MM-DD).")

    def _organisation(self, slug: str) -> Organisation:
        if slug:
            found = Organisation.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"No organisation with the slug '{slug}'.")
            return found
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) != 1:
            raise CommandError("Name the organisation to import into with --organisation SLUG.")
        return organisations[0]

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        organisation = self._organisation(options["organisation"])
        as_approved = bool(options["approved_by"])
        try:
            with path.open("rb") as fh:
                job = services.import_file(
                    actor=None,
                    organisation=organisation,
                    upload=File(fh, name=path.name),
                    source=options["mapping"],
                    dry_run=options["dry_run"],
                    mode=ImportMode.VALID_ONLY if options["valid_only"] else ImportMode.ALL_OR_NOTHING,
                    as_approved=as_approved,
                    provenance={
                        "source_system": options["approved_by"],
                        "approved_on": options["approved_on"],
                    },
                )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                    for k, v in error_messages(error).items()
                )
            ) from None
        labels = services.ACTION_LABELS if options["dry_run"] else services.DONE_LABELS
        if job.encoding:
            self.stdout.write(f"Read {path.name} as {job.encoding} text.")
        for row in job.report:
            line = (
                f"row {row['row']} {row['code'] or '(no code)'}: {labels.get(row['action'], row['action'])}"
            )
            self.stdout.write(line)
            for problem in row["problems"]:
                self.stdout.write(f"    {problem}")
        summary = ", ".join(f"{job.counts[a]} {label}" for a, label in labels.items() if job.counts.get(a))
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {summary}.")
            if job.counts.get(services.ERROR):
                raise CommandError(f"{job.counts[services.ERROR]} row(s) have problems.")
            return
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(job.message))
