from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "credence.reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from . import signals  # noqa: F401
