"""`manage.py validate_pack FILE.yaml ...`: check framework packs; exit 1 naming the file, line and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.frameworks.packs import PackError, load_pack_file


class Command(BaseCommand):
    help = "Validate framework pack files (YAML) against the pack schema and the check library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="Pack files to validate.")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for name in options["files"]:
            try:
                pack = load_pack_file(Path(name))
            except PackError as error:
                failed += 1
                self.stderr.write(
                    f"{name}: line {error.line}: {error.reason}" if error.line else f"{name}: {error.reason}"
                )
                continue
            self.stdout.write(
                f"{name}: valid — {pack.id} {pack.version}, {pack.criterion_count} criteria in {len(pack.areas)} areas, "
                f"{pack.check_count} machine-checked."
            )
        if failed:
            raise CommandError(f"{failed} pack(s) refused.")
