from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import import_views, views

app_name = "interop"

urlpatterns: list[URLPattern | URLResolver] = [
    path("micro-credentials/<int:pk>/elm.jsonld", views.micro_credential_elm, name="elm"),
    path("micro-credentials/<int:pk>/export.json", views.micro_credential_json, name="record_json"),
    path("micro-credentials/<int:pk>/summary.pdf", views.micro_credential_pdf, name="summary_pdf"),
    path("import/", import_views.import_index, name="import"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/mapping/", import_views.import_mapping, name="import_mapping"),
    path("import/<int:pk>/run/", import_views.import_run, name="import_run"),
    path("import/<int:pk>/problems.csv", import_views.import_errors, name="import_errors"),
]
