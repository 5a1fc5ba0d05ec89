"""Set up (or change) an organisation's single sign-on: `manage.py configure_sso <slug> oidc|saml ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.integrations import services
from credence.organisations.models import Organisation


class Command(BaseCommand):
    help = "Let an organisation's members sign in through its SAML 2.0 or OpenID Connect identity provider."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="The organisation's slug.")
        protocols = parser.add_subparsers(dest="protocol", required=True)
        oidc = protocols.add_parser("oidc", help="OpenID Connect")
        oidc.add_argument("--server-url", required=True, help="The issuer URL (discovery is read from it).")
        oidc.add_argument("--client-id", required=True)
        oidc.add_argument("--secret", required=True)
        saml = protocols.add_parser("saml", help="SAML 2.0")
        saml.add_argument("--entity-id", required=True, help="The identity provider's entity id.")
        saml.add_argument("--sso-url", required=True, help="Its single sign-on URL (HTTP-Redirect binding).")
        saml.add_argument("--cert-file", required=True, help="Its signing certificate, PEM.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        try:
            if options["protocol"] == "oidc":
                app = services.configure_oidc(
                    actor=None,
                    organisation=organisation,
                    server_url=options["server_url"],
                    client_id=options["client_id"],
                    secret=options["secret"],
                )
                callback = f"/sso/oidc/{app.provider_id}/login/callback/"
                self.stdout.write(
                    f"OpenID Connect set up for {organisation}. Redirect URI to register: {callback}"
                )
            else:
                app = services.configure_saml(
                    actor=None,
                    organisation=organisation,
                    idp_entity_id=options["entity_id"],
                    idp_sso_url=options["sso_url"],
                    idp_x509cert=Path(options["cert_file"]).read_text(),
                )
                slug = organisation.slug
                self.stdout.write(
                    f"SAML set up for {organisation}. Give the identity provider our metadata: "
                    f"/sso/saml/{slug}/metadata/ (assertion consumer service: /sso/saml/{slug}/acs/)"
                )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
