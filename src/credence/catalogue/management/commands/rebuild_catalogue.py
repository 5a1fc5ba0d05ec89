from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from credence.catalogue.services import rebuild_catalogue


class Command(BaseCommand):
    help = (
        "Rebuild every catalogue search entry from the published versions (run nightly, or after an import)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_catalogue(actor=None)
        self.stdout.write(f"{count} published micro-credential(s) in the catalogue.")
