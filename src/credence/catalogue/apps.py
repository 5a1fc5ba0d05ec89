from __future__ import annotations

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "credence.catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from . import signals  # noqa: F401
