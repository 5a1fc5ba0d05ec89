from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "files"

urlpatterns: list[URLPattern | URLResolver] = [
    path("files/<int:pk>/", views.download, name="download"),
]
