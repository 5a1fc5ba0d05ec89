from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.workflows.services import publish_due


class Command(BaseCommand):
    help = "Publish (or retire) the approved proposals whose publication date has come."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give --date as YYYY-MM-DD.") from None
        done = publish_due(today=today)
        for proposal in done:
            self.stdout.write(
                f"{proposal.micro_credential.code} version {proposal.version.number}: {proposal.status}"
            )
        self.stdout.write(f"{len(done)} proposal(s) put into effect.")
