"""The API: run the checks on demand, upload a pack, open a review and record judgements."""

from __future__ import annotations

from credence.frameworks import services as fw_services

from ..api.conftest import client_for
from ..factories import make_version
from ..frameworks.test_pack_validation import GOOD


def test_running_the_checks_on_demand_returns_the_results(world):
    version = make_version(world.home, title="Master class in data")
    client = client_for(world.user("proposer"))

    response = client.post("/api/check-runs/", {"version": version.pk, "packs": ["nzqa-2022"]}, format="json")

    assert response.status_code == 201
    results = {r["criterion"]: r for r in response.data[0]["results"]}
    assert results["nzqa.title"]["status"] == "fail"
    assert results["nzqa.title"]["field"] == "title"
    listed = client.get(f"/api/check-runs/?version={version.pk}")
    assert listed.data["count"] == 1


def test_a_bad_pack_upload_is_refused_with_the_line(world):
    client = client_for(world.user("qa_officer"))

    response = client.post(
        "/api/packs/",
        {"organisation": world.home.pk, "yaml": GOOD.replace("id: own.employers", "id: own.outcomes")},
        format="json",
    )

    assert response.status_code == 400
    assert "line 16" in response.data["errors"]["file"][0]


def test_a_review_through_the_api(world):
    fw_services.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home, status="in_review")
    opened = client_for(world.user("qa_officer")).post(
        "/api/reviews/", {"version": version.pk, "reviewer": world.user("reviewer").pk}, format="json"
    )
    assert opened.status_code == 201
    reviewer = client_for(world.user("reviewer"))
    url = f"/api/reviews/{opened.data['id']}/"

    bad = reviewer.post(
        url + "judgements/",
        {"pack_id": "esg-2015-part1", "criterion_id": "esg.1.7", "verdict": "not met"},
        format="json",
    )
    assert bad.status_code == 400
    assert "comment" in bad.data["errors"]
    good = reviewer.post(
        url + "judgements/",
        {
            "pack_id": "esg-2015-part1",
            "criterion_id": "esg.1.7",
            "verdict": "met",
            "evidence_links": ["https://example.org/kpi"],
        },
        format="json",
    )
    assert good.status_code == 200
    submitted = reviewer.post(url + "submit/", {"recommendation": "approve"}, format="json")
    assert submitted.data["status"] == "submitted"
    assert [j["criterion_id"] for j in reviewer.get(url + "judgements/").data] == ["esg.1.7"]
