from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/", include("credence.integrations.sso_urls")),  # single sign-on (allauth's provider URLs)
    path("", include("credence.organisations.urls")),
    path("", include("credence.microcredentials.urls")),
    path("", include("credence.audit.urls")),
    path("", include("credence.frameworks.urls")),
    path("", include("credence.reviews.urls")),
    path("", include("credence.register.urls")),
    path("", include("credence.issuance.urls")),
    path("", include("credence.files.urls")),
    path("", include("credence.interop.urls")),
    path("", include("credence.monitoring.urls")),
    path("", include("credence.notifications.urls")),
    path("", include("credence.comments.urls")),
    path("", include("credence.workflows.urls")),
    path("", include("credence.committees.urls")),
    path("", include("credence.catalogue.urls")),
    path("", include("credence.integrations.urls")),
]
