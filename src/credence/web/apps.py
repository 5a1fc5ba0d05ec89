from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "credence.web"
    verbose_name = "Web pages"
