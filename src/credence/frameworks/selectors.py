"""Reads of framework packs: which exist for an organisation, which it applies, and the facts about a
version that the machine checks read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from credence.microcredentials.documents import version_document
from credence.microcredentials.models import LearningOutcome, MicroCredential, MicroCredentialVersion
from credence.organisations.models import Location, Organisation

from .checks import Sibling, Subject
from .models import FrameworkPack, PackChoice
from .packs import Pack, PackError, parse_pack, shipped_packs


def uploaded_packs(organisation_id: int) -> QuerySet[FrameworkPack]:
    return FrameworkPack.objects.filter(organisation_id=organisation_id).select_related("uploaded_by")


def _parsed(row: FrameworkPack) -> Pack | None:
    try:
        return parse_pack(row.source_text, source=f"{row.pack_id} {row.version}")
    except PackError:
        # Validated on upload; a pack that a later release of the schema refuses is left out.
        return None


def packs_available_to(organisation_id: int | None) -> dict[str, Pack]:
    """The shipped packs and the organisation's own uploads (the latest upload of each id), by id."""
    packs = dict(shipped_packs())
    if organisation_id is None:
        return packs
    latest: dict[str, FrameworkPack] = {}
    for row in uploaded_packs(organisation_id).order_by("uploaded_at", "pk"):
        latest[row.pack_id] = row
    for pack_id, row in latest.items():
        pack = _parsed(row)
        if pack is not None:
            packs[pack_id] = pack
    return packs


def get_pack(organisation_id: int | None, pack_id: str) -> Pack | None:
    return packs_available_to(organisation_id).get(pack_id)


def enabled_pack_ids(organisation_id: int) -> list[str]:
    return list(PackChoice.objects.filter(organisation_id=organisation_id).values_list("pack_id", flat=True))


def enabled_packs(organisation_id: int) -> list[Pack]:
    available = packs_available_to(organisation_id)
    return [available[i] for i in enabled_pack_ids(organisation_id) if i in available]


def subject_for(version: MicroCredentialVersion, today: dt.date | None = None) -> Subject:
    """What the checks read about `version`: its document (prefetch its parts first) and the
    organisation's other micro-credentials, for the duplicate check."""
    micro_credential = version.micro_credential
    organisation: Organisation = micro_credential.organisation
    countries = tuple(
        sorted(set(Location.objects.filter(organisation=organisation).values_list("country", flat=True)))
    )
    siblings: list[Sibling] = []
    latest: dict[int, Any] = {}
    rows = (
        MicroCredentialVersion.objects.filter(micro_credential__organisation=organisation)
        .exclude(micro_credential_id=micro_credential.pk)
        .exclude(status="retired")
        .order_by("micro_credential_id", "-number")
        .values("pk", "micro_credential_id", "micro_credential__code", "title")
    )
    for row in rows:
        latest.setdefault(row["micro_credential_id"], row)
    outcomes: dict[int, list[str]] = {}
    for version_id, text in LearningOutcome.objects.filter(
        version_id__in=[r["pk"] for r in latest.values()]
    ).values_list("version_id", "text"):
        outcomes.setdefault(version_id, []).append(text)
    for mc_id, row in latest.items():
        siblings.append(
            Sibling(mc_id, row["micro_credential__code"], row["title"], tuple(outcomes.get(row["pk"], [])))
        )
    targets = {p.target_micro_credential_id for p in version.pathways.all() if p.target_micro_credential_id}
    known = frozenset(MicroCredential.objects.filter(pk__in=targets).values_list("pk", flat=True))
    return Subject(
        document=version_document(version),
        micro_credential_id=micro_credential.pk,
        organisation_name=str(organisation.name),
        organisation_countries=countries,
        siblings=siblings,
        known_micro_credential_ids=known | {micro_credential.pk},
        today=today or dt.date.today(),
    )
