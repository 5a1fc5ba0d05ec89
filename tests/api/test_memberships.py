"""Memberships: who sees whose, and organisation admins giving people roles."""

from __future__ import annotations

from credence.audit.models import AuditEvent
from credence.organisations.models import Membership, User

from .conftest import client_for, errors_of, stored


def usernames(response) -> set[str]:
    return {m["user"]["username"] for m in response.json()["results"]}


def test_it_shows_a_member_only_their_own_membership(world):
    response = client_for(world.user("proposer")).get("/api/memberships/")

    assert usernames(response) == {"home_proposer"}


def test_it_shows_qa_officers_and_admins_their_organisations_members(world):
    for role in ("qa_officer", "org_admin"):
        seen = usernames(client_for(world.user(role)).get("/api/memberships/"))
        assert seen == {f"home_{r}" for r in world.users}
        assert "other_proposer" not in seen


def test_it_shows_platform_admins_everyone_and_anonymous_nobody(world):
    assert usernames(client_for(world.admin).get("/api/memberships/?page_size=100")) >= {
        "home_proposer",
        "other_proposer",
    }
    assert client_for(None).get("/api/memberships/").status_code in (401, 403)


def test_it_answers_404_for_a_membership_the_user_may_not_see(world):
    theirs = Membership.objects.get(user=world.outsider)

    response = client_for(world.user("org_admin")).get(f"/api/memberships/{theirs.pk}/")

    assert response.status_code == 404


def test_it_lets_an_organisation_admin_add_a_person(world):
    response = client_for(world.user("org_admin")).post(
        "/api/memberships/",
        {
            "organisation": world.home.pk,
            "email": "New.Reviewer@Example.org",
            "roles": ["reviewer", "committee_member"],
            "first_name": "Nua",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["email"] == "new.reviewer@example.org"
    assert body["roles"] == ["reviewer", "committee_member"]
    assert body["organisation"]["id"] == world.home.pk
    assert not User.objects.get(email="new.reviewer@example.org").has_usable_password()
    assert AuditEvent.objects.filter(action="membership.created", object_id=str(body["id"])).exists()


def test_it_refuses_a_qa_officer_adding_a_person(world):
    before = stored()

    response = client_for(world.user("qa_officer")).post(
        "/api/memberships/",
        {"organisation": world.home.pk, "email": "someone@example.org", "roles": ["reviewer"]},
        format="json",
    )

    assert response.status_code == 403
    assert stored() == before


def test_it_refuses_an_unknown_role(world):
    before = stored()

    response = client_for(world.user("org_admin")).post(
        "/api/memberships/",
        {"organisation": world.home.pk, "email": "someone@example.org", "roles": ["reviewer", "emperor"]},
        format="json",
    )

    assert response.status_code == 400
    assert "roles[1]" in errors_of(response)
    assert stored() == before


def test_it_changes_a_persons_roles_and_ends_a_membership(world):
    client = client_for(world.user("org_admin"))
    membership = Membership.objects.get(user=world.user("reviewer"))

    changed = client.patch(f"/api/memberships/{membership.pk}/", {"roles": ["approver"]}, format="json")
    ended = client.patch(f"/api/memberships/{membership.pk}/", {"active": False}, format="json")

    assert changed.status_code == 200 and changed.json()["roles"] == ["approver"]
    assert ended.status_code == 200 and ended.json()["active"] is False
    membership.refresh_from_db()
    assert (membership.roles, membership.active) == (["approver"], False)


def test_it_refuses_an_admin_removing_their_own_admin_role(world):
    admin = world.user("org_admin")
    membership = Membership.objects.get(user=admin)

    response = client_for(admin).patch(
        f"/api/memberships/{membership.pk}/", {"roles": ["reviewer"]}, format="json"
    )

    assert response.status_code == 400
    assert "roles" in errors_of(response)
    membership.refresh_from_db()
    assert membership.roles == ["org_admin"]


def test_it_refuses_a_qa_officer_changing_roles_they_can_see(world):
    membership = Membership.objects.get(user=world.user("reviewer"))

    response = client_for(world.user("qa_officer")).patch(
        f"/api/memberships/{membership.pk}/", {"roles": ["approver"]}, format="json"
    )

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.roles == ["reviewer"]
