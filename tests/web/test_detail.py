from __future__ import annotations

from credence.microcredentials import services
from tests.factories import make_version


def test_shows_every_group_of_elements(client_for, world, draft):
    response = client_for(world.user("reviewer")).get(f"/micro-credentials/{draft.micro_credential_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "What it is",
        "Volume",
        "Level",
        "Field of study",
        "Learning and assessment",
        "Support",
        "Quality assurance",
        "Fees and further information",
        "Pathways",
        "Partners",
    ):
        assert f">{heading}</h" in html, heading
    assert "ECTS credits" in html
    assert "0542 Statistics" in html
    assert "EQF level 6" in html
    assert "English" in html


def test_shows_outcomes_and_which_outcomes_each_assessment_assesses(client_for, world, draft):
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{draft.micro_credential_id}/")
        .content.decode()
    )
    assert "Clean and describe a data set with summary statistics." in html
    assert "<td>LO1, LO2</td>" in html  # the project assesses both outcomes
    assert "<td>LO1</td>" in html
    assert "60 %" in html


def test_outsider_gets_404_for_other_org_draft(client_for, world, draft):
    for user in (world.outsider, world.outsider_qa, world.nobody, None):
        response = client_for(user).get(f"/micro-credentials/{draft.micro_credential_id}/")
        assert response.status_code == 404
        assert draft.title not in response.content.decode()


def test_outsider_sees_the_published_version_not_the_new_draft(client_for, world, published):
    draft = services.start_new_version(actor=None, micro_credential=published.micro_credential)
    services.update_draft(actor=None, version=draft, data={"title": "Secret new title"}, lock_version=None)
    response = client_for(world.outsider).get(f"/micro-credentials/{published.micro_credential_id}/")
    html = response.content.decode()
    assert response.context["version"].pk == published.pk
    assert "Secret new title" not in html
    assert [v.number for v in response.context["versions"]] == [1]
    member = client_for(world.user("reviewer")).get(f"/micro-credentials/{published.micro_credential_id}/")
    assert member.context["version"].pk == draft.pk


def test_an_earlier_version_can_be_shown(client_for, world, published):
    services.start_new_version(actor=None, micro_credential=published.micro_credential)
    client = client_for(world.user("reviewer"))
    response = client.get(f"/micro-credentials/{published.micro_credential_id}/?version=1")
    assert response.context["version"].number == 1
    assert "See the latest version" in response.content.decode()
    assert client.get(f"/micro-credentials/{published.micro_credential_id}/?version=9").status_code == 404


def test_script_in_title_is_shown_as_text(client_for, world):
    version = make_version(
        world.home, code="XSS-1", title="<script>alert('t')</script>", summary="<img src=x onerror=alert(1)>"
    )
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{version.micro_credential_id}/")
        .content.decode()
    )
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_proposer_sees_edit_and_submit_for_a_complete_draft(client_for, world, draft):
    response = client_for(world.user("proposer")).get(f"/micro-credentials/{draft.micro_credential_id}/")
    actions = response.context["actions"]
    assert actions["edit"] and actions["submit"]
    assert not actions["approve"] and not actions["publish"] and not actions["new_version"]
    html = response.content.decode()
    assert f'action="/versions/{draft.pk}/submit/"' in html
    assert f'href="/versions/{draft.pk}/edit/"' in html


def test_reviewer_sees_no_lifecycle_buttons(client_for, world, draft):
    response = client_for(world.user("reviewer")).get(f"/micro-credentials/{draft.micro_credential_id}/")
    assert not any(response.context["actions"].values())
    assert "/submit/" not in response.content.decode()


def test_submission_problems_are_listed_instead_of_the_submit_button(client_for, world):
    version = services.create_micro_credential(actor=None, organisation=world.home, code="BARE", title="Bare")
    response = client_for(world.user("proposer")).get(f"/micro-credentials/{version.micro_credential_id}/")
    html = response.content.decode()
    assert "Before it can be submitted" in html
    assert "State at least one learning outcome." in html
    assert "/submit/" not in html


def test_draft_warnings_are_shown(client_for, world):
    version = make_version(
        world.home, code="WARN", assessments=[{"type": "project", "weight": "50", "outcomes": []}]
    )
    html = (
        client_for(world.user("proposer"))
        .get(f"/micro-credentials/{version.micro_credential_id}/")
        .content.decode()
    )
    assert "Assessment 1 is not aligned to any learning outcome." in html


def test_approver_sees_approve_for_a_version_in_review(client_for, world):
    version = make_version(world.home, status="in_review", code="REV")
    response = client_for(world.user("approver")).get(f"/micro-credentials/{version.micro_credential_id}/")
    assert response.context["actions"]["approve"]
    assert f'action="/versions/{version.pk}/approve/"' in response.content.decode()


def test_qa_officer_sees_publish_and_retire_for_an_approved_version(client_for, world):
    version = make_version(world.home, status="approved", code="APP")
    response = client_for(world.user("qa_officer")).get(f"/micro-credentials/{version.micro_credential_id}/")
    actions = response.context["actions"]
    assert actions["publish"] and actions["retire"] and actions["new_version"]
    assert 'name="reason"' in response.content.decode()


def test_version_history_lists_every_version_with_who_and_links_to_changes(client_for, world, published):
    services.start_new_version(actor=world.user("proposer"), micro_credential=published.micro_credential)
    response = client_for(world.user("reviewer")).get(f"/micro-credentials/{published.micro_credential_id}/")
    html = response.content.decode()
    assert "Version history" in html
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert "by home_proposer" in html
    assert f'href="/micro-credentials/{published.micro_credential_id}/changes/?to=2"' in html
    assert 'name="from"' in html and 'name="to"' in html


def test_audit_history_panel_is_for_qa_officers(client_for, world, draft):
    services.update_draft(
        actor=world.user("proposer"), version=draft, data={"summary": "New words"}, lock_version=None
    )
    qa = client_for(world.user("qa_officer")).get(f"/micro-credentials/{draft.micro_credential_id}/")
    actions = [e.action for e in qa.context["history"]]
    assert "version.updated" in actions and "microcredential.created" in actions
    assert "History in the audit log" in qa.content.decode()
    proposer = client_for(world.user("proposer")).get(f"/micro-credentials/{draft.micro_credential_id}/")
    assert proposer.context["history"] is None
    assert "History in the audit log" not in proposer.content.decode()


def test_retired_version_shows_why(client_for, world):
    version = make_version(world.home, status="retired", code="OLD")
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{version.micro_credential_id}/")
        .content.decode()
    )
    assert "Replaced by a new course." in html


def test_unknown_micro_credential_is_404(client_for, world):
    assert client_for(world.admin).get("/micro-credentials/999999/").status_code == 404
