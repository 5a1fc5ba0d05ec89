"""Moving a version through its life with the API: submit, approve, publish, retire, start again."""

from __future__ import annotations

from ..factories import make_version
from .conftest import client_for, errors_of


def post(client, version_id: int, step: str, body: dict | None = None):
    return client.post(f"/api/versions/{version_id}/{step}/", body or {}, format="json")


def test_it_takes_a_draft_all_the_way_to_published(world):
    version = make_version(world.home)
    proposer = client_for(world.user("proposer"))
    approver = client_for(world.user("approver"))
    qa = client_for(world.user("qa_officer"))

    submitted = post(proposer, version.pk, "submit", {"lock_version": 1})
    approved = post(approver, version.pk, "approve")
    published = post(qa, version.pk, "publish")

    assert [r.status_code for r in (submitted, approved, published)] == [200, 200, 200]
    assert [r.json()["status"] for r in (submitted, approved, published)] == [
        "in_review",
        "approved",
        "published",
    ]
    assert published.json()["published_at"] is not None
    micro_credential = client_for(None).get(f"/api/micro-credentials/{version.micro_credential_id}/").json()
    assert micro_credential["published_version"] == version.pk


def test_it_supersedes_the_published_version_when_the_next_is_published(world):
    first = make_version(world.home, status="published")
    client = client_for(world.user("qa_officer"))
    second = client.post(f"/api/micro-credentials/{first.micro_credential_id}/new-version/").json()
    post(client, second["id"], "submit")
    post(client_for(world.user("approver")), second["id"], "approve")

    published = post(client, second["id"], "publish")

    assert published.status_code == 200
    assert client.get(f"/api/versions/{first.pk}/").json()["status"] == "superseded"
    public = client_for(None).get(f"/api/micro-credentials/{first.micro_credential_id}/").json()
    assert public["published_version"] == second["id"]
    assert public["latest_version"]["number"] == 2


def test_it_starts_a_new_draft_copied_from_the_latest_version(world):
    published = make_version(world.home, status="published", title="Version one")
    client = client_for(world.user("proposer"))

    response = client.post(f"/api/micro-credentials/{published.micro_credential_id}/new-version/")

    assert response.status_code == 201
    draft = response.json()
    assert (draft["number"], draft["status"], draft["title"]) == (2, "draft", "Version one")
    old = client.get(f"/api/versions/{published.pk}/").json()
    assert [o["key"] for o in draft["learning_outcomes"]] == [o["key"] for o in old["learning_outcomes"]]
    assert [o["id"] for o in draft["learning_outcomes"]] != [o["id"] for o in old["learning_outcomes"]]


def test_it_refuses_a_second_draft(world):
    draft = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.post(f"/api/micro-credentials/{draft.micro_credential_id}/new-version/")

    assert response.status_code == 400
    assert "already a draft" in errors_of(response)["status"][0]
    assert client.get(f"/api/micro-credentials/{draft.micro_credential_id}/versions/").json()["count"] == 1


def test_it_refuses_to_approve_a_draft(world):
    version = make_version(world.home)

    response = post(client_for(world.user("approver")), version.pk, "approve")

    assert response.status_code == 400
    assert "status" in errors_of(response)


def test_it_lets_only_approvers_approve(world):
    version = make_version(world.home, status="in_review")

    response = post(client_for(world.user("qa_officer")), version.pk, "approve")

    assert response.status_code == 403
    version.refresh_from_db()
    assert version.status == "in_review"


def test_it_retires_a_published_version_with_a_reason(world):
    version = make_version(world.home, status="published")
    client = client_for(world.user("org_admin"))

    response = post(client, version.pk, "retire", {"reason": "Replaced by the new data science course."})

    assert response.status_code == 200
    assert response.json()["status"] == "retired"
    assert response.json()["retirement_reason"] == "Replaced by the new data science course."
    assert client_for(None).get(f"/api/versions/{version.pk}/").status_code == 404


def test_it_needs_a_reason_to_retire(world):
    version = make_version(world.home, status="published")
    client = client_for(world.user("org_admin"))

    missing = post(client, version.pk, "retire", {})
    blank = post(client, version.pk, "retire", {"reason": "   "})

    assert missing.status_code == blank.status_code == 400
    assert "reason" in errors_of(missing) and "reason" in errors_of(blank)
    version.refresh_from_db()
    assert version.status == "published"


def test_it_lists_the_versions_of_a_micro_credential_newest_first(world):
    first = make_version(world.home, status="published")
    client = client_for(world.user("proposer"))
    client.post(f"/api/micro-credentials/{first.micro_credential_id}/new-version/")

    mine = client.get(f"/api/micro-credentials/{first.micro_credential_id}/versions/").json()
    public = client_for(None).get(f"/api/micro-credentials/{first.micro_credential_id}/versions/").json()

    assert [(v["number"], v["status"]) for v in mine["results"]] == [(2, "draft"), (1, "published")]
    assert [(v["number"], v["status"]) for v in public["results"]] == [(1, "published")]
