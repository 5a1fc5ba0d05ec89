from __future__ import annotations

from django.apps import AppConfig


class MicroCredentialsConfig(AppConfig):
    name = "credence.microcredentials"
    verbose_name = "Micro-credentials"

    def ready(self) -> None:
        from . import signals  # noqa: F401
