from __future__ import annotations

from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "credence.workflows"
    verbose_name = "Workflows"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .commentable import register_proposals

        register_proposals()
