"""Organisations: public to read, registered by platform admins, changed by their own admins."""

from __future__ import annotations

from credence.audit.models import AuditEvent
from credence.organisations.models import Organisation

from ..factories import make_organisation
from .conftest import client_for, errors_of

NEW = {
    "name": "Institiúid Teicneolaíochta",
    "name_english": "Institute of Technology",
    "kind": "college",
    "qf_ehea_levels": ["short cycle", "first cycle"],
    "locations": [
        {
            "country": "IE",
            "city": "Sligo",
            "is_legal_seat": True,
            "latitude": "54.2766",
            "longitude": -8.4761,
        },
        {"country": "IE", "city": "Donegal"},
    ],
    "identifiers": [{"resource": "SCHAC", "value": "itsligo.ie"}],
}


def test_it_lists_organisations_with_locations_and_identifiers_for_anyone(world):
    make_organisation("Sorbonne", identifiers=[{"resource": "ETER", "value": "FR0001"}])

    response = client_for(None).get("/api/organisations/?search=sorbonne")

    assert response.status_code == 200
    [sorbonne] = response.json()["results"]
    assert sorbonne["locations"][0] | {"id": None} == {
        "id": None,
        "country": "IE",
        "country_name": "Ireland",
        "city": "Dublin",
        "postcode": "",
        "latitude": None,
        "longitude": None,
        "is_legal_seat": True,
    }
    assert [(i["resource"], i["value"]) for i in sorbonne["identifiers"]] == [("ETER", "FR0001")]


def test_it_filters_organisations_by_kind_and_country(world):
    make_organisation("Agence", kind="qa_agency")
    client = client_for(None)

    agencies = client.get("/api/organisations/?kind=qa_agency").json()["results"]
    in_france = client.get("/api/organisations/?country=FR").json()["results"]

    assert [o["name"] for o in agencies] == ["Agence"]
    assert in_france == []


def test_it_lets_a_platform_admin_register_an_organisation(world):
    response = client_for(world.admin).post("/api/organisations/", NEW, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "institiuid-teicneolaiochta"
    assert [(loc["city"], loc["is_legal_seat"]) for loc in body["locations"]] == [
        ("Sligo", True),
        ("Donegal", False),
    ]
    assert body["locations"][0]["latitude"] == "54.276600"
    assert body["locations"][0]["longitude"] == "-8.476100"
    assert body["qf_ehea_levels"] == ["short cycle", "first cycle"]
    assert AuditEvent.objects.filter(action="organisation.created", object_id=str(body["id"])).exists()


def test_it_refuses_anyone_else_registering_an_organisation(world):
    for user in (world.user("org_admin"), world.nobody):
        assert client_for(user).post("/api/organisations/", NEW, format="json").status_code == 403
    assert client_for(None).post("/api/organisations/", NEW, format="json").status_code in (401, 403)
    assert Organisation.objects.count() == 2


def test_it_lets_an_organisation_admin_change_their_organisation(world):
    client = client_for(world.user("org_admin"))

    response = client.patch(
        f"/api/organisations/{world.home.pk}/",
        {"lock_version": 1, "website": "https://home.example.org/", "founding_date": "1850-10-30"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["website"] == "https://home.example.org/"
    assert response.json()["founding_date"] == "1850-10-30"
    assert response.json()["lock_version"] == 2


def test_it_refuses_an_organisation_admin_changing_another_organisation(world):
    response = client_for(world.user("org_admin")).patch(
        f"/api/organisations/{world.other.pk}/", {"lock_version": 1, "acronym": "X"}, format="json"
    )

    assert response.status_code == 403
    world.other.refresh_from_db()
    assert world.other.acronym == "OU"


def test_it_needs_the_lock_version_to_change_an_organisation(world):
    response = client_for(world.user("org_admin")).patch(
        f"/api/organisations/{world.home.pk}/", {"acronym": "X"}, format="json"
    )

    assert response.status_code == 400
    assert "lock_version" in errors_of(response)


def test_it_answers_404_for_an_unknown_organisation(world):
    assert client_for(None).get("/api/organisations/999999/").status_code == 404
    assert client_for(None).get("/api/organisations/not-a-number/").status_code == 404
