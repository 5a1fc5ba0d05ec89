"""`manage.py export_elm CODE [--organisation SLUG] [--credential]`: print the ELM v3 JSON-LD of a
micro-credential's published version (a Qualification; with --credential, an EDC credential template)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credence.interop.elm import ElmExportError, micro_credential_to_edc, micro_credential_to_elm
from credence.microcredentials.models import MicroCredential


class Command(BaseCommand):
    help = "Print the ELM v3 JSON-LD of a micro-credential's published version."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("code", help="The micro-credential's code.")
        parser.add_argument("--organisation", default="", help="The owning organisation's slug.")
        parser.add_argument(
            "--credential",
            action="store_true",
            help="Print a European Digital Credential template instead of the bare specification.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code, slug = options["code"], options["organisation"]
        found = MicroCredential.objects.select_related("organisation", "published_version").filter(code=code)
        if slug:
            found = found.filter(organisation__slug=slug)
        matches = list(found)
        where = f" of organisation '{slug}'" if slug else ""
        if not matches:
            raise CommandError(f"No micro-credential with code '{code}'{where}.")
        if len(matches) > 1:
            owners = ", ".join(sorted(m.organisation.slug for m in matches))
            raise CommandError(
                f"Several micro-credentials have code '{code}' (organisations: {owners}); "
                "name one with --organisation."
            )
        version = matches[0].published_version
        if version is None:
            raise CommandError(f"Micro-credential '{code}'{where} has no published version to export.")
        export = micro_credential_to_edc if options["credential"] else micro_credential_to_elm
        try:
            document = export(version)
        except ElmExportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
