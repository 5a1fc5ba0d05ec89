"""A report is never deleted: it is withdrawn with a reason and stays visible as history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.register import services

from .test_deqar_submission_cases import CASES

BASE = CASES["bases"]["v2_validations"]["payload"]


def test_the_agency_admin_withdraws_a_report_and_it_stays_visible(deqar, client):
    report = services.submit_report(actor=deqar.acquin_admin, package=BASE)

    services.withdraw_report(actor=deqar.acquin_admin, report=report, reason="Issued in error.")

    page = client.get(f"/register/reports/{report.pk}/").content.decode()
    assert "Withdrawn" in page and "Issued in error." in page
    assert "Report withdrawn." in page
    assert "Withdrawn" in client.get("/register/").content.decode()


def test_it_needs_a_reason(deqar):
    report = services.submit_report(actor=None, package=BASE)

    with pytest.raises(ValidationError) as caught:
        services.withdraw_report(actor=deqar.acquin_admin, report=report, reason="  ")

    assert "reason" in caught.value.message_dict


def test_another_agency_cannot_withdraw_it(deqar):
    report = services.submit_report(actor=None, package=BASE)

    with pytest.raises(PermissionDenied):
        services.withdraw_report(actor=deqar.ekka_admin, report=report, reason="Not ours.")


def test_a_withdrawn_report_cannot_be_updated(deqar):
    report = services.submit_report(actor=None, package={**BASE, "local_identifier": "W-1"})
    services.withdraw_report(actor=None, report=report, reason="Duplicate.")

    with pytest.raises(ValidationError):
        services.submit_report(actor=None, package={**BASE, "local_identifier": "W-1"}, update=True)


def test_the_withdraw_form_is_on_the_page_only_for_the_agency_admin(deqar, client):
    report = services.submit_report(actor=None, package=BASE)
    url = f"/register/reports/{report.pk}/"

    assert "Withdraw this report" not in client.get(url).content.decode()
    client.force_login(deqar.acquin_admin)
    assert "Withdraw this report" in client.get(url).content.decode()

    response = client.post(f"{url}withdraw/", {"reason": "Superseded by a new review."})

    assert response.status_code == 302
    assert "Superseded by a new review." in client.get(url).content.decode()


def test_the_agency_admin_adds_a_pdf_on_the_report_page_and_a_non_pdf_is_refused(deqar, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = services.submit_report(actor=None, package=BASE)
    url = f"/register/reports/{report.pk}/"
    client.force_login(deqar.acquin_admin)

    refused = client.post(
        f"{url}files/", {"report_file": SimpleUploadedFile("fake.pdf", b"just text"), "report_language": "en"}
    )
    added = client.post(
        f"{url}files/",
        {
            "report_file": SimpleUploadedFile("real.pdf", b"%PDF-1.4\n%%EOF\n"),
            "display_name": "Decision",
            "report_language": "en",
        },
    )

    assert refused.status_code == 400 and "not a PDF" in refused.content.decode()
    assert added.status_code == 302
    assert "Decision" in client.get(url).content.decode()
