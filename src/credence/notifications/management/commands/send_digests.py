from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from credence.notifications.services import send_digests


class Command(BaseCommand):
    help = "E-mail each person the daily digest of their notifications (run it once a day; safe to rerun)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest e-mail{'s' if sent != 1 else ''}.")
