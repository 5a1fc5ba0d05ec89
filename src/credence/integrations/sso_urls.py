"""allauth's URLs for single sign-on, mounted at /sso/ without a namespace (allauth reverses them by
name). Only the provider callbacks and the error pages: passwords are handled by our own sign-in page."""

from __future__ import annotations

from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.openid_connect.urls import urlpatterns as oidc_urls
from allauth.socialaccount.providers.saml.urls import urlpatterns as saml_urls
from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/cancelled/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("login/error/", social_views.login_error, name="socialaccount_login_error"),
    # Names allauth reverses on some paths; each leads to our own sign-in page.
    path("signin/", RedirectView.as_view(pattern_name="login"), name="account_login"),
    path("signup/", RedirectView.as_view(pattern_name="login"), name="socialaccount_signup"),
    path("inactive/", RedirectView.as_view(pattern_name="login"), name="account_inactive"),
    *oidc_urls,
    *saml_urls,
]
