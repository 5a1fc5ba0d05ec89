from __future__ import annotations

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "credence.comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from .subjects import register_subjects

        register_subjects()
