"""Every write to framework packs: uploading an organisation's own pack, and choosing which packs apply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from credence.audit.services import record_event
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from .models import FrameworkPack, PackChoice
from .packs import Pack, PackError, parse_pack, shipped_packs
from .selectors import packs_available_to


@transaction.atomic
def upload_pack(
    *, actor: User | None, organisation: Organisation, text: str, filename: str = "pack.yaml"
) -> FrameworkPack:
    """Validate the YAML as a shipped pack is validated, then keep it for the organisation."""
    if actor is not None:
        require(actor, "frameworks.manage_packs", organisation)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"file": "Choose a YAML file with the pack."})
    try:
        pack: Pack = parse_pack(text, source=filename)
    except PackError as error:
        raise ValidationError({"file": str(error)}) from None
    if pack.id in shipped_packs():
        raise ValidationError(
            {
                "file": f"{filename}: '{pack.id}' is the id of a pack that ships with Credence; give yours another id."
            }
        )
    if FrameworkPack.objects.filter(
        organisation=organisation, pack_id=pack.id, version=pack.version
    ).exists():
        raise ValidationError(
            {
                "file": f"{filename}: version {pack.version} of '{pack.id}' is already uploaded; raise the version to upload a change."
            }
        )
    row = FrameworkPack.objects.create(
        organisation=organisation,
        pack_id=pack.id,
        version=pack.version,
        title=pack.title,
        source_text=text,
        uploaded_by=actor,
    )
    record_event(
        actor=actor,
        action="frameworks.pack_uploaded",
        obj=row,
        organisation=organisation,
        changes={"pack_id": [None, pack.id], "version": [None, pack.version], "title": [None, pack.title]},
    )
    return row


@transaction.atomic
def enable_pack(*, actor: User | None, organisation: Organisation, pack_id: str) -> PackChoice:
    if actor is not None:
        require(actor, "frameworks.manage_packs", organisation)
    if pack_id not in packs_available_to(organisation.pk):
        raise ValidationError({"pack": f"There is no pack '{str(pack_id)[:80]}'."})
    choice, created = PackChoice.objects.get_or_create(
        organisation=organisation, pack_id=pack_id, defaults={"enabled_by": actor}
    )
    if created:
        record_event(
            actor=actor,
            action="frameworks.pack_enabled",
            obj=choice,
            organisation=organisation,
            changes={"enabled": [False, True]},
        )
    return choice


@transaction.atomic
def disable_pack(*, actor: User | None, organisation: Organisation, pack_id: str) -> None:
    if actor is not None:
        require(actor, "frameworks.manage_packs", organisation)
    choice = PackChoice.objects.filter(organisation=organisation, pack_id=pack_id).first()
    if choice is None:
        return
    record_event(
        actor=actor,
        action="frameworks.pack_disabled",
        obj=choice,
        organisation=organisation,
        changes={"enabled": [True, False]},
    )
    choice.delete()
