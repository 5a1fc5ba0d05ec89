from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "credence.integrations"
    verbose_name = "Integrations"
