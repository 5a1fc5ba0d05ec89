from __future__ import annotations

from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "credence.interop"
    verbose_name = "Imports and exports"
