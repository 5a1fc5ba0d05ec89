from __future__ import annotations

from credence.microcredentials import services
from tests.factories import make_version


def _events(response) -> list:
    return list(response.context["page"].object_list)


def test_qa_officer_sees_the_events_of_their_organisation_only(client_for, world, draft):
    make_version(world.other, code="OTHER-1")
    response = client_for(world.user("qa_officer")).get("/audit/")
    assert response.status_code == 200
    events = _events(response)
    assert events
    assert {e.organisation_id for e in events} == {world.home.pk}


def test_org_admin_may_read_the_audit_log(client_for, world, draft):
    assert client_for(world.user("org_admin")).get("/audit/").status_code == 200


def test_other_roles_may_not(client_for, world, draft):
    for user in (world.user("proposer"), world.user("reviewer"), world.user("approver"), world.nobody):
        assert client_for(user).get("/audit/").status_code == 403


def test_platform_admin_sees_every_organisation(client_for, world, draft):
    make_version(world.other, code="OTHER-1")
    response = client_for(world.admin).get("/audit/")
    assert {world.home.pk, world.other.pk} <= {e.organisation_id for e in _events(response)}
    assert "organisation" in response.context["form"].fields


def test_filters_by_action_object_and_actor(client_for, world, draft):
    proposer = world.user("proposer")
    services.update_draft(actor=proposer, version=draft, data={"summary": "Shorter."}, lock_version=None)
    client = client_for(world.user("qa_officer"))
    by_action = _events(client.get("/audit/?action=version.updated"))
    assert [e.action for e in by_action] == ["version.updated"]
    by_object = _events(
        client.get(f"/audit/?object_type=microcredentials.microcredentialversion&object_id={draft.pk}")
    )
    assert by_object and all(e.object_id == str(draft.pk) for e in by_object)
    by_actor = _events(client.get("/audit/?actor=home_prop"))
    assert [e.actor_label for e in by_actor] == ["home_proposer"]


def test_shows_the_field_level_difference(client_for, world, draft):
    services.update_draft(
        actor=world.user("proposer"),
        version=draft,
        data={"summary": "A <b>shorter</b> summary."},
        lock_version=None,
    )
    html = client_for(world.user("qa_officer")).get("/audit/?action=version.updated").content.decode()
    assert "<dt>summary</dt>" in html
    assert "<ins>A &lt;b&gt;shorter&lt;/b&gt; summary.</ins>" in html or "&lt;b&gt;shorter&lt;/b&gt;" in html
    assert "<b>shorter</b>" not in html


def test_audit_table_has_header_cells_with_scope(client_for, world, draft):
    html = client_for(world.user("qa_officer")).get("/audit/").content.decode()
    assert '<th scope="col">When</th>' in html
    assert "<caption>" in html


def test_changes_to_outcomes_are_shown_item_by_item(client_for, world, draft):
    first = draft.learning_outcomes.order_by("order").first()
    services.change_part(
        actor=world.user("proposer"),
        version=draft,
        kind="learning_outcomes",
        update=(first.pk, {"text": "Clean and plot a data set."}),
    )
    html = client_for(world.user("qa_officer")).get("/audit/?action=version.updated").content.decode()
    assert "Changed #1" in html
    assert "<ins>plot</ins>" in html
    assert "Changed #2" not in html  # the unchanged outcome is not repeated
