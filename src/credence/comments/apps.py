from __future__ import annotations

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "credence.comments"
    verbose_name = "Comments"
