from __future__ import annotations

from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "credence.files"
    verbose_name = "Attachments"
