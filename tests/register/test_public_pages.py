"""The register's pages are public: anyone can search reports and providers and read each page."""

from __future__ import annotations

from credence.organisations import services as org_services
from credence.register import services

from .test_deqar_csv import _read


def test_anyone_can_search_the_reports_and_filter_them(deqar, client):
    services.submit_csv(actor=None, text=_read("fulltest_op.csv"))

    everything = client.get("/register/")
    micro = client.get("/register/", {"alternative": "on"})

    assert everything.status_code == 200
    assert "2 reports" in everything.content.decode()
    assert "1 report" in micro.content.decode()
    assert "4711-echt-kölnisch-wasser" in micro.content.decode()


def test_a_provider_page_lists_locations_identifiers_relationships_and_reports(deqar, client):
    services.submit_csv(actor=None, text=_read("fulltest_op.csv"))
    ap = deqar.providers["DEQARINSTAP0010"]
    org_services.add_relationship(
        actor=None, parent=ap, child=deqar.providers["DEQARINST0003"], relationship_type="consortium"
    )

    page = client.get(f"/register/providers/{ap.slug}/").content.decode()

    assert "(legal seat)" in page
    assert "SLAP12345" in page
    assert "Has consortium member" in page
    assert "4711-echt-kölnisch-wasser" in page


def test_a_report_page_shows_the_micro_credential_fields_and_the_update_history(deqar, client):
    [report, _] = services.submit_csv(actor=None, text=_read("fulltest_op.csv"))

    page = client.get(f"/register/reports/{report.pk}/").content.decode()

    assert "Translational Research &amp; Medicine" in page
    assert "Micro-credential" in page
    assert "Assessment-based certificate" in page
    assert "Report created." in page


def test_the_agency_pages_list_activities_and_registration(deqar, client):
    page = client.get(f"/register/agencies/{deqar.acquin.slug}/").content.decode()

    assert "System Accreditation in Germany" in page
    assert "8 Apr 2009" in page
    assert client.get("/register/agencies/").status_code == 200


def test_a_missing_report_or_provider_answers_404(db, client):
    assert client.get("/register/reports/999/").status_code == 404
    assert client.get("/register/providers/nowhere/").status_code == 404
