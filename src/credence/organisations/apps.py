from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "credence.organisations"
    verbose_name = "Organisations and people"
