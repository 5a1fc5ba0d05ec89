"""Show changes between two versions: GET /api/versions/<id>/diff/?against=<other id>."""

from __future__ import annotations

from ..factories import make_version
from .conftest import client_for, errors_of


def two_versions(world):
    first = make_version(world.home, status="published", title="Data analysis")
    client = client_for(world.user("proposer"))
    draft = client.post(f"/api/micro-credentials/{first.micro_credential_id}/new-version/").json()
    outcomes = draft["learning_outcomes"]
    client.patch(
        f"/api/versions/{draft['id']}/",
        {
            "lock_version": draft["lock_version"],
            "title": "Data analysis at work",
            "learning_outcomes": [
                {"id": outcomes[0]["id"], "text": "Clean, describe and chart a data set."},
                {"id": outcomes[1]["id"], "text": outcomes[1]["text"]},
                {"text": "Present findings to a non-specialist audience."},
            ],
        },
        format="json",
    )
    return client, first, draft


def test_it_shows_what_changed_from_the_older_to_the_newer_version(world):
    client, first, draft = two_versions(world)

    response = client.get(f"/api/versions/{draft['id']}/diff/?against={first.pk}")

    assert response.status_code == 200
    diff = response.json()
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert [(f["field"], f["old"], f["new"]) for f in diff["fields"]] == [
        ("title", "Data analysis", "Data analysis at work")
    ]
    assert [(c["change"], c["old_number"], c["new_number"]) for c in diff["learning_outcomes"]] == [
        ("changed", 1, 1),
        ("added", None, 3),
    ]
    assert diff["assessments"] == diff["modules"] == diff["pathways"] == []


def test_it_puts_the_older_version_first_whichever_order_is_asked(world):
    client, first, draft = two_versions(world)

    forwards = client.get(f"/api/versions/{draft['id']}/diff/?against={first.pk}").json()
    backwards = client.get(f"/api/versions/{first.pk}/diff/?against={draft['id']}").json()

    assert forwards == backwards


def test_it_needs_the_version_to_compare_with(world):
    client, first, _ = two_versions(world)

    missing = client.get(f"/api/versions/{first.pk}/diff/")
    garbled = client.get(f"/api/versions/{first.pk}/diff/?against=latest")

    assert missing.status_code == garbled.status_code == 400
    assert "against" in errors_of(missing) and "against" in errors_of(garbled)


def test_it_compares_only_versions_of_the_same_micro_credential(world):
    client, first, _ = two_versions(world)
    unrelated = make_version(world.home, status="published")

    response = client.get(f"/api/versions/{first.pk}/diff/?against={unrelated.pk}")

    assert response.status_code == 400
    assert "same micro-credential" in errors_of(response)["against"][0]


def test_it_does_not_compare_with_a_draft_the_user_may_not_see(world):
    _, first, draft = two_versions(world)
    outsider = client_for(world.outsider)

    assert outsider.get(f"/api/versions/{first.pk}/diff/?against={draft['id']}").status_code == 404
    assert outsider.get(f"/api/versions/{draft['id']}/diff/?against={first.pk}").status_code == 404
