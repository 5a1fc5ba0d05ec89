"""Report files are PDFs, judged by their bytes, stored with their SHA-256; they are never removed."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.exceptions import ValidationError

from credence.register import services
from credence.register.models import ReportFile

from .test_deqar_submission_cases import CASES

BASE = CASES["bases"]["v2_validations"]["payload"]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_file(content: bytes, name: str = "report.pdf") -> dict:
    return {
        **BASE,
        "report_files": [
            {"file": base64.b64encode(content).decode(), "file_name": name, "report_language": ["en"]}
        ],
    }


def test_it_stores_a_pdf_with_its_checksum(deqar):
    report = services.submit_report(actor=None, package=_with_file(PDF))

    stored = report.files.get()
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)
    assert stored.file.read() == PDF


def test_it_refuses_a_file_that_is_not_a_pdf_even_when_named_pdf(deqar):
    with pytest.raises(ValidationError) as caught:
        services.submit_report(actor=None, package=_with_file(b"PK\x03\x04 a zip file", "report.pdf"))

    assert "not a PDF" in caught.value.message_dict["report_files[0].file"][0]
    assert ReportFile.objects.count() == 0


def test_it_refuses_a_non_pdf_added_later(deqar):
    report = services.submit_report(actor=None, package=BASE)

    with pytest.raises(ValidationError) as caught:
        services.add_report_file(
            actor=deqar.acquin_admin, report=report, content=b"<html></html>", file_name="x.pdf"
        )

    assert "not a PDF" in caught.value.message_dict["file"][0]


def test_an_update_keeps_the_files_already_stored(deqar):
    report = services.submit_report(actor=None, package={**_with_file(PDF), "local_identifier": "F-1"})

    services.submit_report(actor=None, package={**BASE, "local_identifier": "F-1"}, update=True)

    assert report.files.filter(sha256=hashlib.sha256(PDF).hexdigest()).count() == 1
    assert report.files.count() == 2  # the PDF, and the link the update brought


def test_it_refuses_a_file_in_an_unknown_language(deqar):
    package = _with_file(PDF)
    package["report_files"][0]["report_language"] = ["zz"]

    with pytest.raises(ValidationError) as caught:
        services.submit_report(actor=None, package=package)

    assert "report_files[0].report_language[0]" in caught.value.message_dict


def test_the_agency_adds_a_pdf_through_the_api_and_a_non_pdf_is_refused(deqar):
    from rest_framework.test import APIClient

    report = services.submit_report(actor=None, package=BASE)
    client = APIClient()
    client.force_authenticate(deqar.acquin_admin)
    url = f"/api/register/reports/{report.pk}/files/"

    added = client.post(
        url,
        {"file": base64.b64encode(PDF).decode(), "file_name": "a.pdf", "report_language": ["en"]},
        format="json",
    )
    refused = client.post(
        url,
        {"file": base64.b64encode(b"GIF89a").decode(), "file_name": "b.pdf", "report_language": ["en"]},
        format="json",
    )

    assert added.status_code == 201
    assert any(f["sha256"] == hashlib.sha256(PDF).hexdigest() for f in added.data["files"])
    assert refused.status_code == 400
    assert "not a PDF" in refused.data["errors"]["file"][0]
