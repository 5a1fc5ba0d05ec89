"""Two people edit the same record: the first write wins, the second is told (409) and changes nothing."""

from __future__ import annotations

from ..factories import make_version
from .conftest import client_for


def test_it_refuses_the_second_of_two_writes_from_the_same_revision(world):
    version = make_version(world.home)
    alice, bob = client_for(world.user("proposer")), client_for(world.user("qa_officer"))
    read_by_alice = alice.get(f"/api/versions/{version.pk}/").json()
    read_by_bob = bob.get(f"/api/versions/{version.pk}/").json()
    assert read_by_alice["lock_version"] == read_by_bob["lock_version"] == 1

    first = alice.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "Alice's title"}, format="json"
    )
    second = bob.patch(
        f"/api/versions/{version.pk}/",
        {"lock_version": 1, "title": "Bob's title", "summary": "Bob's summary"},
        format="json",
    )

    assert first.status_code == 200
    assert second.status_code == 409
    conflict = second.json()
    assert conflict["lock_version"] == 2
    assert "changed by someone else" in conflict["detail"]
    assert conflict["current"]["title"] == "Alice's title"
    assert conflict["current"]["lock_version"] == 2
    assert len(conflict["current"]["learning_outcomes"]) == 2
    version.refresh_from_db()
    assert (version.title, version.summary, version.lock_version) == (
        "Alice's title",
        read_by_alice["summary"],
        2,
    )


def test_it_accepts_the_second_write_once_it_is_based_on_the_current_revision(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    client.patch(f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "First"}, format="json")

    conflict = client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "Second"}, format="json"
    )
    retried = client.patch(
        f"/api/versions/{version.pk}/",
        {"lock_version": conflict.json()["lock_version"], "title": "Second"},
        format="json",
    )

    assert retried.status_code == 200
    assert retried.json()["title"] == "Second"
    assert retried.json()["lock_version"] == 3


def test_it_refuses_a_stale_put(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    document = client.get(f"/api/versions/{version.pk}/").json()
    client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "Changed meanwhile"}, format="json"
    )

    response = client.put(f"/api/versions/{version.pk}/", {**document, "summary": "Mine"}, format="json")

    assert response.status_code == 409
    version.refresh_from_db()
    assert version.summary == document["summary"]


def test_it_refuses_to_submit_a_revision_that_is_not_the_latest(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    client.patch(
        f"/api/versions/{version.pk}/", {"lock_version": 1, "title": "Changed meanwhile"}, format="json"
    )

    response = client.post(f"/api/versions/{version.pk}/submit/", {"lock_version": 1}, format="json")

    assert response.status_code == 409
    version.refresh_from_db()
    assert version.status == "draft"


def test_it_refuses_a_stale_organisation_change(world):
    first, second = client_for(world.user("org_admin")), client_for(world.admin)
    first.patch(f"/api/organisations/{world.home.pk}/", {"lock_version": 1, "acronym": "UH"}, format="json")

    response = second.patch(
        f"/api/organisations/{world.home.pk}/", {"lock_version": 1, "acronym": "HOME"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"]["acronym"] == "UH"
    assert response.json()["lock_version"] == 2
    world.home.refresh_from_db()
    assert world.home.acronym == "UH"
