"""Shared fixtures for issuing: a published micro-credential of `home`, an offering of it with three
learners enrolled, and a helper that issues to them through the service."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from credence.issuance import services
from credence.issuance.models import IssuedCredential
from credence.monitoring import services as monitoring
from credence.monitoring.models import Offering

from ..factories import make_version

LEARNERS = [
    {"email": "ada@example.org", "name": "Ada Lovelace", "external_id": "S-1"},
    {"email": "alan@example.org", "name": "Alan Turing", "external_id": "S-2"},
    {"email": "grace@example.org", "name": "Grace Hopper", "external_id": "S-3"},
]


def make_offering(
    organisation: Any, code: str = "DA-2026-1", learners: list[dict[str, str]] | None = None
) -> Offering:
    version = make_version(
        organisation,
        status="published",
        learning_outcomes=[
            {
                "text": "Clean and describe a data set with summary statistics.",
                "skills": [{"uri": "http://data.europa.eu/esco/skill/abc-123", "label": "analyse data"}],
            },
            {"text": "Choose and interpret a suitable statistical test."},
        ],
    )
    offering = monitoring.create_offering(
        actor=None,
        version=version,
        code=code,
        starts_on=dt.date(2026, 1, 12),
        ends_on=dt.date(2026, 3, 6),
        capacity=40,
        price="450.00",
        currency="EUR",
    )
    monitoring.enrol_learners(
        actor=None, offering=offering, learners=learners if learners is not None else LEARNERS
    )
    return offering


@pytest.fixture
def offering(world: Any) -> Offering:
    return make_offering(world.home)


def issue(offering: Offering, emails: list[str] | None = None, **kwargs: Any) -> list[IssuedCredential]:
    rows = [{"email": e} for e in (emails or [row["email"] for row in LEARNERS])]
    return services.issue_credentials(
        actor=None, offering=offering, rows=rows, send_emails=False, **kwargs
    ).issued


def document(credential: IssuedCredential) -> dict[str, Any]:
    return json.loads(IssuedCredential.objects.get(pk=credential.pk).signed_json)
