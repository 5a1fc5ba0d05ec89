"""The monitoring pages: who sees what, exports, the import steps and the annual report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.monitoring.models import Enrolment

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_and_charts_for_the_provider(client, world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 12)
    _login(client, world.user("proposer"))

    page = client.get("/monitoring/")
    assert page.status_code == 200
    assert offering.version.micro_credential.code.encode() in page.content
    assert b'<title id="chart-funnel-title">' in page.content

    csv = client.get("/monitoring/charts/funnel/export.csv")
    assert csv.status_code == 200 and b"Enrolled,12.0,12" in csv.content
    png = client.get(f"/monitoring/charts/trend/export.png?mc={offering.version.micro_credential.pk}")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get("/monitoring/charts/satisfaction/export.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_another_organisation_gets_404(client, world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 3)
    mc = offering.version.micro_credential
    _login(client, world.outsider_qa)
    assert client.get(f"/monitoring/micro-credentials/{mc.pk}/").status_code == 404
    assert client.get(f"/monitoring/offerings/{offering.pk}/").status_code == 404
    assert client.get(f"/monitoring/charts/funnel/export.csv?mc={mc.pk}").status_code == 404
    learner = Enrolment.objects.filter(offering=offering).first().learner
    assert client.post(f"/monitoring/learners/{learner.pk}/erase/").status_code == 404


def test_learner_level_data_is_for_the_roles_that_run_offerings(client, world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)])
    _login(client, world.user("proposer"))
    assert client.get(f"/monitoring/offerings/{offering.pk}/").status_code == 404
    assert client.get("/monitoring/import/").status_code == 404
    _login(client, world.user("qa_officer"))
    page = client.get(f"/monitoring/offerings/{offering.pk}/")
    assert page.status_code == 200 and b"Learner S1" in page.content


def test_import_with_mapping_then_preview_then_confirm(client, world):
    offering = make_offering(world.home)
    _login(client, world.user("qa_officer"))
    data = b"Student number,Full name,Result state,Done on\nX1,Ann,completed,2025-05-30\nX2,Bob,withdrawn,\n"

    mapping = client.post(
        "/monitoring/import/",
        {"step": "upload", "offering": offering.pk, "file": SimpleUploadedFile("r.csv", data, "text/csv")},
    )
    assert mapping.status_code == 200 and b"Map the columns" in mapping.content
    bad = client.post(
        "/monitoring/import/", {"step": "confirm", "offering": offering.pk, "map-0": "external_id"}
    )
    assert bad.status_code == 400 and b"Choose the column that holds the status." in bad.content
    assert Enrolment.objects.count() == 0

    done = client.post(
        "/monitoring/import/",
        {
            "step": "confirm",
            "offering": offering.pk,
            "map-0": "external_id",
            "map-1": "name",
            "map-2": "status",
            "map-3": "completed_on",
        },
    )
    assert done.status_code == 200 and b"2 enrolments added" in done.content
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == ["completed", "withdrawn"]


def test_the_annual_report_as_html_and_pdf(client, world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 11 + [("withdrawn", None)])
    _login(client, world.user("approver"))
    page = client.get("/monitoring/report/2025/")
    assert page.status_code == 200
    assert b"91.7 %" in page.content  # completion: 11 of 12
    assert b"fewer than 10" in page.content  # nobody answered a survey... suppressed rows show as no data
    pdf = client.get("/monitoring/report/2025.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
