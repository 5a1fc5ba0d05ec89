from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "interop"

urlpatterns: list[URLPattern | URLResolver] = [
    path("micro-credentials/<int:pk>/elm.jsonld", views.micro_credential_elm, name="elm"),
]
