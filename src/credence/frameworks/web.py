"""Shared by the frameworks and reviews pages: which organisation the person is acting in, and the
readiness of a draft."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations.authorization import can
from credence.organisations.models import Organisation
from credence.organisations.selectors import memberships_of

from .checks import STATUS_LABELS
from .evaluation import evaluate, summarise
from .selectors import enabled_packs, subject_for


def active_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation chosen with the switcher, else the one joined first (as the top bar does)."""
    memberships = list(memberships_of(request.user))
    chosen = request.session.get("active_organisation") if hasattr(request, "session") else None
    found = next((m for m in memberships if m.organisation_id == chosen), None)
    if found is None and memberships:
        found = min(memberships, key=lambda m: (m.created_at, m.pk))
    return found.organisation if found else None


def readiness(user: Any, version: MicroCredentialVersion) -> dict[str, Any] | None:
    """The machine checks of the organisation's enabled packs on a draft, for its members; else None."""
    if not version.is_draft or not can(user, "frameworks.run_checks", version):
        return None
    packs = enabled_packs(version.micro_credential.organisation_id)
    subject = subject_for(version)
    rows: list[dict[str, Any]] = []
    for pack in packs:
        results = evaluate(pack, subject)
        for result in results:
            result["status_label"] = STATUS_LABELS[result["status"]]
        rows.append({"pack": pack, "results": results, "counts": summarise(results)})
    return {"version": version, "packs": rows, "failing": sum(r["counts"]["fail"] for r in rows)}
