"""The subject types this app registers itself: micro-credential versions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from credence.organisations.authorization import can

from .registry import register


def _version_anchors(version: Any) -> list[tuple[str, str]]:
    from credence.microcredentials.elements import ELEMENT_GROUPS, element_label

    anchors = [(name, element_label(name)) for _slug, _title, names in ELEMENT_GROUPS for name in names]
    for number, outcome in enumerate(version.learning_outcomes.all(), start=1):
        text = outcome.text if len(outcome.text) <= 60 else outcome.text[:57] + "…"
        anchors.append((f"learning_outcomes[{outcome.key}]", f"Outcome {number}: {text}"))
    return anchors


def register_subjects() -> None:
    from credence.microcredentials.models import MicroCredentialVersion

    register(
        MicroCredentialVersion,
        # Comments are the organisation's working discussion: its members see them, even on a
        # published version; the public does not.
        can_view=lambda user, v: can(user, "microcredentials.view_unpublished", v.micro_credential),
        can_comment=lambda user, v: can(user, "comments.add_comment", v.micro_credential),
        url=lambda v: reverse("microcredentials:detail", args=[v.micro_credential_id])
        + f"?version={v.number}",
        anchors=_version_anchors,
        organisation=lambda v: v.micro_credential.organisation,
    )
