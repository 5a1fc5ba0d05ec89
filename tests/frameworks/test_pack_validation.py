"""A bad pack is refused with the file, the line and the reason; `manage.py validate_pack` says the same."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from credence.frameworks.packs import PackError, parse_pack

GOOD = """\
id: own-policy
title: Our own policy
version: "1"
source:
  citation: Our QA handbook, 2025.
areas:
  - id: design
    title: Design
    criteria:
      - id: own.outcomes
        title: Outcomes
        requirement: There are outcomes.
        level: mandatory
        check: outcome_count
        params: {min: 3, max: 8}
      - id: own.employers
        title: Employers
        requirement: Employers were involved.
        level: advisory
"""


def refused(text: str) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(text, source="own.yaml")
    return caught.value


def test_it_reads_a_good_pack():
    pack = parse_pack(GOOD)

    assert (pack.id, pack.version, pack.criterion_count, pack.check_count) == ("own-policy", "1", 2, 1)
    assert pack.criterion("own.outcomes")[1].params == {"min": 3, "max": 8}


def test_it_refuses_a_pack_with_a_missing_id():
    error = refused(GOOD.replace("id: own-policy\n", ""))

    assert error.source == "own.yaml"
    assert error.line == 1
    assert "'id' is missing" in error.reason


def test_it_refuses_a_pack_with_a_duplicate_criterion_id():
    error = refused(GOOD.replace("id: own.employers", "id: own.outcomes"))

    assert error.line == 16
    assert "'own.outcomes' is used twice" in error.reason


def test_it_refuses_an_unknown_check_id():
    error = refused(GOOD.replace("check: outcome_count", "check: outcome_counter"))

    assert error.line == 14
    assert "unknown check 'outcome_counter'" in error.reason


def test_it_refuses_wrong_parameters_for_a_check():
    error = refused(GOOD.replace("{min: 3, max: 8}", "{min: three}"))

    assert error.line == 15
    assert "wrong parameters for the check 'outcome_count'" in error.reason


def test_it_refuses_a_criterion_without_a_level_and_names_its_line():
    error = refused(GOOD.replace("        level: advisory\n", ""))

    assert error.line == 16
    assert "'level' is missing" in error.reason


def test_it_refuses_a_key_given_twice():
    error = refused(GOOD.replace('version: "1"\n', 'version: "1"\nversion: "2"\n'))

    assert error.line == 4
    assert "given twice" in error.reason


def test_it_refuses_broken_yaml_with_its_line():
    error = refused(GOOD.replace("title: Design", "title: [Design"))

    assert error.line is not None and error.line >= 8
    assert "Not valid YAML" in error.reason


def test_the_command_accepts_a_good_pack(tmp_path, capsys):
    path = tmp_path / "own.yaml"
    path.write_text(GOOD)

    call_command("validate_pack", str(path))

    assert "valid — own-policy 1, 2 criteria" in capsys.readouterr().out


def test_the_command_refuses_a_bad_pack_naming_the_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("check: outcome_count", "check: nope"))

    with pytest.raises(CommandError):
        call_command("validate_pack", str(path))

    assert (
        f"{path}: line 14: Criterion 'own.outcomes' names an unknown check 'nope'" in capsys.readouterr().err
    )


def test_it_refuses_yaml_aliases_that_could_blow_up():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"

    error = refused(bomb)

    assert error.line == 2
    assert "aliases" in error.reason
