"""Catalogue fixtures: published micro-credentials made through the lifecycle services (so the publish
service fills the catalogue), and helpers for learners, outcomes and credentials."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from credence.microcredentials.models import MicroCredentialVersion
from credence.monitoring import services as monitoring
from credence.monitoring.models import Offering
from credence.organisations.models import Organisation

from ..factories import make_organisation, make_version


@dataclass
class Shelf:
    provider: Organisation
    college: Organisation
    analytics: MicroCredentialVersion  # EQF 6, online scheduled, en, 5 ECTS, 125 h
    solar: MicroCredentialVersion  # EQF 4, on site, de, at the college
    nursing: MicroCredentialVersion  # EQF 5, blended, free


@pytest.fixture
def shelf(db: Any) -> Shelf:
    provider = make_organisation("Northbridge University", acronym="NBU")
    college = make_organisation("Lakeside College", kind="college")
    analytics = make_version(provider, status="published", code="DA-101", title="Practical data analysis")
    solar = make_version(
        college,
        status="published",
        code="SOL-1",
        title="Solar panel installation",
        summary="Install and maintain photovoltaic panels safely on domestic roofs.",
        eqf_level=4,
        form_of_participation="on site",
        languages=["de"],
        notional_hours=40,
        credits="1.5",
        fee_amount="0",
        fee_currency="EUR",
    )
    nursing = make_version(
        provider,
        status="published",
        code="HC-7",
        title="Infection control in care homes",
        summary="Prevent and control infections in residential care.",
        eqf_level=5,
        form_of_participation="blended",
        fee_amount="450",
        fee_currency="EUR",
    )
    return Shelf(provider, college, analytics, solar, nursing)


def learners(n: int, prefix: str = "learner") -> list[dict[str, str]]:
    return [{"email": f"{prefix}{i}@learners.example", "name": f"Learner {i}"} for i in range(n)]


def run_offering(version: MicroCredentialVersion, code: str, enrolled: int, completed: int) -> Offering:
    """A finished offering: `enrolled` learners, the first `completed` of them completed and passed."""
    offering = monitoring.create_offering(
        actor=None,
        version=version,
        code=code,
        starts_on=dt.date(2025, 1, 6),
        ends_on=dt.date(2025, 3, 28),
    )
    rows = learners(enrolled, prefix=code.lower() + "-")
    monitoring.enrol_learners(actor=None, offering=offering, learners=rows, enrolled_on=dt.date(2025, 1, 2))
    completions = monitoring.validate_completions(
        offering,
        [{"email": r["email"], "completed_on": "2025-03-28"} for r in rows[:completed]],
    )
    monitoring.record_completions(actor=None, offering=offering, completions=completions)
    return offering
