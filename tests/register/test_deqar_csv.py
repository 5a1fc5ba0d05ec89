"""DEQAR's CSV test files: the valid ones are read (and the full ones recorded), the invalid one is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.organisations.models import OrganisationRelationship
from credence.register import services
from credence.register.csv_format import read_csv
from credence.register.models import QAReport

from .conftest import DEQAR

FILES = DEQAR / "csv_test_files"


def _read(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8")


def test_it_reads_test_valid_with_mixed_case_headers_and_trailing_spaces():
    rows = read_csv(_read("test_valid.csv"))

    assert len(rows) == 2
    assert rows[0]["agency"] == "MusiQuE"
    assert rows[0]["local_identifier"] == "CRDB-October14"
    assert rows[0]["institutions"] == [{"eter_id": "BE0035", "identifier": ["14"]}]


def test_it_refuses_test_invalid_because_of_its_delimiter():
    with pytest.raises(ValidationError) as caught:
        read_csv(_read("test_invalid.csv"))

    assert "commas, semicolons or tabs" in caught.value.message_dict["file"][0]


def test_it_reads_the_contributing_agencies_of_test_coauthor_agency_valid():
    rows = read_csv(_read("test_coauthor_agency_valid.csv"))

    assert rows[0]["contributing_agencies"] == ["A3ES", "ASIIN"]


def test_it_reads_the_programmes_of_test_programme():
    rows = read_csv(_read("test_programme.csv"))

    assert len(rows) == 2
    assert rows[0]["institutions"][0]["identifier"] == "67"
    assert rows[1]["institutions"][0]["eter_id"] == "DE0140"
    programme = rows[0]["programmes"][0]
    assert programme["name_primary"] == "Master of Music program"
    assert programme["qualification_primary"] == "Master"
    assert programme["identifiers"] == [{"identifier": "12"}]


def test_it_reads_the_micro_credential_of_test_valid_ap():
    row = read_csv(_read("test_valid_ap.csv"))[0]

    assert row["agency"] == "ACQUIN"
    assert row["local_identifier"] == "LOCAL001"
    programme = row["programmes"][0]
    assert programme["name_primary"] == "Programme name"
    assert programme["workload_ects"] == "15"
    assert programme["mc_as_part_of_accreditation"] == "yes"
    assert len(programme["learning_outcomes"]) == 2


def test_it_refuses_test_valid_ap_for_its_missing_qf_ehea_level(deqar):
    # DEQAR only parses this file in its tests; submitted, its own rule (a level for every programme) refuses it.
    with pytest.raises(ValidationError) as caught:
        services.submit_csv(actor=deqar.acquin_admin, text=_read("test_valid_ap.csv"))

    assert list(caught.value.message_dict) == ["rows[1].programmes[0].qf_ehea_level"]


def test_it_records_test_valid_ap_as_a_micro_credential_report_once_it_has_a_level(deqar):
    text = (
        _read("test_valid_ap.csv")
        .replace("programme[1].name_primary,", "programme[1].qf_ehea_level,programme[1].name_primary,")
        .replace(",Programme name,", ",first cycle,Programme name,")
    )
    [report] = services.submit_csv(actor=deqar.acquin_admin, text=text)

    provision = report.provisions.get()
    assert provision.programme_type == "Micro-credential"
    assert provision.degree_outcome == "no full degree"
    assert provision.assessment_certification == "assessment based certificate"
    assert provision.mc_as_part_of_accreditation is True
    assert report.status == "voluntary"


@pytest.mark.parametrize(
    ("name", "reports"),
    [("fulltest_inst.csv", 2), ("fulltest_prog.csv", 4), ("fulltest_jp.csv", 1), ("fulltest_op.csv", 2)],
)
def test_it_records_every_row_of_deqars_full_test_files(deqar, name, reports):
    recorded = services.submit_csv(actor=None, text=_read(name))

    assert len(recorded) == reports
    assert QAReport.objects.count() == reports


def test_it_stores_the_embedded_pdf_of_fulltest_inst_with_its_checksum(deqar):
    services.submit_csv(actor=None, text=_read("fulltest_inst.csv"))

    stored = [f for r in QAReport.objects.all() for f in r.files.all() if f.file]
    assert len(stored) == 1
    assert len(stored[0].sha256) == 64
    assert stored[0].file.read(5) == b"%PDF-"


def test_it_refuses_the_whole_file_when_one_row_is_broken(deqar):
    lines = _read("fulltest_op.csv").splitlines()
    broken = lines[2].replace("DEQARINST0001", "DEQARINST9999")

    with pytest.raises(ValidationError) as caught:
        services.submit_csv(actor=None, text="\n".join([lines[0], lines[1], broken]))

    assert "rows[2].institutions[0]" in caught.value.message_dict
    assert QAReport.objects.count() == 0


def test_it_refuses_rows_of_an_agency_the_submitter_does_not_run(deqar):
    with pytest.raises(PermissionDenied) as caught:
        services.submit_csv(actor=deqar.ekka_admin, text=_read("fulltest_op.csv"))

    assert "row 2 (ACQUIN)" in str(caught.value)
    assert QAReport.objects.count() == 0


def test_a_report_naming_a_platform_records_the_platform_relationship(deqar):
    services.submit_csv(actor=None, text=_read("fulltest_op.csv"))
    services.submit_csv(
        actor=None, text=_read("fulltest_op.csv").replace("4711", "4712").replace("22367", "22368")
    )

    [relationship] = OrganisationRelationship.objects.all()
    assert relationship.parent == deqar.providers["DEQARINST0002"]
    assert relationship.child == deqar.providers["DEQARINSTAP0010"]
    assert relationship.relationship_type == "educational platform"
