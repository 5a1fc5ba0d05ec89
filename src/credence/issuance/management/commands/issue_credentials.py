from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.issuance import services
from credence.issuance.completion_lists import describe, read_completion_list

from ._common import find_offering


class Command(BaseCommand):
    help = "Issue credentials to the learners on a completion list (CSV or XLSX with an 'email' column). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("offering", help="The offering's id or code.")
        parser.add_argument("file", type=Path, help="The completion list (CSV or XLSX).")
        parser.add_argument("--organisation", help="The organisation's slug, when offering codes repeat.")
        parser.add_argument("--no-email", action="store_true", help="Do not e-mail the claim links.")
        parser.add_argument(
            "--did-key", action="store_true", help="Name the issuer by did:key instead of did:web."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        offering = find_offering(options["offering"], options.get("organisation"))
        try:
            rows = read_completion_list(Path(options["file"]).read_bytes(), str(options["file"]))
            report = services.issue_credentials(
                actor=None,
                offering=offering,
                rows=rows,
                send_emails=not options["no_email"],
                did_method="key" if options["did_key"] else "web",
            )
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
        except ValidationError as error:
            lines = [
                f"  {describe(key)}: {message}"
                for key, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was issued. Correct the list:\n" + "\n".join(lines)) from None
        self.stdout.write(
            f"Issued {len(report.issued)} credential(s) for {offering.code}; "
            f"{len(report.already_issued)} learner(s) already had theirs."
        )
