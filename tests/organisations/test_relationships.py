"""Hierarchical and historical relationships between organisations (DEQAR's types), and the reports a
provider inherits through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.organisations import services
from credence.organisations.models import OrganisationRelationship
from credence.register import services as register_services
from credence.register.selectors import reports_of_provider

from ..factories import make_organisation


def test_an_admin_of_either_side_records_a_relationship(world):
    faculty = make_organisation("Faculty of Law")

    relationship = services.add_relationship(
        actor=world.user("org_admin"), parent=world.home, child=faculty, relationship_type="faculty"
    )

    assert str(relationship) == "University of Home has faculty Faculty of Law"


def test_an_outsider_cannot_relate_two_organisations(world):
    with pytest.raises(PermissionDenied):
        services.add_relationship(
            actor=world.user("proposer"), parent=world.home, child=world.other, relationship_type="consortium"
        )


def test_it_refuses_a_relationship_with_itself_and_a_historical_period(world):
    with pytest.raises(ValidationError) as caught:
        services.add_relationship(
            actor=None, parent=world.home, child=world.home, relationship_type="consortium"
        )
    assert "child" in caught.value.message_dict

    with pytest.raises(ValidationError) as caught:
        services.add_relationship(
            actor=None,
            parent=world.home,
            child=world.other,
            relationship_type="succeeded",
            valid_from=dt.date(2020, 1, 1),
            valid_to=dt.date(2021, 1, 1),
        )
    assert "valid_to" in caught.value.message_dict
    assert OrganisationRelationship.objects.count() == 0


def test_ending_a_relationship_keeps_it_with_its_end_date(world):
    relationship = services.add_relationship(
        actor=None,
        parent=world.home,
        child=world.other,
        relationship_type="consortium",
        valid_from=dt.date(2020, 1, 1),
    )

    services.end_relationship(
        actor=world.user("org_admin"), relationship=relationship, valid_to=dt.date(2024, 12, 31)
    )

    assert OrganisationRelationship.objects.get().valid_to == dt.date(2024, 12, 31)


def test_setting_the_legal_seat_moves_it(world):
    second = services.add_location(
        actor=world.user("org_admin"), organisation=world.home, country="FR", city="Lyon"
    )

    services.set_legal_seat(actor=world.user("org_admin"), location=second)

    assert [str(loc) for loc in world.home.locations.filter(is_legal_seat=True)] == ["Lyon, France"]


def _agency_with_report_on(provider, local_id):
    agency = make_organisation(f"Agency {local_id}", kind="qa_agency", acronym=f"AG{local_id}")
    register_services.add_agency_activity(
        actor=None, agency=agency, name="Audit", activity_type="institutional"
    )
    return register_services.submit_report(
        actor=None,
        package={
            "agency": agency.acronym,
            "local_identifier": local_id,
            "activities": [{"activity": "Audit"}],
            "status": "voluntary",
            "decision": "positive",
            "valid_from": "2021-05-01",
            "valid_to": "2026-05-01",
            "institutions": [{"identifier": provider.slug, "resource": "credence"}],
        },
    )


def test_a_parent_inherits_its_faculties_reports_and_a_successor_its_predecessors(world):
    faculty = make_organisation("Faculty of Arts")
    services.add_relationship(actor=None, parent=world.home, child=faculty, relationship_type="faculty")
    services.add_relationship(
        actor=None,
        parent=world.other,
        child=world.home,
        relationship_type="absorbed",
        valid_from=dt.date(2023, 1, 1),
    )
    _agency_with_report_on(faculty, "1")
    _agency_with_report_on(world.other, "2")

    rows = reports_of_provider(world.home)

    assert sorted((row.report.local_identifier, str(row.inherited_from)) for row in rows) == [
        ("1", "Faculty of Arts"),
        ("2", "Other University"),
    ]
    assert reports_of_provider(faculty)[0].inherited_from is None
