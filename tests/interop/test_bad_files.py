"""Files that are not what they say, or cannot be read safely, are refused with a clear message and
nothing is kept."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.interop import services
from credence.interop.models import ImportJob, ImportStatus
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion

from .importing import HEADER, csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def refused(world, upload_file) -> str:
    with pytest.raises(ValidationError) as error:
        services.start_import(actor=world.user("proposer"), organisation=world.home, upload=upload_file)
    assert not ImportJob.objects.exists()
    return " ".join(error.value.message_dict["file"])


def workbook(rows: list[list[object]], merge: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_named_csv_is_refused(world):
    message = refused(world, upload(workbook([HEADER, row("A")]), "catalogue.csv"))
    assert "named .csv but its contents are an Excel workbook" in message


def test_a_text_file_named_xlsx_is_refused(world):
    message = refused(world, upload(csv_bytes([row("A")]), "catalogue.xlsx"))
    assert "named .xlsx but is not an Excel workbook" in message


def test_a_pdf_named_json_is_refused(world):
    assert "not text" in refused(world, upload(b"%PDF-1.7\n...", "catalogue.json"))


def test_formulas_are_refused_naming_the_cells(world):
    data = workbook(
        [HEADER, [*row("A")[:4], "=2+3", "120 hours", "0413"], [*row("B")[:4], "5 ECTS", "=B3", "0413"]]
    )
    message = refused(world, upload(data, "catalogue.xlsx"))
    assert "formulas in E2, F3" in message and "paste them as values" in message


def test_merged_header_cells_are_refused_naming_them(world):
    data = workbook([[*HEADER[:4], "Volume", None, "ISCED"], row("A")], merge="E1:F1")
    message = refused(world, upload(data, "catalogue.xlsx"))
    assert "merged cells (E1:F1)" in message


def test_a_50_mb_csv_is_refused_before_it_is_read(world):
    class Huge(SimpleUploadedFile):
        def read(self, *args, **kwargs):  # the refusal must come from the declared size alone
            raise AssertionError("the file was read")

    huge = Huge("catalogue.csv", b"x")
    huge.size = 50 * 1024 * 1024
    message = refused(world, huge)
    assert "too large (50.0 MB): at most 20.0 MB" in message


def test_a_csv_over_the_limit_whose_size_is_not_declared_is_refused_too(world, settings):
    settings.CREDENCE_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("catalogue.csv", csv_bytes([row(f"A-{i}") for i in range(50)]))
    big.size = None
    assert "too large" in refused(world, big)


def test_an_empty_file_and_a_header_without_rows_are_refused(world):
    assert "is empty" in refused(world, upload(b"  \n", "catalogue.csv"))
    assert "no rows" in refused(world, upload(csv_bytes([]), "catalogue.csv"))


def test_repeated_or_empty_headings_are_refused(world):
    assert "'Title' appear more than once" in refused(world, upload(b"Code,Title,Title\nA,B,C\n"))
    assert "Column(s) 2 have no heading" in refused(world, upload(b"Code,,Title\nA,B,C\n"))


def test_json_that_is_not_a_list_of_objects_is_refused(world):
    assert "JSON list of objects" in refused(world, upload(b'["a", "b"]', "catalogue.json"))
    assert "cannot be read" in refused(world, upload(b'{"a": ', "catalogue.json"))


def test_an_old_excel_file_is_refused(world):
    assert "old Excel file" in refused(world, upload(b"\xd0\xcf\x11\xe0rest", "catalogue.xls"))


@pytest.mark.parametrize(
    ("encoding", "prefix", "named"),
    [
        ("cp1252", b"", "Windows-1252"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 with byte-order mark"),
        ("utf-8", b"", "UTF-8"),
    ],
)
def test_each_encoding_is_read_and_named(world, encoding, prefix, named):
    data = prefix + csv_bytes(
        [row("CAFÉ-1", "Café culture – an introduction", summary="Crème brûlée, naïve “quotes”")],
        encoding=encoding,
    )
    job = services.import_file(actor=world.user("proposer"), organisation=world.home, upload=upload(data))
    assert job.encoding == named
    assert job.status == ImportStatus.DONE, job.message
    version = MicroCredentialVersion.objects.get(micro_credential__code="CAFÉ-1")
    assert version.title == "Café culture – an introduction"
    assert version.summary == "Crème brûlée, naïve “quotes”"


def test_duplicate_codes_in_one_file_name_the_rows_and_nothing_is_written(world):
    data = csv_bytes([row("A-1"), row("B-1"), row("A-1", "Again")])
    job = services.import_file(actor=world.user("proposer"), organisation=world.home, upload=upload(data))
    assert job.status == ImportStatus.FAILED
    problems = {r["row"]: r["problems"] for r in job.problem_rows}
    assert problems == {
        2: ["Code: The code 'A-1' is also on row(s) 4: each code once per file."],
        4: ["Code: The code 'A-1' is also on row(s) 2: each code once per file."],
    }
    assert not MicroCredential.objects.exists()


def test_semicolon_separated_csv_is_read(world):
    data = b"Code;Title;Credits\nS-1;Semicolons;7,5 ECTS\n"
    job = services.import_file(actor=world.user("proposer"), organisation=world.home, upload=upload(data))
    assert job.status == ImportStatus.DONE, job.message
    assert str(MicroCredentialVersion.objects.get(micro_credential__code="S-1").credits) == "7.50"
