from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from credence.issuance import services

from ._common import find_credential


class Command(BaseCommand):
    help = "Revoke a credential, with the reason verifiers will see. A revocation is final."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credential", help="The credential's id or urn:uuid.")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        credential = find_credential(options["credential"])
        try:
            services.revoke_credential(actor=None, credential=credential, reason=options["reason"])
        except ValidationError as error:
            raise CommandError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
        self.stdout.write(f"Revoked {credential.credential_id}.")
