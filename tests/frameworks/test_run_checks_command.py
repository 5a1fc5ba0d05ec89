"""`manage.py run_checks` prints the machine-check results of current versions, as text or JSON."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from credence.frameworks import services

from ..factories import make_version


def test_it_prints_the_failures_of_the_enabled_packs(world, capsys):
    services.enable_pack(actor=None, organisation=world.home, pack_id="nzqa-2022")
    make_version(world.home, code="HOME-1", title="Diploma of data")

    call_command("run_checks", "HOME-1")

    out = capsys.readouterr().out
    assert "HOME-1 v1 (draft" in out
    assert (
        "FAIL nzqa.title: The title uses 'Diploma'" in out
        or "FAIL nzqa.title: The title uses 'diploma'" in out
    )


def test_it_writes_json_for_a_named_pack(world, capsys):
    make_version(world.home, code="HOME-2")
    make_version(world.other, code="OTHER-1")

    call_command("run_checks", "--pack", "emc-cmf-2019", "--format", "json")

    report = json.loads(capsys.readouterr().out)
    assert {entry["code"] for entry in report} == {"HOME-2", "OTHER-1"}
    results = {r["criterion"]: r for r in report[0]["packs"][0]["results"]}
    assert results["cmf.workload"]["status"] == "pass"
    assert results["cmf.degree_link"]["status"] == "fail"


def test_it_refuses_an_unknown_code_or_pack(world):
    make_version(world.home, code="HOME-3")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("run_checks", "NOPE")
    with pytest.raises(CommandError, match="No such pack"):
        call_command("run_checks", "--pack", "nope", "HOME-3")
