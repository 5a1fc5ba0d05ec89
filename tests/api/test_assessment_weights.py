"""Weights that do not add up to 100 %: a warning while drafting, an error at submission."""

from __future__ import annotations

from ..factories import make_version
from .conftest import client_for, errors_of

UNEVEN = [
    {"type": "project", "weight": "50", "outcomes": [1, 2]},
    {"type": "online test", "weight": "40", "outcomes": [1]},
]


def test_it_saves_a_draft_whose_weights_do_not_add_up_and_warns(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    saved = client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "assessments": UNEVEN}, format="json"
    )
    warnings = client.get(f"/api/versions/{version.pk}/warnings/")

    assert saved.status_code == 200, saved.json()
    assert warnings.status_code == 200
    body = warnings.json()
    assert "add up to 90" in " ".join(body["warnings"]["assessments"])
    assert "assessments" in body["submission_problems"]


def test_it_warns_about_an_assessment_aligned_to_no_outcome(world):
    version = make_version(world.home, assessments=[{"type": "essay", "weight": "100"}])

    body = client_for(world.user("proposer")).get(f"/api/versions/{version.pk}/warnings/").json()

    assert "assessments[0].outcomes" in body["warnings"]
    assert body["submission_problems"] == {}


def test_it_has_nothing_to_say_about_a_complete_draft(world):
    version = make_version(world.home)

    body = client_for(world.user("proposer")).get(f"/api/versions/{version.pk}/warnings/").json()

    assert body == {"warnings": {}, "submission_problems": {}}


def test_it_refuses_to_submit_while_the_weights_do_not_add_up(world):
    version = make_version(world.home, assessments=UNEVEN)
    client = client_for(world.user("proposer"))

    response = client.post(f"/api/versions/{version.pk}/submit/", {}, format="json")

    assert response.status_code == 400
    assert "add up to 90" in " ".join(errors_of(response)["assessments"])
    version.refresh_from_db()
    assert version.status == "draft"
