from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ._common import find_credential


class Command(BaseCommand):
    help = "Write a credential's signed JSON, exactly as issued, to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credential", help="The credential's id or urn:uuid.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(find_credential(options["credential"]).signed_json)
