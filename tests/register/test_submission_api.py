"""The submission API answers as DEQAR's does: the submitted report, or errors nested per field and row."""

from __future__ import annotations

from rest_framework.test import APIClient

from credence.organisations import services as org_services
from credence.register.models import QAReport

from .test_deqar_csv import _read
from .test_deqar_submission_cases import CASES

BASE = CASES["bases"]["submit_reports"]["payload"]


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_accepts_a_report_and_answers_with_it(deqar):
    response = _client(deqar.acquin_admin).post("/api/register/submit/report/", BASE, format="json")

    assert response.status_code == 200
    assert response.data["submission_status"] == "success"
    assert response.data["submitted_report"]["institutions"] == [{"deqar_id": "DEQARINST0003"}]


def test_post_twice_is_refused_and_put_updates(deqar):
    client = _client(deqar.acquin_admin)
    package = {**BASE, "local_identifier": "4711-echt-koelnisch-wasser"}
    assert client.post("/api/register/submit/report/", package, format="json").status_code == 200

    again = client.post("/api/register/submit/report/", package, format="json")
    updated = client.put("/api/register/submit/report/", {**package, "summary": "Changed."}, format="json")
    unknown = client.put(
        "/api/register/submit/report/", {**package, "local_identifier": "nope"}, format="json"
    )

    assert again.status_code == 400 and "local_identifier" in again.data["errors"]
    assert updated.status_code == 200 and QAReport.objects.get().summary == "Changed."
    assert unknown.status_code == 400


def test_errors_are_nested_per_field_and_list_index(deqar):
    package = {**BASE, "programmes": [{"name_primary": "P", "qf_ehea_level": "9", "degree_outcome": "1"}]}

    response = _client(deqar.acquin_admin).post("/api/register/submit/report/", package, format="json")

    assert response.status_code == 400
    assert response.data["submission_status"] == "errors"
    assert "qf_ehea_level" in response.data["errors"]["programmes"]["0"]
    assert response.data["original_data"]["programmes"][0]["qf_ehea_level"] == "9"


def test_a_csv_batch_is_recorded_whole_or_refused_per_row(deqar):
    client = _client(deqar.acquin_admin)
    text = _read("fulltest_inst.csv")
    broken = text.replace("DEQARINST0002", "DEQARINST9999")

    refused = client.post("/api/register/submit/csv/", broken, content_type="text/csv")
    accepted = client.post("/api/register/submit/csv/", text, content_type="text/csv")

    assert refused.status_code == 400
    assert "institutions" in refused.data["errors"]["rows"]["1"]
    assert accepted.status_code == 200
    assert [r["submission_status"] for r in accepted.data["reports"]] == ["success", "success"]


def test_the_export_endpoint_gives_the_deqar_shape(deqar):
    client = _client(deqar.acquin_admin)
    report_id = client.post("/api/register/submit/report/", BASE, format="json").data["submitted_report"][
        "id"
    ]

    exported = APIClient().get(f"/api/register/reports/{report_id}/deqar/").data

    assert exported["agency"] == "21"
    assert exported["activities"] == [{"id": "1"}]
    assert exported["programmes"][0]["degree_outcome"] == "full degree"


def test_the_provider_endpoint_shows_relationships_and_inherited_reports(deqar):
    client = _client(deqar.acquin_admin)
    faculty = deqar.providers["DEQARINST0003"]
    parent = deqar.providers["DEQARINST0001"]
    client.post("/api/register/submit/report/", BASE, format="json")
    # ACQUIN's admin may not relate two providers that are not ACQUIN.
    refused = client.post(
        f"/api/register/providers/{parent.slug}/relationships/",
        {"other": faculty.slug, "role": "parent", "relationship_type": "faculty"},
        format="json",
    )
    org_services.add_relationship(actor=None, parent=parent, child=faculty, relationship_type="faculty")

    detail = APIClient().get(f"/api/register/providers/{parent.slug}/").data

    assert refused.status_code == 403
    assert detail["relationships"][0]["relationship_type"] == "faculty"
    assert detail["reports"][0]["inherited_from"] == faculty.slug
    assert detail["locations"][0]["is_legal_seat"] is True
