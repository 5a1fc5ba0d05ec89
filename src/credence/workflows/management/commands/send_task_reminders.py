from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from credence.workflows.services import send_reminders


class Command(BaseCommand):
    help = "Remind people of their overdue tasks (at most once a day per task)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_reminders()} reminder(s) sent.")
