"""Reading versions: the whole document, who may see which, filtering, ordering and paging."""

from __future__ import annotations

from credence.microcredentials.models import DESCRIPTIVE_FIELDS

from ..factories import make_version
from .conftest import client_for, errors_of


def test_it_returns_the_whole_document(world):
    version = make_version(world.home)

    body = client_for(world.user("reviewer")).get(f"/api/versions/{version.pk}/").json()

    assert set(DESCRIPTIVE_FIELDS) <= set(body)
    assert {"learning_outcomes", "assessments", "modules", "pathways"} <= set(body)
    assert (body["id"], body["number"], body["status"], body["lock_version"]) == (version.pk, 1, "draft", 1)
    assert body["micro_credential"] == version.micro_credential_id
    assert body["organisation"] == world.home.pk
    assert [o["number"] for o in body["learning_outcomes"]] == [1, 2]
    assert [a["outcomes"] for a in body["assessments"]] == [[1, 2], [1]]
    assert body["modules"][0]["outcomes"] == [1]
    assert body["credits"] == "5.00" and body["eqf_level"] == 6 and body["languages"] == ["en"]


def test_it_answers_404_for_another_organisations_draft(world):
    for status in ("draft", "in_review", "approved"):
        version = make_version(world.other, status=status)
        for reader in (None, world.nobody, world.user("org_admin"), world.user("qa_officer")):
            assert client_for(reader).get(f"/api/versions/{version.pk}/").status_code == 404


def test_it_shows_anyone_a_published_version(world):
    version = make_version(world.other, status="published")

    for reader in (None, world.nobody, world.user("proposer")):
        response = client_for(reader).get(f"/api/versions/{version.pk}/")
        assert response.status_code == 200
        assert response.json()["title"] == "Practical data analysis"


def test_it_lists_only_versions_the_reader_may_see(world):
    mine = make_version(world.home)
    theirs = make_version(world.other)
    public = make_version(world.other, status="published")

    listed = client_for(world.user("proposer")).get("/api/versions/").json()
    anonymous = client_for(None).get("/api/versions/").json()

    assert {v["id"] for v in listed["results"]} == {mine.pk, public.pk}
    assert theirs.pk not in {v["id"] for v in listed["results"]}
    assert [v["id"] for v in anonymous["results"]] == [public.pk]


def test_it_filters_versions(world):
    draft = make_version(world.home)
    published = make_version(world.home, status="published")
    other = make_version(world.other, status="published")
    client = client_for(world.user("proposer"))

    def ids(query: str) -> set[int]:
        return {v["id"] for v in client.get(f"/api/versions/?{query}").json()["results"]}

    assert ids("status=draft") == {draft.pk}
    assert ids("status=draft&status=published") == {draft.pk, published.pk, other.pk}
    assert ids(f"organisation={world.other.pk}") == {other.pk}
    assert ids(f"micro_credential={published.micro_credential_id}") == {published.pk}


def test_it_refuses_an_unknown_status_filter(world):
    response = client_for(None).get("/api/versions/?status=lost")

    assert response.status_code == 400
    assert "status" in errors_of(response)


def test_it_orders_and_pages_versions(world):
    for n in range(3):
        make_version(world.home, title=f"Course {n}", status="published")
    client = client_for(None)

    by_title = client.get("/api/versions/?ordering=-title").json()
    first_page = client.get("/api/versions/?ordering=title&page_size=2").json()
    second_page = client.get(first_page["next"]).json()

    assert [v["title"] for v in by_title["results"]] == ["Course 2", "Course 1", "Course 0"]
    assert first_page["count"] == 3
    assert [v["title"] for v in first_page["results"]] == ["Course 0", "Course 1"]
    assert [v["title"] for v in second_page["results"]] == ["Course 2"]
    assert second_page["next"] is None
    assert client.get("/api/versions/?page=3&page_size=2").status_code == 404
