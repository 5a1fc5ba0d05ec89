"""Importing enrolments and results: validated first, all or nothing, idempotent, scoped."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.monitoring import services
from credence.monitoring.imports import read_table
from credence.monitoring.models import Enrolment, Learner

from .helpers import HEADER, MAPPING, import_statuses, make_offering, result_rows

pytestmark = pytest.mark.django_db


def test_reimporting_the_same_file_updates_and_never_duplicates(world):
    offering = make_offering(world.home)
    first = import_statuses(offering, [("started", None)] * 3, actor=world.user("qa_officer"))
    assert (first.learners_created, first.enrolments_created) == (3, 3)

    again = import_statuses(offering, [("started", None)] * 3, actor=world.user("qa_officer"))
    assert (again.learners_created, again.enrolments_created, again.enrolments_updated, again.unchanged) == (
        0,
        0,
        0,
        3,
    )

    later = import_statuses(offering, [("completed", True), ("withdrawn", None), ("started", None)])
    assert (later.enrolments_created, later.enrolments_updated, later.unchanged) == (0, 2, 1)
    assert Enrolment.objects.filter(offering=offering).count() == 3
    assert Learner.objects.filter(organisation=world.home).count() == 3
    s1 = Enrolment.objects.get(offering=offering, learner__external_id="S1")
    assert (s1.status, s1.passed, str(s1.completed_on)) == ("completed", True, "2025-05-30")


def test_bad_rows_are_refused_with_line_column_and_reason_and_nothing_is_written(world):
    offering = make_offering(world.home)
    rows = result_rows(
        offering, [("completed", True), ("finished", None), ("enrolled", True), ("completed", True)]
    )
    rows[3][6] = "30/05/2025"  # not ISO
    rows.append(list(rows[0]))  # the same student twice
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.import_results(
            actor=None, organisation=world.home, header=HEADER, rows=rows, mapping=MAPPING
        )

    problems = caught.value.message_dict
    assert problems["rows[1].status"] == [
        "Line 3, column 'status': 'finished' is not a status; use one of enrolled, started, withdrawn, completed."
    ]
    assert problems["rows[2].passed"] == [
        "Line 4, column 'passed': only a completed enrolment can be passed."
    ]
    assert problems["rows[3].completed_on"] == [
        "Line 5, column 'completed_on': '30/05/2025' is not a date (use YYYY-MM-DD)."
    ]
    assert "already on line 2" in problems["rows[4].external_id"][0]
    assert Enrolment.objects.count() == 0 and Learner.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_an_unknown_offering_code_is_named(world):
    offering = make_offering(world.home)
    rows = result_rows(offering, [("enrolled", None)])
    rows[0][0] = "NO-SUCH"
    with pytest.raises(ValidationError) as caught:
        services.import_results(
            actor=None, organisation=world.home, header=HEADER, rows=rows, mapping=MAPPING
        )
    assert "there is no offering 'NO-SUCH'" in caught.value.message_dict["rows[0].offering"][0]


def test_the_mapping_must_name_the_required_fields(world):
    offering = make_offering(world.home)
    with pytest.raises(ValidationError) as caught:
        services.import_results(
            actor=None,
            organisation=world.home,
            header=HEADER,
            rows=result_rows(offering, [("enrolled", None)]),
            mapping={**MAPPING, "status": ""},
        )
    assert caught.value.message_dict["mapping"] == ["Choose the column that holds the status."]


def test_one_audit_event_per_import(world):
    offering = make_offering(world.home)
    before = AuditEvent.objects.filter(action="monitoring.results_imported").count()
    import_statuses(offering, [("enrolled", None)] * 25)
    assert AuditEvent.objects.filter(action="monitoring.results_imported").count() == before + 1


def test_only_the_people_who_run_offerings_import(world):
    offering = make_offering(world.home)
    for actor in (world.user("proposer"), world.outsider_qa):
        with pytest.raises(PermissionDenied):
            import_statuses(offering, [("enrolled", None)], actor=actor)


def test_an_offering_of_another_organisation_is_not_found_by_code(world):
    theirs = make_offering(world.other)
    with pytest.raises(ValidationError):
        services.import_results(
            actor=None,
            organisation=world.home,
            header=HEADER,
            rows=result_rows(theirs, [("enrolled", None)]),
            mapping=MAPPING,
        )


def test_csv_and_xlsx_are_read_alike(world):
    from openpyxl import Workbook

    csv_data = b"student id;status;completed on\nA1;completed;2025-05-30\n\nA2;enrolled;\n"
    header, rows = read_table(csv_data, "results.csv")
    assert header == ["student id", "status", "completed on"]
    assert rows == [["A1", "completed", "2025-05-30"], ["A2", "enrolled", ""]]
    assert services.guess_mapping(header) == {
        "student id": "external_id",
        "status": "status",
        "completed on": "completed_on",
    }

    book = Workbook()
    sheet = book.active
    sheet.append(["Student ID", "Status"])
    sheet.append(["A1", "completed"])
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows = read_table(buffer.getvalue(), "results.xlsx")
    assert (header, rows) == (["Student ID", "Status"], [["A1", "completed"]])


def test_a_large_import_is_written_in_bulk_and_matched_again(world):
    offering = make_offering(world.home)
    statuses = [("completed", True)] * 1800 + [("withdrawn", None)] * 700  # PostgreSQL writes these with COPY
    first = import_statuses(offering, statuses)
    assert (first.learners_created, first.enrolments_created) == (2500, 2500)
    assert Enrolment.objects.filter(offering=offering, status="completed", learner__external_id="S1").exists()
    again = import_statuses(offering, statuses)
    assert (again.learners_created, again.enrolments_created, again.unchanged) == (0, 0, 2500)
    from credence.monitoring.models import IndicatorValue

    completion = IndicatorValue.objects.get(offering=offering, indicator="completion_rate")
    assert (completion.value, completion.n) == (72.0, 2500)


def test_columns_left_out_of_the_mapping_keep_what_is_stored(world):
    offering = make_offering(world.home)
    services.import_results(
        actor=None,
        organisation=world.home,
        header=["id", "status", "grade", "completed_on"],
        rows=[["G1", "completed", "Distinction", "2025-05-30"]],
        mapping={"id": "external_id", "status": "status", "grade": "grade", "completed_on": "completed_on"},
        offering=offering,
    )
    services.import_results(
        actor=None,
        organisation=world.home,
        header=["id", "status", "completed_on"],
        rows=[["G1", "completed", "2025-05-30"]],
        mapping={"id": "external_id", "status": "status", "completed_on": "completed_on"},
        offering=offering,
    )
    assert Enrolment.objects.get(offering=offering).grade == "Distinction"


def test_an_email_address_of_another_student_is_refused(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("enrolled", None)] * 2)  # S1 s1@learners.test, S2 s2@learners.test
    rows = result_rows(offering, [("enrolled", None)])
    rows[0][1] = "S9"
    rows[0][3] = "s2@learners.test"
    with pytest.raises(ValidationError) as caught:
        services.import_results(
            actor=None, organisation=world.home, header=HEADER, rows=rows, mapping=MAPPING
        )
    assert caught.value.message_dict == {
        "rows[0].email": ["Line 2: s2@learners.test belongs to student S2, not S9."]
    }
    assert Learner.objects.count() == 2
