"""Micro-credentials: who sees which, what a listing says about each, and their partners."""

from __future__ import annotations

from credence.microcredentials.models import Partnership

from ..factories import make_version
from .conftest import client_for, errors_of, stored


def codes(response) -> list[str]:
    return sorted(item["code"] for item in response.json()["results"])


def test_it_shows_the_public_only_micro_credentials_with_a_published_version(world):
    make_version(world.home, code="HOME-DRAFT")
    make_version(world.home, status="published", code="HOME-PUB")
    make_version(world.other, code="OTHER-DRAFT")
    make_version(world.other, status="in_review", code="OTHER-REVIEW")

    assert codes(client_for(None).get("/api/micro-credentials/")) == ["HOME-PUB"]
    assert codes(client_for(world.nobody).get("/api/micro-credentials/")) == ["HOME-PUB"]
    assert codes(client_for(world.user("reviewer")).get("/api/micro-credentials/")) == [
        "HOME-DRAFT",
        "HOME-PUB",
    ]
    assert codes(client_for(world.outsider).get("/api/micro-credentials/")) == [
        "HOME-PUB",
        "OTHER-DRAFT",
        "OTHER-REVIEW",
    ]
    assert len(codes(client_for(world.admin).get("/api/micro-credentials/"))) == 4


def test_it_answers_404_for_another_organisations_unpublished_micro_credential(world):
    draft = make_version(world.other)

    response = client_for(world.user("org_admin")).get(f"/api/micro-credentials/{draft.micro_credential_id}/")

    assert response.status_code == 404


def test_it_summarises_the_latest_version_each_reader_may_see(world):
    published = make_version(world.home, status="published", title="Published title")
    member = client_for(world.user("proposer"))
    draft = member.post(f"/api/micro-credentials/{published.micro_credential_id}/new-version/").json()
    member.patch(f"/api/versions/{draft['id']}/", {"lock_version": 1, "title": "Draft title"}, format="json")
    url = f"/api/micro-credentials/{published.micro_credential_id}/"

    for_member = member.get(url).json()
    for_public = client_for(None).get(url).json()

    assert for_member["latest_version"]["title"] == "Draft title"
    assert for_member["latest_version"]["status"] == "draft"
    assert for_public["latest_version"]["title"] == "Published title"
    assert for_member["published_version"] == for_public["published_version"] == published.pk
    assert for_public["organisation"] == {
        "id": world.home.pk,
        "slug": "university-of-home",
        "name": "University of Home",
        "acronym": "UoH",
    }


def test_it_filters_by_organisation_and_published(world):
    make_version(world.home, code="H-DRAFT")
    make_version(world.home, status="published", code="H-PUB")
    make_version(world.other, status="published", code="O-PUB")
    client = client_for(world.user("proposer"))

    assert codes(client.get(f"/api/micro-credentials/?organisation={world.home.pk}")) == ["H-DRAFT", "H-PUB"]
    assert codes(client.get("/api/micro-credentials/?published=true")) == ["H-PUB", "O-PUB"]
    assert codes(client.get("/api/micro-credentials/?published=false")) == ["H-DRAFT"]
    assert codes(client.get("/api/micro-credentials/?search=O-P")) == ["O-PUB"]


def test_it_refuses_to_create_in_an_organisation_the_user_does_not_belong_to(world):
    before = stored()

    response = client_for(world.user("proposer")).post(
        "/api/micro-credentials/",
        {"organisation": world.other.pk, "code": "X-1", "title": "Mine?"},
        format="json",
    )

    assert response.status_code == 403
    assert stored() == before


def test_it_adds_and_removes_a_partner(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    url = f"/api/micro-credentials/{version.micro_credential_id}/"

    added = client.post(
        url + "partners/", {"organisation": world.other.pk, "role": "co-provider"}, format="json"
    )

    assert added.status_code == 201, added.json()
    assert added.json()["organisation"]["id"] == world.other.pk
    assert client.get(url).json()["partners"] == [added.json()]

    removed = client.delete(url + f"partners/{added.json()['id']}/")

    assert removed.status_code == 204
    assert client.get(url).json()["partners"] == []


def test_it_refuses_the_same_partner_twice_in_the_same_role(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    url = f"/api/micro-credentials/{version.micro_credential_id}/partners/"
    client.post(url, {"organisation": world.other.pk, "role": "co-provider"}, format="json")

    again = client.post(url, {"organisation": world.other.pk, "role": "co-provider"}, format="json")

    assert again.status_code == 400
    assert Partnership.objects.count() == 1


def test_it_refuses_an_unknown_partner_or_role(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    url = f"/api/micro-credentials/{version.micro_credential_id}/partners/"

    response = client.post(url, {"organisation": 999_999, "role": "sponsor"}, format="json")

    assert response.status_code == 400
    assert set(errors_of(response)) == {"organisation", "role"}
    assert Partnership.objects.count() == 0


def test_it_answers_404_for_a_partner_of_another_micro_credential(world):
    mine = make_version(world.home)
    other = make_version(world.home)
    client = client_for(world.user("proposer"))
    partner = client.post(
        f"/api/micro-credentials/{other.micro_credential_id}/partners/",
        {"organisation": world.other.pk, "role": "co-provider"},
        format="json",
    ).json()

    response = client.delete(f"/api/micro-credentials/{mine.micro_credential_id}/partners/{partner['id']}/")

    assert response.status_code == 404
    assert Partnership.objects.count() == 1
