"""Finding the offering or credential an operator names on the command line."""

from __future__ import annotations

import uuid

from django.core.management.base import CommandError

from credence.issuance.models import IssuedCredential
from credence.monitoring.models import Offering


def find_offering(value: str, organisation: str | None) -> Offering:
    queryset = Offering.objects.select_related("organisation", "version__micro_credential")
    if organisation:
        queryset = queryset.filter(organisation__slug=organisation)
    found = list(queryset.filter(pk=int(value))) if value.isdigit() else list(queryset.filter(code=value))
    if not found:
        raise CommandError(
            f"No offering '{value}'. Give its id, or its code (with --organisation if codes repeat)."
        )
    if len(found) > 1:
        raise CommandError(
            f"Several organisations have an offering '{value}'; name one with --organisation SLUG."
        )
    return found[0]


def find_credential(value: str) -> IssuedCredential:
    value = value.removeprefix("urn:uuid:")
    queryset = IssuedCredential.objects.select_related("organisation", "learner")
    found = None
    if value.isdigit():
        found = queryset.filter(pk=int(value)).first()
    else:
        try:
            found = queryset.filter(uuid=uuid.UUID(value)).first()
        except ValueError:
            found = None
    if found is None:
        raise CommandError(f"No credential '{value}'. Give its id or its urn:uuid.")
    return found
