from __future__ import annotations

from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisation/switch/", views.switch_organisation, name="switch"),
]
