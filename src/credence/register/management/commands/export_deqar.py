"""`manage.py export_deqar [--agency ACRONYM]`: print reports as a JSON list of DEQAR v2 submission packages."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from credence.register.exports import report_as_deqar
from credence.register.selectors import report_list


class Command(BaseCommand):
    help = "Print the register's reports as DEQAR v2 submission packages (a JSON list)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--agency", default="", help="Only this agency's reports (its slug).")
        parser.add_argument("--include-withdrawn", action="store_true")
        parser.add_argument("--no-file-content", action="store_true", help="Leave stored PDFs out.")

    def handle(self, *args: Any, **options: Any) -> None:
        reports = report_list({"agency": options["agency"]} if options["agency"] else {}).order_by("pk")
        if not options["include_withdrawn"]:
            reports = reports.filter(withdrawn_at__isnull=True)
        packages = [report_as_deqar(r, include_file_content=not options["no_file_content"]) for r in reports]
        self.stdout.write(json.dumps(packages, ensure_ascii=False, indent=2))
