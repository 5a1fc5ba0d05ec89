from __future__ import annotations

from credence.microcredentials import services
from credence.organisations import services as org_services
from tests.factories import make_version


def _panels(response) -> dict[str, list]:
    return {panel.slug: panel.versions for panel in response.context["panels"]}


def test_proposer_sees_own_drafts_on_home(client_for, world, draft):
    response = client_for(world.user("proposer")).get("/")
    panels = _panels(response)
    assert [v.pk for v in panels["drafts"]] == [draft.pk]
    assert f'href="/versions/{draft.pk}/edit/"' in response.content.decode()


def test_proposer_does_not_see_others_drafts_as_theirs(client_for, world, draft):
    theirs = services.create_micro_credential(
        actor=world.user("org_admin"), organisation=world.home, code="THEIRS", title="Someone else's"
    )
    panels = _panels(client_for(world.user("proposer")).get("/"))
    assert theirs.pk not in [v.pk for v in panels["drafts"]]
    assert draft.pk in [v.pk for v in panels["drafts"]]


def test_proposer_sees_own_versions_in_review(client_for, world, draft):
    services.submit_version(actor=world.user("proposer"), version=draft)
    panels = _panels(client_for(world.user("proposer")).get("/"))
    assert [v.pk for v in panels["submitted"]] == [draft.pk]
    assert panels["drafts"] == []


def test_approver_sees_versions_waiting_for_approval(client_for, world):
    in_review = make_version(world.home, status="in_review", code="REV-1")
    make_version(world.other, status="in_review", code="REV-OTHER")
    response = client_for(world.user("approver")).get("/")
    assert [v.pk for v in _panels(response)["to-approve"]] == [in_review.pk]
    assert "Waiting for your approval" in response.content.decode()


def test_qa_officer_sees_approved_versions_and_recent_events(client_for, world):
    approved = make_version(world.home, status="approved", code="APP-1", title="Approved thing")
    make_version(world.other, status="approved", code="APP-OTHER")
    response = client_for(world.user("qa_officer")).get("/")
    assert [v.pk for v in _panels(response)["to-publish"]] == [approved.pk]
    events = list(response.context["events"])
    assert events and all(e.organisation_id == world.home.pk for e in events)
    assert "Recent activity" in response.content.decode()


def test_org_admin_sees_the_same_as_a_qa_officer(client_for, world):
    make_version(world.home, status="approved", code="APP-1")
    response = client_for(world.user("org_admin")).get("/")
    assert len(_panels(response)["to-publish"]) == 1
    assert response.context["events"] is not None


def test_reviewer_and_committee_see_versions_in_review(client_for, world):
    in_review = make_version(world.home, status="in_review", code="REV-1")
    for role in ("reviewer", "committee_secretary", "committee_member"):
        response = client_for(world.user(role)).get("/")
        assert [v.pk for v in _panels(response)["in-review"]] == [in_review.pk], role
        assert response.context["events"] is None


def test_panels_say_so_when_nothing_needs_the_person(client_for, world):
    html = client_for(world.user("approver")).get("/").content.decode()
    assert "No version is waiting for approval." in html


def test_person_without_membership_gets_a_friendly_explanation(client_for, world):
    response = client_for(world.nobody).get("/")
    assert response.status_code == 200
    assert "not a member of any organisation" in response.content.decode()


def test_anonymous_visitor_sees_public_landing(client, world, published, draft):
    response = client.get("/")
    html = response.content.decode()
    assert 'href="/micro-credentials/"' in html
    assert 'href="/accounts/login/"' in html
    assert published.title in html
    assert draft.title not in html


def test_platform_admin_without_membership_sees_every_organisation(client_for, world):
    make_version(world.home, status="approved", code="APP-1")
    make_version(world.other, status="approved", code="APP-2")
    response = client_for(world.admin).get("/")
    assert len(_panels(response)["to-publish"]) == 2
    assert 'href="/admin/"' in response.content.decode()


def test_home_follows_the_active_organisation(client_for, world):
    user = world.user("approver")
    org_services.add_member(actor=None, organisation=world.other, email=user.email, roles=["reviewer"])
    make_version(world.home, status="in_review", code="REV-HOME")
    theirs = make_version(world.other, status="in_review", code="REV-OTHER")
    client = client_for(user)
    client.post("/organisation/switch/", {"organisation": world.other.pk})
    panels = _panels(client.get("/"))
    assert "to-approve" not in panels
    assert [v.pk for v in panels["in-review"]] == [theirs.pk]
