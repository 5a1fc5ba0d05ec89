from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "frameworks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("frameworks/", views.pack_list, name="list"),
    path("frameworks/packs/<str:pack_id>/", views.pack_detail, name="detail"),
    path("frameworks/packs/<str:pack_id>/choice/", views.pack_toggle, name="toggle"),
    path("frameworks/readiness/<int:pk>/", views.readiness_panel, name="readiness"),
]
