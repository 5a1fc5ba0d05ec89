from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from credence.demo.loader import demo_logins
from credence.demo.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo users' logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_logins()
        url = options["url"].rstrip("/")
        self.stdout.write("")
        self.stdout.write(f"Credence demo: {url}/  (sign in at {url}/accounts/login/)")
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        self.stdout.write("")
        header = ("username", "e-mail", "organisation", "roles")
        widths = [
            max(len(header[i]), *(len(r[k]) for r in rows))
            for i, k in enumerate(("username", "email", "organisation"))
        ]
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=True)).rstrip())
        for row in rows:
            cells = [row["username"], row["email"], row["organisation"]]
            self.stdout.write(
                "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + row["roles"]
            )
        self.stdout.write("")
