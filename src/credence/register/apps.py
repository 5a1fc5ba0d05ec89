from __future__ import annotations

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "credence.register"
    verbose_name = "External QA register"
