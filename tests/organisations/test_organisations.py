from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.errors import StaleWrite
from credence.organisations import services as orgs
from credence.organisations.models import Location, Membership, Organisation


def _create(**overrides):
    data = {
        "actor": None,
        "name": "Alt Provider Ltd",
        "kind": "alternative_provider",
        "organisation_type": "private company",
        "locations": [
            {"country": "NZ", "city": "Wellington", "is_legal_seat": True},
            {"country": "AU", "city": "Sydney"},
        ],
        "identifiers": [{"resource": "EU-VAT", "value": "IE1234567X"}],
    }
    return orgs.create_organisation(**(data | overrides))


def test_an_organisation_has_several_locations_and_one_legal_seat(db):
    organisation = _create()
    assert organisation.legal_seat.city == "Wellington"
    assert organisation.locations.count() == 2
    assert [str(i) for i in organisation.identifiers.all()] == ["EU-VAT: IE1234567X"]
    assert AuditEvent.objects.filter(action="organisation.created", object_id=str(organisation.pk)).exists()


@pytest.mark.parametrize(
    ("locations", "message"),
    [
        ([], "at least one location"),
        ([{"country": "IE", "city": "Cork"}], "Exactly one"),
        (
            [
                {"country": "IE", "city": "Cork", "is_legal_seat": True},
                {"country": "IE", "city": "Galway", "is_legal_seat": True},
            ],
            "Exactly one",
        ),
    ],
)
def test_it_insists_on_exactly_one_legal_seat(db, locations, message):
    with pytest.raises(ValidationError) as error:
        _create(locations=locations)
    assert message in error.value.message_dict["locations"][0]
    assert not Organisation.objects.exists()


def test_sub_national_systems_are_valid_countries_and_unknown_codes_are_not(db):
    assert _create(
        name="Flemish HEI", locations=[{"country": "BE-fl", "city": "Gent", "is_legal_seat": True}]
    )
    with pytest.raises(ValidationError) as error:
        _create(name="Nowhere", locations=[{"country": "XX", "city": "Atlantis", "is_legal_seat": True}])
    assert "locations[0].country" in error.value.message_dict
    assert not Organisation.objects.filter(name="Nowhere").exists()


def test_it_refuses_an_unknown_identifier_resource_and_bad_levels(db):
    with pytest.raises(ValidationError) as error:
        _create(identifiers=[{"resource": "MADE-UP", "value": "1"}])
    assert "identifiers[0].resource" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(qf_ehea_levels=["fourth cycle"])
    assert "qf_ehea_levels" in error.value.message_dict


def test_only_a_platform_admin_creates_organisations(world):
    with pytest.raises(PermissionDenied):
        _create(actor=world.user("org_admin"))
    assert _create(actor=world.admin).name == "Alt Provider Ltd"


def test_an_org_admin_updates_their_own_organisation_with_optimistic_locking(world):
    admin = world.user("org_admin")
    updated = orgs.update_organisation(
        actor=admin, organisation=world.home, lock_version=1, website="https://home.example"
    )
    assert updated.lock_version == 2
    with pytest.raises(StaleWrite):
        orgs.update_organisation(
            actor=admin, organisation=world.home, lock_version=1, website="https://stale.example"
        )
    with pytest.raises(PermissionDenied):
        orgs.update_organisation(
            actor=world.outsider_qa, organisation=world.home, website="https://evil.example"
        )
    world.home.refresh_from_db()
    assert world.home.website == "https://home.example"


def test_the_legal_seat_cannot_be_removed_and_moving_it_keeps_one(world):
    admin = world.user("org_admin")
    seat = world.home.legal_seat
    with pytest.raises(ValidationError):
        orgs.remove_location(actor=admin, location=seat)
    orgs.add_location(actor=admin, organisation=world.home, country="IE", city="Limerick", is_legal_seat=True)
    assert Location.objects.filter(organisation=world.home, is_legal_seat=True).get().city == "Limerick"


def test_an_org_admin_manages_members_and_roles(world):
    admin = world.user("org_admin")
    membership = orgs.add_member(
        actor=admin,
        organisation=world.home,
        email="New.Person@Example.org",
        roles=["reviewer"],
        first_name="New",
        last_name="Person",
    )
    assert membership.user.email == "new.person@example.org"
    membership = orgs.update_membership(actor=admin, membership=membership, roles=["reviewer", "approver"])
    assert membership.roles == ["reviewer", "approver"]
    with pytest.raises(ValidationError) as error:
        orgs.update_membership(actor=admin, membership=membership, roles=["emperor"])
    assert "emperor" in error.value.message_dict["roles"][0]
    with pytest.raises(PermissionDenied):
        orgs.add_member(
            actor=world.user("proposer"), organisation=world.home, email="x@example.org", roles=["proposer"]
        )
    with pytest.raises(PermissionDenied):
        orgs.add_member(
            actor=world.outsider_qa, organisation=world.home, email="x@example.org", roles=["proposer"]
        )


def test_an_org_admin_cannot_remove_their_own_admin_role(world):
    admin = world.user("org_admin")
    own = Membership.objects.get(user=admin, organisation=world.home)
    with pytest.raises(ValidationError):
        orgs.update_membership(actor=admin, membership=own, roles=["proposer"])


def test_sign_in_works_with_username_or_email(world, client):
    from ..factories import PASSWORD

    assert client.login(username="home_proposer", password=PASSWORD)
    client.logout()
    assert client.login(username="HOME_PROPOSER@example.org", password=PASSWORD)
    client.logout()
    assert not client.login(username="home_proposer", password="wrong")
