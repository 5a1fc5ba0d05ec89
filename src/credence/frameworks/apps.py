from __future__ import annotations

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "credence.frameworks"
    verbose_name = "QA frameworks"
