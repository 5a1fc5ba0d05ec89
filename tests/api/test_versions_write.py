"""Editing a draft through the API: PATCH changes what is given, PUT replaces the document."""

from __future__ import annotations

from credence.audit.models import AuditEvent
from credence.microcredentials.models import LearningOutcome

from ..factories import make_version
from .conftest import client_for


def url(version_id: int) -> str:
    return f"/api/versions/{version_id}/"


def test_it_changes_only_the_elements_given(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.patch(
        url(version.pk), {"lock_version": 1, "title": "Data analysis at work"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Data analysis at work"
    assert body["lock_version"] == 2
    assert body["summary"].startswith("A short, assessed course")
    assert [o["text"] for o in body["learning_outcomes"]] == [
        "Clean and describe a data set with summary statistics.",
        "Choose and interpret a suitable statistical test.",
    ]
    version.refresh_from_db()
    assert (version.title, version.lock_version) == ("Data analysis at work", 2)


def test_it_keeps_parts_given_by_id_and_removes_the_others(world):
    version = make_version(world.home)
    client = client_for(world.user("qa_officer"))
    document = client.get(url(version.pk)).json()
    first, second = document["learning_outcomes"]

    response = client.patch(
        url(version.pk),
        {
            "lock_version": document["lock_version"],
            "learning_outcomes": [
                {"id": second["id"], "text": "Choose, run and interpret a statistical test."},
                {"text": "Present findings to a non-specialist audience."},
            ],
            "assessments": [{"type": "project", "weight": "100", "outcomes": [1, 2]}],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    outcomes = response.json()["learning_outcomes"]
    assert [(o["number"], o["text"]) for o in outcomes] == [
        (1, "Choose, run and interpret a statistical test."),
        (2, "Present findings to a non-specialist audience."),
    ]
    assert outcomes[0]["id"] == second["id"] and outcomes[0]["key"] == second["key"]
    assert not LearningOutcome.objects.filter(pk=first["id"]).exists()
    assert response.json()["assessments"][0]["outcomes"] == [1, 2]


def test_it_accepts_a_document_read_with_get_sent_back_with_put(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    document = client.get(url(version.pk)).json()
    document["summary"] = "A new summary."

    response = client.put(url(version.pk), document, format="json")

    assert response.status_code == 200, response.json()
    after = response.json()
    assert after["summary"] == "A new summary."
    unchanged = {k: v for k, v in document.items() if k not in ("summary", "lock_version", "updated_at")}
    assert {k: after[k] for k in unchanged} == unchanged


def test_it_empties_what_a_put_leaves_out(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.put(url(version.pk), {"lock_version": 1, "title": "Only a title"}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Only a title"
    assert body["summary"] == "" and body["credits"] is None and body["languages"] == []
    assert body["learning_outcomes"] == [] and body["assessments"] == []


def test_it_stores_html_verbatim_and_returns_it_as_text(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))
    markup = '<script>alert("x")</script><b>bold</b> & more'

    response = client.patch(
        url(version.pk),
        {"lock_version": 1, "summary": markup, "learning_outcomes": [{"text": markup}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response["Content-Type"] == "application/json"
    again = client.get(url(version.pk)).json()
    assert again["summary"] == markup
    assert again["learning_outcomes"][0]["text"] == markup


def test_it_writes_decimals_as_strings_and_accepts_numbers(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    response = client.patch(
        url(version.pk), {"lock_version": 1, "credits": 7.5, "duration_weeks": "10"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["credits"] == "7.50"
    assert response.json()["duration_weeks"] == "10.0"
    assert response.json()["assessments"][0]["weight"] == "60.00"


def test_it_records_the_change_in_the_audit_log(world):
    version = make_version(world.home)
    client = client_for(world.user("proposer"))

    client.patch(url(version.pk), {"lock_version": 1, "title": "Renamed"}, format="json")

    event = AuditEvent.objects.filter(action="version.updated", object_id=str(version.pk)).get()
    assert event.actor == world.user("proposer")
    assert event.changes["title"] == ["Practical data analysis", "Renamed"]


def test_it_refuses_to_edit_a_version_that_left_draft(world):
    version = make_version(world.home, status="in_review")
    client = client_for(world.user("proposer"))

    response = client.patch(url(version.pk), {"lock_version": 1, "title": "Sneaky"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    version.refresh_from_db()
    assert version.title == "Practical data analysis"


def test_it_creates_a_micro_credential_with_its_first_draft(world):
    client = client_for(world.user("proposer"))

    response = client.post(
        "/api/micro-credentials/",
        {
            "organisation": world.home.pk,
            "code": "DA-101",
            "title": "Data analysis",
            "credit_system": "ECTS",
            "credits": "5",
            "learning_outcomes": [{"text": "Describe a data set."}, {"text": "Test a hypothesis."}],
            "assessments": [{"type": "project", "weight": 100, "outcomes": [2]}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "DA-101"
    assert body["organisation"]["id"] == world.home.pk
    assert body["published_version"] is None
    assert body["latest_version"]["status"] == "draft" and body["latest_version"]["number"] == 1
    document = client.get(url(body["latest_version"]["id"])).json()
    assert document["credits"] == "5.00"
    assert document["assessments"][0]["outcomes"] == [2]
