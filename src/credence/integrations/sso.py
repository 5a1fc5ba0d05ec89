"""Single sign-on through an organisation's identity provider (SAML 2.0 or OpenID Connect, via
django-allauth).

Each organisation has at most one identity provider: an allauth SocialApp whose settings carry
`"organisation": "<slug>"` (made by services.configure_oidc / configure_saml, or in the admin). A person
signs in through it when they already have an active membership in that organisation and the identity
provider vouches for their e-mail address (OIDC: `email_verified`; SAML: the signed assertion). Nobody
is created: an unknown person is refused with a message saying whom to ask.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import HttpRequest
from django.shortcuts import render

from credence.organisations.models import Organisation, User

OIDC = "openid_connect"
SAML = "saml"


def app_of(organisation: Organisation) -> SocialApp | None:
    return SocialApp.objects.filter(settings__organisation=organisation.slug).first()


def organisation_of(app: SocialApp) -> Organisation | None:
    slug = (app.settings or {}).get("organisation")
    return Organisation.objects.filter(slug=slug).first() if slug else None


def organisations_with_sso() -> list[Organisation]:
    slugs = [
        (app.settings or {}).get("organisation")
        for app in SocialApp.objects.filter(provider__in=[OIDC, SAML])
    ]
    return list(Organisation.objects.filter(slug__in=[s for s in slugs if s]).order_by("name"))


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(
        render(request, "integrations/sso_refused.html", {"message": message}, status=403)
    )


def _vouched_emails(sociallogin: Any, protocol: str) -> list[str]:
    if protocol == SAML:
        # The assertion is signed by the organisation's own identity provider.
        emails = [a.email for a in sociallogin.email_addresses] or [sociallogin.user.email]
    else:
        emails = [a.email for a in sociallogin.email_addresses if a.verified]
    return [e.strip().lower() for e in emails if e]


class OrganisationSignOnAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        app = sociallogin.provider.app
        organisation = organisation_of(app)
        if organisation is None:
            raise _refuse(request, "This identity provider is not set up for any organisation.")
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            emails = _vouched_emails(sociallogin, app.provider)
            if not emails:
                raise _refuse(
                    request,
                    "Your identity provider did not confirm your e-mail address, so we cannot tell which "
                    "Credence account is yours.",
                )
            user = User.objects.filter(email__iexact=emails[0], is_active=True).first()
        member = (
            user is not None
            and user.pk is not None
            and user.memberships.filter(organisation=organisation, active=True).exists()
        )
        if not member:
            raise _refuse(
                request,
                f"There is no Credence account for you at {organisation}. Ask your organisation admin to "
                "add you (with the e-mail address your institution knows you by), then sign in again.",
            )
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
