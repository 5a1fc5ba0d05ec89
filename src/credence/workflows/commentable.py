"""Proposals can be commented on (credence.comments): on the proposal, on one element of its business
case, or on one learning outcome of the version under consideration."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from credence.organisations.authorization import can


def _anchors(proposal: Any) -> list[tuple[str, str]]:
    from .forms import BusinessCaseForm
    from .models import BUSINESS_CASE_FIELDS

    anchors = [
        (
            name,
            f"Business case: {BusinessCaseForm.base_fields[name].label or name.replace('_', ' ').capitalize()}",
        )
        for name in BUSINESS_CASE_FIELDS
    ]
    for number, outcome in enumerate(proposal.version.learning_outcomes.all(), start=1):
        text = outcome.text if len(outcome.text) <= 60 else outcome.text[:57] + "…"
        anchors.append((f"learning_outcomes[{outcome.key}]", f"Outcome {number}: {text}"))
    return anchors


def register_proposals() -> None:
    try:
        from credence.comments.registry import register
    except ImportError:  # the comments app is not installed
        return
    from .models import Proposal

    register(
        Proposal,
        can_view=lambda user, p: can(user, "workflows.view_proposals", p),
        can_comment=lambda user, p: can(user, "comments.add_comment", p),
        url=lambda p: reverse("workflows:proposal", kwargs={"pk": p.pk}),
        anchors=_anchors,
        organisation=lambda p: p.organisation,
    )
