from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from credence.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations, people and micro-credentials (once; running it again changes nothing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
