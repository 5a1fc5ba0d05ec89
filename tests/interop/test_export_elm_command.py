"""`manage.py export_elm` prints the JSON-LD of a micro-credential's published version."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ..factories import make_version
from .conftest import FULL, shacl_report


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("export_elm", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_published_version_as_elm(world):
    version = make_version(world.home, status="published", code="PDA-1")
    document = json.loads(_run("PDA-1"))
    assert document["type"] == "Qualification"
    assert document["title"] == {"en": version.title}
    assert document["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"

    credential = json.loads(_run("PDA-1", "--organisation", world.home.slug, "--credential"))
    conforms, text = shacl_report(credential, *FULL)
    assert conforms, text


def test_it_refuses_an_unknown_unpublished_or_ambiguous_code(world):
    with pytest.raises(CommandError, match="No micro-credential with code 'NOPE'"):
        _run("NOPE")
    make_version(world.home, status="draft", code="DRAFT-1")
    with pytest.raises(CommandError, match="has no published version"):
        _run("DRAFT-1")
    make_version(world.home, status="published", code="SAME")
    make_version(world.other, status="published", code="SAME")
    with pytest.raises(CommandError, match="Several micro-credentials have code 'SAME'"):
        _run("SAME")
    assert json.loads(_run("SAME", "--organisation", world.other.slug))["type"] == "Qualification"


def test_a_failing_command_exits_non_zero(world, capsys):
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "export_elm", "NOPE"])
    assert exit_info.value.code != 0
    assert "No micro-credential with code 'NOPE'" in capsys.readouterr().err
