from __future__ import annotations

from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "credence.committees"
    verbose_name = "Committees"
