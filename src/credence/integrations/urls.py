from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "integrations"

urlpatterns: list[URLPattern | URLResolver] = [
    path("integrations/", views.index, name="index"),
    path("integrations/tokens/new/", views.token_create, name="token_create"),
    path("integrations/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("integrations/webhooks/new/", views.webhook_create, name="webhook_create"),
    path("integrations/webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("integrations/webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("integrations/webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/institution/", views.sso_start, name="sso_start"),
]
