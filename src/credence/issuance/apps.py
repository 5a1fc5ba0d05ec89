from __future__ import annotations

from django.apps import AppConfig


class IssuanceConfig(AppConfig):
    name = "credence.issuance"
    verbose_name = "Learner credentials"
