"""GET /micro-credentials/<id>/elm.jsonld: the published version as ELM JSON-LD, public."""

from __future__ import annotations

from ..factories import make_version


def test_anyone_gets_the_published_version_as_json_ld(world, client):
    version = make_version(world.home, status="published")
    response = client.get(f"/micro-credentials/{version.micro_credential_id}/elm.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json()["title"] == {"en": version.title}


def test_an_unpublished_micro_credential_is_not_found_even_for_its_members(world, client):
    draft = make_version(world.home, status="draft")
    client.force_login(world.user("proposer"))
    assert client.get(f"/micro-credentials/{draft.micro_credential_id}/elm.jsonld").status_code == 404
    assert client.get("/micro-credentials/999999/elm.jsonld").status_code == 404
    assert client.post(f"/micro-credentials/{draft.micro_credential_id}/elm.jsonld").status_code == 405
