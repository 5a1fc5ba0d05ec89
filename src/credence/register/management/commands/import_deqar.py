"""`manage.py import_deqar FILE`: record reports from a DEQAR JSON package (one report or a list) or a
DEQAR CSV file. All or nothing: a bad report or row refuses the whole file, listing every problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from credence.register import services


class Command(BaseCommand):
    help = (
        "Import QA reports from a DEQAR submission file (.json: one report or a list; .csv: DEQAR's columns)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--update", action="store_true", help="Update existing reports (JSON only), as PUT."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        text = path.read_text(encoding="utf-8-sig")
        try:
            if path.suffix.lower() == ".csv":
                reports = services.submit_csv(actor=None, text=text)
            else:
                data = json.loads(text)
                packages = data if isinstance(data, list) else [data]
                reports = self._json(packages, update=options["update"])
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from None
        except ValidationError as error:
            lines = [
                f"  {key}: {message}" for key, messages in error.message_dict.items() for message in messages
            ]
            raise CommandError(f"Nothing was imported from {path}:\n" + "\n".join(lines)) from None
        for report in reports:
            self.stdout.write(f"Recorded {report} (id {report.pk}).")
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} report(s) imported from {path}."))

    @transaction.atomic
    def _json(self, packages: list[Any], *, update: bool) -> list[Any]:
        recorded, errors = [], {}
        for number, package in enumerate(packages, start=1):
            try:
                with transaction.atomic():
                    recorded.append(services.submit_report(actor=None, package=package, update=update))
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    errors[f"reports[{number}].{key}"] = messages
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
        return recorded
