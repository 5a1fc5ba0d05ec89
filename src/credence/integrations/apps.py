from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "credence.integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from . import (
            rules,  # noqa: F401  (registers the permission table)
            schema,  # noqa: F401  (the OpenAPI description of API-token authentication)
        )
        from .events import connect

        connect()
