"""Bad input through the API: a 400 that names the field at fault, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from ..factories import make_version
from .conftest import client_for, errors_of, stored

MEGABYTE = "x" * (1024 * 1024)


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"title": ""}, "title", "blank"),
        ({"credits": "-5"}, "credits", "more than zero"),
        ({"credits": -5}, "credits", "more than zero"),
        ({"credits": "500"}, "credits", "at most 60"),
        ({"credits": "abc"}, "credits", "number"),
        ({"eqf_level": 9}, "eqf_level", "1 to 8"),
        ({"eqf_level": ""}, "eqf_level", "1 to 8"),
        ({"field_of_study": "1234"}, "field_of_study", "ISCED"),
        ({"languages": ["xx"]}, "languages", "ISO 639-1"),
        ({"languages": ["english"]}, "languages[0]", "3 characters"),
        ({"sdgs": [18]}, "sdgs", "1 to 17"),
        ({"summary": MEGABYTE}, "summary", "5000"),
        ({"next_review_date": 20300101}, "next_review_date", "format"),
        ({"credit_system": ["ECTS"]}, "credit_system", "valid choice"),
        ({"notional_hours": ""}, "notional_hours", "integer"),
        ({"languages": [["en"]]}, "languages[0]", "string"),
        ({"titel": "A typo"}, "titel", "not an element"),
        ({"lock_version": "one"}, "lock_version", "whole number"),
        (
            {"learning_outcomes": [{"text": "One."}, {"text": "Two."}, {"text": ""}]},
            "learning_outcomes[2].text",
            "blank",
        ),
        ({"learning_outcomes": [{"text": MEGABYTE}]}, "learning_outcomes[0].text", "2000"),
        (
            {"learning_outcomes": [{"id": 999_999, "text": "Kept?"}]},
            "learning_outcomes[0].id",
            "no learning outcome",
        ),
        (
            {"assessments": [{"type": "project", "weight": "100", "outcomes": [1, 3]}]},
            "assessments[0].outcomes[1]",
            "no learning outcome 3",
        ),
        (
            {"assessments": [{"type": "project", "outcomes": [0]}]},
            "assessments[0].outcomes[0]",
            "greater than",
        ),
        ({"assessments": [{"type": "quiz night"}]}, "assessments[0].type", "valid choice"),
        ({"assessments": [{"type": "project", "weight": "150"}]}, "assessments[0].weight", "100"),
        ({"modules": [{"title": "M", "outcomes": [5]}]}, "modules[0].outcomes[0]", "no learning outcome 5"),
        (
            {"pathways": [{"kind": "stacks into", "external_award": ["a list"]}]},
            "pathways[0].external_award",
            "string",
        ),
        ({"pathways": [{"kind": "stacks into"}]}, "pathways[0].external_award", "Name the award"),
    ],
)
def test_it_refuses_a_bad_draft_change_and_writes_nothing(
    world, change: dict[str, Any], path: str, words: str
):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    before_document = client.get(f"/api/versions/{version.pk}/").json()
    before = stored()

    response = client.patch(f"/api/versions/{version.pk}/", {"lock_version": 1, **change}, format="json")

    assert response.status_code == 400, response.json()
    errors = errors_of(response)
    assert path in errors, errors
    assert words.lower() in " ".join(errors[path]).lower(), errors[path]
    assert stored() == before
    assert client.get(f"/api/versions/{version.pk}/").json() == before_document


def test_it_refuses_a_write_without_lock_version(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    before = stored()

    response = client.patch(f"/api/versions/{version.pk}/", {"title": "No lock"}, format="json")

    assert response.status_code == 400
    assert "lock_version" in errors_of(response)
    assert stored() == before
    version.refresh_from_db()
    assert (version.title, version.lock_version) == ("Practical data analysis", 1)


def test_it_refuses_a_body_larger_than_the_server_accepts(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "summary": MEGABYTE * 3}, format="json"
    )

    assert response.status_code == 413
    assert "2 MB" in response.json()["detail"]
    version.refresh_from_db()
    assert version.lock_version == 1


def test_it_refuses_a_put_without_a_title(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    before = stored()

    response = client.put(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "summary": "No title"}, format="json"
    )

    assert response.status_code == 400
    assert "title" in errors_of(response)
    assert stored() == before


def test_it_refuses_a_body_that_is_not_a_json_object(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.patch(f"/api/versions/{version.pk}/", [1, 2, 3], format="json")

    assert response.status_code == 400
    assert "__all__" in errors_of(response)


def test_it_refuses_a_body_that_is_not_json(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.generic(
        "PATCH", f"/api/versions/{version.pk}/", "title=x&lock_version=1", "application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    version.refresh_from_db()
    assert version.lock_version == 1


NEW_MICRO_CREDENTIAL = {"code": "NEW-1", "title": "A new micro-credential"}


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ({"title": None}, "title", "required"),
        ({"title": ""}, "title", "blank"),
        ({"code": ""}, "code", "blank"),
        ({"code": "MC-TAKEN"}, "code", "already has"),
        ({"organisation": 999_999}, "organisation", "does not exist"),
        ({"credit_system": "ECTS", "credits": "500"}, "credits", "at most 60"),
        ({"eqf_level": 9}, "eqf_level", "1 to 8"),
        ({"field_of_study": "12345"}, "field_of_study", "4 characters"),
        ({"field_of_study": "0000"}, "field_of_study", "ISCED"),
        (
            {
                "learning_outcomes": [{"text": "Only one."}],
                "assessments": [{"type": "essay", "outcomes": [2]}],
            },
            "assessments[0].outcomes[0]",
            "no learning outcome 2",
        ),
    ],
)
def test_it_refuses_a_bad_new_micro_credential_and_writes_nothing(
    world, body: dict[str, Any], path: str, words: str
):
    make_version(world.home, code="MC-TAKEN")
    client = client_for(world.user("proposer"))
    before = stored()

    data = {"organisation": world.home.pk, **NEW_MICRO_CREDENTIAL, **body}
    data = {k: v for k, v in data.items() if v is not None}  # None: leave the key out
    response = client.post("/api/micro-credentials/", data, format="json")

    assert response.status_code == 400, response.json()
    errors = errors_of(response)
    assert path in errors, errors
    assert words.lower() in " ".join(errors[path]).lower(), errors[path]
    assert stored() == before


NEW_ORGANISATION = {
    "name": "Institute of Testing",
    "kind": "alternative_provider",
    "locations": [{"country": "IE", "city": "Cork", "is_legal_seat": True}],
}


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        (
            {"locations": [{"country": "XX", "city": "Nowhere", "is_legal_seat": True}]},
            "locations[0].country",
            "country",
        ),
        ({"locations": [{"country": "IE", "city": "Cork"}]}, "locations", "legal seat"),
        ({"locations": []}, "locations", "at least one"),
        (
            {"locations": [{"country": "IE", "city": "Cork", "is_legal_seat": True, "latitude": "91"}]},
            "locations[0].latitude",
            "90",
        ),
        ({"kind": "university"}, "kind", "valid choice"),
        ({"name": ""}, "name", "blank"),
        ({"qf_ehea_levels": ["first cycle", "fourth cycle"]}, "qf_ehea_levels[1]", "valid choice"),
        ({"founding_date": "2020-01-01", "closure_date": "2019-01-01"}, "closure_date", "before"),
        ({"identifiers": [{"resource": "WHED", "value": ""}]}, "identifiers[0].value", "blank"),
    ],
)
def test_it_refuses_a_bad_organisation_and_writes_nothing(world, body: dict[str, Any], path: str, words: str):
    client = client_for(world.admin)
    before = stored()

    response = client.post("/api/organisations/", {**NEW_ORGANISATION, **body}, format="json")

    assert response.status_code == 400, response.json()
    errors = errors_of(response)
    assert path in errors, errors
    assert words.lower() in " ".join(errors[path]).lower(), errors[path]
    assert stored() == before


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"website": "not a web address"}, "website"),
        ({"founding_date": 2020}, "founding_date"),
        ({"slug": "new-slug"}, "slug"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_it_refuses_a_bad_organisation_change_and_writes_nothing(world, change: dict[str, Any], path: str):
    client = client_for(world.user("org_admin"))
    before = stored()

    response = client.patch(
        f"/api/organisations/{world.home.pk}/", {"lock_version": 1, **change}, format="json"
    )

    assert response.status_code == 400, response.json()
    assert path in errors_of(response)
    assert stored() == before
    world.home.refresh_from_db()
    assert world.home.lock_version == 1
