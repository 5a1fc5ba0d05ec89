from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "credence.monitoring"
    verbose_name = "Monitoring"
