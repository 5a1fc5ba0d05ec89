from __future__ import annotations

from django.urls import path

from . import views

app_name = "microcredentials"

urlpatterns = [
    path("micro-credentials/", views.micro_credential_list, name="list"),
    path("micro-credentials/export.csv", views.micro_credential_export, name="export"),
    path("micro-credentials/new/", views.micro_credential_create, name="create"),
    path("micro-credentials/<int:pk>/", views.micro_credential_detail, name="detail"),
    path("micro-credentials/<int:pk>/changes/", views.version_changes, name="changes"),
    path("micro-credentials/<int:pk>/new-version/", views.start_new_version, name="new_version"),
    path("micro-credentials/<int:pk>/partners/", views.partner_add, name="partner_add"),
    path(
        "micro-credentials/<int:pk>/partners/<int:partnership_id>/remove/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("versions/<int:pk>/edit/", views.version_edit, name="edit"),
    path("versions/<int:pk>/submit/", views.version_transition, {"action": "submit"}, name="submit"),
    path("versions/<int:pk>/approve/", views.version_transition, {"action": "approve"}, name="approve"),
    path("versions/<int:pk>/publish/", views.version_transition, {"action": "publish"}, name="publish"),
    path("versions/<int:pk>/retire/", views.version_retire, name="retire"),
    path("versions/<int:pk>/parts/<slug:slug>/", views.part_section, name="part_section"),
    path(
        "versions/<int:pk>/parts/<slug:slug>/add/", views.part_change, {"operation": "add"}, name="part_add"
    ),
    path(
        "versions/<int:pk>/parts/<slug:slug>/<int:part_id>/",
        views.part_change,
        {"operation": "update"},
        name="part_update",
    ),
    path(
        "versions/<int:pk>/parts/<slug:slug>/<int:part_id>/remove/",
        views.part_change,
        {"operation": "remove"},
        name="part_remove",
    ),
    path(
        "versions/<int:pk>/parts/<slug:slug>/<int:part_id>/move/",
        views.part_change,
        {"operation": "move"},
        name="part_move",
    ),
]
