from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "comments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("comments/add/", views.add, name="add"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/resolve/", views.resolve, name="resolve"),
]
