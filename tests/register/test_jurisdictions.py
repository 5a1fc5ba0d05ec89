"""Jurisdictions: seed 000's 2023 baseline, editable with history, on a public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.register import services
from credence.register.models import Jurisdiction


def test_it_loads_the_2023_baseline_with_its_source(db):
    services.load_baseline_jurisdictions(actor=None)

    assert Jurisdiction.objects.count() == 35
    ireland = Jurisdiction.objects.get(code="IE")
    assert ireland.approaches == ["not_enforceable_for_universities"]
    assert ireland.as_of == dt.date(2023, 3, 31)
    assert "Brown" in ireland.source
    assert Jurisdiction.objects.get(code="GB").approaches == [
        "common_standards",
        "optional_guidelines",
        "voluntary_accreditation",
    ]


def test_a_change_keeps_the_earlier_state_and_shows_on_the_page(world, client):
    services.load_baseline_jurisdictions(actor=None)
    services.record_jurisdiction(
        actor=world.admin,
        code="AT",
        name="Austria",
        approaches=["common_standards"],
        source="Agency announcement",
        as_of=dt.date(2025, 6, 1),
    )

    austria = Jurisdiction.objects.get(code="AT")
    assert [h.approaches for h in austria.history.order_by("history_date")] == [
        ["no_evidence"],
        ["common_standards"],
    ]
    page = client.get("/register/jurisdictions/").content.decode()
    assert "Changes since the baseline" in page
    assert "<del>No or limited evidence of QA considerations for micro-credentials</del>" in page


def test_only_the_register_operator_edits_jurisdictions(world):
    with pytest.raises(PermissionDenied):
        services.record_jurisdiction(
            actor=world.user("org_admin"),
            code="AT",
            name="Austria",
            approaches=["no_evidence"],
            source="x",
            as_of=dt.date(2025, 1, 1),
        )


def test_it_refuses_an_approach_outside_the_taxonomy(world):
    with pytest.raises(ValidationError) as caught:
        services.record_jurisdiction(
            actor=world.admin,
            code="AT",
            name="Austria",
            approaches=["excellent"],
            source="x",
            as_of=dt.date(2025, 1, 1),
        )

    assert "approaches" in caught.value.message_dict


def test_the_page_shows_the_grid_and_the_table_to_anyone(db, client):
    services.load_baseline_jurisdictions(actor=None)

    page = client.get("/register/jurisdictions/").content.decode()

    assert 'title="New Zealand"' in page
    assert "Standards not legally enforceable for universities" in page
    assert "No changes have been recorded since the baseline." in page
