"""`manage.py run_checks [--pack ID] [--format json] [CODE ...]`: run the machine checks on the current
version of the named micro-credentials (all when none) and print the results. Nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.frameworks.evaluation import evaluate, summarise
from credence.frameworks.selectors import enabled_packs, packs_available_to, subject_for
from credence.microcredentials.documents import prefetch_parts
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion


class Command(BaseCommand):
    help = "Run the machine checks on the current version of micro-credentials (all when no code is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", help="Micro-credential codes.")
        parser.add_argument(
            "--pack",
            action="append",
            dest="packs",
            default=[],
            help="A pack id (repeatable). Default: the packs each organisation enables.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        micro_credentials = MicroCredential.objects.select_related("organisation").order_by(
            "organisation__slug", "code"
        )
        if options["codes"]:
            micro_credentials = micro_credentials.filter(code__in=options["codes"])
            missing = set(options["codes"]) - set(micro_credentials.values_list("code", flat=True))
            if missing:
                raise CommandError(f"No micro-credential with the code(s): {', '.join(sorted(missing))}.")
        report = []
        for micro_credential in micro_credentials:
            version = (
                prefetch_parts(MicroCredentialVersion.objects.filter(micro_credential=micro_credential))
                .order_by("-number")
                .first()
            )
            if version is None:
                continue
            if options["packs"]:
                available = packs_available_to(micro_credential.organisation_id)
                unknown = [p for p in options["packs"] if p not in available]
                if unknown:
                    raise CommandError(f"No such pack: {', '.join(unknown)}.")
                packs = [available[p] for p in options["packs"]]
            else:
                packs = enabled_packs(micro_credential.organisation_id)
            subject = subject_for(version)
            entry = {
                "organisation": micro_credential.organisation.slug,
                "code": micro_credential.code,
                "version": version.number,
                "status": version.status,
                "packs": [],
            }
            for pack in packs:
                results = evaluate(pack, subject)
                entry["packs"].append(
                    {
                        "pack": pack.id,
                        "pack_version": pack.version,
                        "summary": summarise(results),
                        "results": results,
                    }
                )
            report.append(entry)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
            return
        for entry in report:
            self.stdout.write(
                f"{entry['code']} v{entry['version']} ({entry['status']}, {entry['organisation']})"
            )
            if not entry["packs"]:
                self.stdout.write("  no packs apply")
            for pack in entry["packs"]:
                s = pack["summary"]
                self.stdout.write(
                    f"  {pack['pack']} {pack['pack_version']}: {s['pass']} pass, {s['fail']} fail, {s['not_applicable']} not applicable"
                )
                for r in pack["results"]:
                    if r["status"] == "fail":
                        self.stdout.write(
                            f"    FAIL {r['criterion']}: {r['message']}"
                            + (f" [{r['field']}]" if r["field"] else "")
                        )
