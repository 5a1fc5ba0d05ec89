"""Issuing from a completion list: all or nothing, every bad row named, never twice, e-mail sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from credence.issuance import services
from credence.issuance.completion_lists import describe, read_csv
from credence.issuance.models import IssuedCredential
from credence.monitoring.models import Enrolment, EnrolmentStatus

from .conftest import document, issue

pytestmark = pytest.mark.django_db


def test_a_good_list_issues_one_credential_per_learner_and_marks_them_completed(world, offering):
    rows = read_csv(b"email,grade,completed_on\nada@example.org,A,2026-03-01\nalan@example.org,B,\n")

    report = services.issue_credentials(
        actor=world.user("qa_officer"), offering=offering, rows=rows, send_emails=False
    )

    assert len(report.issued) == 2
    ada = Enrolment.objects.get(offering=offering, learner__email="ada@example.org")
    assert (ada.status, ada.passed, ada.grade, str(ada.completed_on)) == (
        EnrolmentStatus.COMPLETED,
        True,
        "A",
        "2026-03-01",
    )
    subject = document(report.issued[0])["credentialSubject"]
    assert subject["activityEndDate"] == "2026-03-01T00:00:00Z"


def test_a_list_with_bad_rows_is_refused_whole_naming_every_row(world, offering):
    rows = read_csv(b"email\nada@example.org\nnot-an-address\nada@example.org\nstranger@example.org\n")

    with pytest.raises(ValidationError) as error:
        services.issue_credentials(
            actor=world.user("qa_officer"), offering=offering, rows=rows, send_emails=False
        )

    problems = {describe(key): messages for key, messages in error.value.message_dict.items()}
    assert set(problems) == {"Row 2, email", "Row 3, email", "Row 4, email"}
    assert "not an e-mail address" in problems["Row 2, email"][0]
    assert "already in row 1" in problems["Row 3, email"][0]
    assert "not enrolled" in problems["Row 4, email"][0]
    assert IssuedCredential.objects.count() == 0
    assert not Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).exists()


def test_uploading_the_same_list_again_issues_nothing_twice(world, offering):
    first = services.issue_credentials(
        actor=None, offering=offering, rows=[{"email": "ada@example.org"}], send_emails=False
    )
    again = services.issue_credentials(
        actor=None,
        offering=offering,
        rows=[{"email": "ADA@example.org"}, {"email": "alan@example.org"}],
        send_emails=False,
    )

    assert [c.learner.email for c in again.issued] == ["alan@example.org"]
    assert again.already_issued == first.issued
    assert IssuedCredential.objects.filter(offering=offering).count() == 2


def test_each_learner_gets_an_email_with_their_claim_link(
    world, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.issue_credentials(
            actor=None, offering=offering, rows=[{"email": "ada@example.org"}]
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert services.claim_url(report.issued[0]) in message.body


def test_only_issuers_of_the_owning_organisation_may_issue(world, offering):
    for user in (world.user("proposer"), world.user("reviewer"), world.outsider_qa, world.nobody):
        with pytest.raises(PermissionDenied):
            services.issue_credentials(
                actor=user, offering=offering, rows=[{"email": "ada@example.org"}], send_emails=False
            )
    assert IssuedCredential.objects.count() == 0


def test_a_csv_without_an_email_column_is_refused():
    with pytest.raises(ValidationError) as error:
        read_csv(b"name,grade\nAda,A\n")
    assert "email" in error.value.message_dict["file"][0]


def test_an_expiry_in_the_past_is_refused(offering):
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        issue(offering, valid_until=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert "valid_until" in error.value.message_dict


def test_an_excel_workbook_is_read_like_a_csv(world, offering):
    import datetime as dt
    import io

    from openpyxl import Workbook

    from credence.issuance.completion_lists import read_completion_list

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Grade", "Completed on"])
    sheet.append(["ada@example.org", "A", dt.datetime(2026, 3, 2)])
    sheet.append([None, None, None])
    sheet.append(["alan@example.org", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = read_completion_list(buffer.getvalue(), "list.xlsx")

    assert rows == [
        {"email": "ada@example.org", "grade": "A", "completed_on": "2026-03-02"},
        {"email": "alan@example.org", "grade": "", "completed_on": ""},
    ]
    assert (
        len(services.issue_credentials(actor=None, offering=offering, rows=rows, send_emails=False).issued)
        == 2
    )


def test_a_file_that_is_neither_is_refused():
    from credence.issuance.completion_lists import read_completion_list

    with pytest.raises(ValidationError) as error:
        read_completion_list(b"PK\x03\x04 broken", "list.xlsx")
    assert "Excel" in error.value.message_dict["file"][0]
