from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.issuance import vc_jwt, verification


class Command(BaseCommand):
    help = "Verify a credential file, JSON or VC-JWT ('-' for standard input). Exits 0 only when it is valid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The credential (JSON or VC-JWT), or '-' for standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = (
                sys.stdin.read()
                if options["file"] == "-"
                else Path(options["file"]).read_text(encoding="utf-8")
            )
            document: dict[str, Any] | str = (
                text.strip() if vc_jwt.looks_like_jwt(text) else verification.parse(text)
            )
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        report = (
            verification.verify_jwt(document) if isinstance(document, str) else verification.verify(document)
        )
        for check in report.checks:
            self.stdout.write(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.message}")
        if not report.valid:
            raise CommandError(f"Not valid: {report.reason}", returncode=1)
        self.stdout.write("Valid.")
