from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credence.audit.models import AuditEvent
from credence.audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain; exit non-zero if any event was edited or deleted."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_chain()
        total = AuditEvent.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"audit event #{problem.sequence}: {problem.reason}")
            raise CommandError(
                f"The audit chain is broken in {len(problems)} place(s) ({total} events read)."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit chain is intact: {total} events verified."))
