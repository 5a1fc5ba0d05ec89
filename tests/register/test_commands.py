"""import_deqar and export_deqar: agencies move their data in and out; a round trip loses nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from credence.register.models import QAReport

from .conftest import DEQAR
from .test_deqar_submission_cases import CASES


def test_it_imports_a_csv_file_and_exports_it_again_losslessly(deqar, tmp_path):
    call_command("import_deqar", str(DEQAR / "csv_test_files" / "fulltest_prog.csv"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_deqar", stdout=out)
    exported = json.loads(out.getvalue())
    (tmp_path / "export.json").write_text(json.dumps(exported))

    call_command("import_deqar", str(tmp_path / "export.json"), "--update", stdout=io.StringIO())
    again = io.StringIO()
    call_command("export_deqar", stdout=again)

    assert len(exported) == 4 == QAReport.objects.count()
    assert json.loads(again.getvalue()) == exported


def test_it_refuses_a_broken_file_and_imports_nothing(deqar):
    with pytest.raises(CommandError) as caught:
        call_command("import_deqar", str(DEQAR / "csv_test_files" / "test_invalid.csv"), stdout=io.StringIO())

    assert "commas, semicolons or tabs" in str(caught.value)
    assert QAReport.objects.count() == 0


def test_it_names_the_report_and_field_of_each_problem_in_a_json_list(deqar, tmp_path):
    good = CASES["bases"]["submit_reports"]["payload"]
    bad = {**good, "agency": "NOPE"}
    (tmp_path / "two.json").write_text(json.dumps([good, bad]))

    with pytest.raises(CommandError) as caught:
        call_command("import_deqar", str(tmp_path / "two.json"), stdout=io.StringIO())

    assert "reports[2].agency" in str(caught.value)
    assert QAReport.objects.count() == 0
