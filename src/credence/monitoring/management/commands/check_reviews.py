from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from credence.monitoring.services import check_reviews


class Command(BaseCommand):
    help = "Recompute every organisation's review schedule and flag the reviews now overdue (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        flags = check_reviews()
        for flag in flags:
            self.stdout.write(flag.message)
        self.stdout.write(f"{len(flags)} flag(s) raised.")
