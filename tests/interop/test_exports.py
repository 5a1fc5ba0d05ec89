"""Exports: list pages as CSV and XLSX (filters kept, formulas neutralised), the full record of a
micro-credential as JSON (the API's shape) and as a printable PDF."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from pypdf import PdfReader

from credence.interop.exports import Column, safe_cell, xlsx_bytes

from ..factories import make_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
        (None, ""),
        (["en", "fr"], "en; fr"),
    ],
)
def test_cells_that_would_run_as_formulas_are_quoted(value, cell):
    assert safe_cell(value) == cell


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_micro_credential_list_exports_as_csv_and_xlsx_with_its_filters(world, client):
    make_version(world.home, code="SAFE-1", title="Data analysis")
    make_version(world.home, code="EVIL-1", title="=cmd|' /C calc'!A0")
    client.force_login(world.user("proposer"))
    rows = _csv_rows(client.get("/micro-credentials/export.csv"))
    titles = {r[0]: r[1] for r in rows[1:]}
    assert titles == {"SAFE-1": "Data analysis", "EVIL-1": "'=cmd|' /C calc'!A0"}

    response = client.get("/micro-credentials/export.csv?q=Data&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("code", "title")
    assert [v[0] for v in values[1:]] == ["SAFE-1"]  # the filter held


def test_the_list_page_links_to_both_formats_keeping_the_filters(world, client):
    make_version(world.home, code="SAFE-1")
    client.force_login(world.user("proposer"))
    page = client.get("/micro-credentials/?q=Data").content.decode()
    assert 'href="/micro-credentials/export.csv?q=Data"' in page
    assert 'href="/micro-credentials/export.csv?q=Data&amp;format=xlsx"' in page


def test_xlsx_keeps_numbers_as_numbers_and_quotes_formulas():
    rows = [{"n": 5, "t": "=1+1"}]
    data = xlsx_bytes("Test", [Column("Number", lambda r: r["n"]), Column("Text", lambda r: r["t"])], rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert list(sheet.iter_rows(values_only=True)) == [("Number", "Text"), (5, "'=1+1")]
    assert sheet["B2"].data_type != "f"


def test_the_full_record_as_json_is_the_api_shape(world, client):
    version = make_version(world.home, code="REC-1", status="published")
    mc_id = version.micro_credential_id
    client.force_login(world.user("proposer"))
    record = client.get(f"/micro-credentials/{mc_id}/export.json").json()
    api_mc = client.get(f"/api/micro-credentials/{mc_id}/").json()
    api_version = client.get(f"/api/versions/{version.pk}/").json()
    versions = record.pop("versions")
    assert record == api_mc
    assert versions == [api_version]
    assert versions[0]["learning_outcomes"][0]["text"].startswith("Clean and describe")


def test_an_unpublished_record_is_not_exported_to_outsiders(world, client):
    draft = make_version(world.home, code="HID-1")
    client.force_login(world.outsider)
    assert client.get(f"/micro-credentials/{draft.micro_credential_id}/export.json").status_code == 404
    assert client.get(f"/micro-credentials/{draft.micro_credential_id}/summary.pdf").status_code == 404


def test_the_printable_summary_is_a_pdf_with_the_title_and_outcomes(world, client):
    version = make_version(
        world.home, code="PDF-1", title="Practical data analysis for managers", status="published"
    )
    response = client.get(f"/micro-credentials/{version.micro_credential_id}/summary.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Practical data analysis for managers" in text
    assert "Clean and describe a data set" in text and "PDF-1" in text


def test_the_detail_page_links_to_the_record_exports(world, client):
    version = make_version(world.home, code="LNK-1", status="published")
    page = client.get(f"/micro-credentials/{version.micro_credential_id}/").content.decode()
    assert f"/micro-credentials/{version.micro_credential_id}/export.json" in page
    assert f"/micro-credentials/{version.micro_credential_id}/summary.pdf" in page


def test_the_audit_log_exports_its_filtered_events(world, client):
    make_version(world.home, code="AUD-1")
    client.force_login(world.user("qa_officer"))
    page = client.get("/audit/?action=microcredential.created").content.decode()
    assert 'href="?action=microcredential.created&amp;format=csv"' in page
    rows = _csv_rows(client.get("/audit/?action=microcredential.created&format=csv"))
    assert rows[0][:5] == ["sequence", "occurred_at", "actor", "organisation", "action"]
    assert {r[4] for r in rows[1:]} == {"microcredential.created"}
    assert any(r[7] == "AUD-1" for r in rows[1:])
    response = client.get("/audit/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row > 1
    client.force_login(world.user("proposer"))
    assert client.get("/audit/?format=csv").status_code == 403


def test_the_register_report_list_exports_with_its_filters(db, client):
    import datetime as dt

    from credence.register import services as register

    from ..factories import make_organisation

    agency = make_organisation("Export Quality Agency", kind="qa_agency", acronym="EXQA")
    register.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    register.add_agency_activity(
        actor=None, agency=agency, name="Audit", activity_type="institutional", local_identifier="EXQA-INST"
    )
    provider = make_organisation("Export Provider")
    for identifier in ("EX-1", "=EVIL()"):
        register.submit_report(
            actor=None,
            package={
                "agency": "EXQA",
                "local_identifier": identifier,
                "activities": [{"local_identifier": "EXQA-INST"}],
                "status": "voluntary",
                "decision": "positive",
                "valid_from": "2024-01-15",
                "date_format": "%Y-%m-%d",
                "institutions": [{"identifier": provider.slug, "resource": "credence"}],
            },
        )
    page = client.get("/register/?q=EX").content.decode()
    assert "format=csv" in page and "format=xlsx" in page
    rows = _csv_rows(client.get("/register/?format=csv"))
    assert rows[0][:3] == ["id", "agency", "local_identifier"]
    assert sorted(r[2] for r in rows[1:]) == ["'=EVIL()", "EX-1"]
    assert all(r[3] == "Export Provider" for r in rows[1:])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/register/?format=xlsx").content)).active
    assert sheet.max_row == 3


def test_issued_credentials_export_for_those_who_issue(world, client):
    from tests.issuance.conftest import issue, make_offering

    issue(make_offering(world.home))
    client.force_login(world.user("qa_officer"))
    assert "?format=csv" in client.get("/credentials/").content.decode()
    rows = _csv_rows(client.get("/credentials/?format=csv"))
    assert rows[0] == [
        "id",
        "learner",
        "code",
        "micro_credential",
        "version",
        "issued_at",
        "valid_until",
        "grade",
        "state",
    ]
    assert sorted(r[1] for r in rows[1:]) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/credentials/?format=xlsx").content)).active
    assert sheet.max_row == 4
    client.force_login(world.outsider)
    assert client.get("/credentials/?format=csv").status_code == 403


def test_the_review_list_exports_as_xlsx_too(world, client):
    from tests.reviews.conftest import review as review_fixture

    review = review_fixture.__wrapped__(world)
    client.force_login(world.user("qa_officer"))
    assert "format=xlsx" in client.get("/reviews/?status=open").content.decode()
    response = client.get("/reviews/export.csv?status=open&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("review", "organisation", "code")
    assert [v[0] for v in values[1:]] == [review.pk]
