"""The audit log through the API: read-only, and only the events a person may see."""

from __future__ import annotations

from ..factories import make_version
from .conftest import client_for


def organisations_in(response) -> set[int | None]:
    return {event["organisation"] for event in response.json()["results"]}


def test_it_shows_qa_officers_and_admins_only_their_organisations_events(world):
    make_version(world.other)

    for role in ("qa_officer", "org_admin"):
        response = client_for(world.user(role)).get("/api/audit-events/")
        assert response.status_code == 200
        assert organisations_in(response) == {world.home.pk}


def test_it_shows_other_members_no_events(world):
    make_version(world.home)

    for reader in (world.user("proposer"), world.user("approver"), world.nobody):
        assert client_for(reader).get("/api/audit-events/").json()["count"] == 0


def test_it_shows_platform_admins_every_event(world):
    make_version(world.other)

    response = client_for(world.admin).get("/api/audit-events/?page_size=100")

    assert {world.home.pk, world.other.pk} <= organisations_in(response)


def test_it_refuses_anonymous_readers(world):
    assert client_for(None).get("/api/audit-events/").status_code in (401, 403)


def test_it_answers_404_for_another_organisations_event(world):
    version = make_version(world.other)
    client = client_for(world.admin)
    [event] = client.get(
        f"/api/audit-events/?object_type=microcredentials.microcredential&object_id={version.micro_credential_id}"
    ).json()["results"]

    assert client_for(world.outsider_qa).get(f"/api/audit-events/{event['id']}/").status_code == 200
    assert client_for(world.user("qa_officer")).get(f"/api/audit-events/{event['id']}/").status_code == 404


def test_it_filters_events_by_object_and_action_and_orders_them(world):
    version = make_version(world.home, status="published")
    client = client_for(world.user("qa_officer"))

    response = client.get(
        f"/api/audit-events/?object_type=microcredentials.microcredentialversion&object_id={version.pk}"
        "&ordering=sequence"
    )

    actions = [event["action"] for event in response.json()["results"]]
    assert actions == ["version.submitted", "version.approved", "version.published"]
    only = client.get("/api/audit-events/?action=version.approved").json()["results"]
    assert [event["object_id"] for event in only] == [str(version.pk)]


def test_it_does_not_let_anyone_change_an_event(world):
    make_version(world.home)
    client = client_for(world.admin)
    event = client.get("/api/audit-events/").json()["results"][0]

    assert (
        client.patch(f"/api/audit-events/{event['id']}/", {"action": "x"}, format="json").status_code == 405
    )
    assert client.delete(f"/api/audit-events/{event['id']}/").status_code == 405
    assert client.get(f"/api/audit-events/{event['id']}/").json() == event
