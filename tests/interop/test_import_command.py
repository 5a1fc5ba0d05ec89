"""`manage.py import_catalogue FILE [--mapping NAME] [--dry-run]`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from credence.interop import services
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion

from .importing import DATA, csv_bytes

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_catalogue", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_says_what_each_row_would_do_and_writes_nothing(world):
    out = run(str(DATA / "short_courses.csv"), "--organisation", world.home.slug, "--dry-run")
    assert "row 2 GLA-DATA-01: will be created" in out
    assert "Dry run, nothing written: 4 will be created." in out
    assert not MicroCredential.objects.exists()


def test_it_imports_and_re_imports_without_duplicates(world):
    out = run(str(DATA / "short_courses.xlsx"), "--organisation", world.home.slug)
    assert "Imported 4 micro-credential(s), 0 unchanged." in out
    out = run(str(DATA / "short_courses.xlsx"), "--organisation", world.home.slug)
    assert "Imported 0 micro-credential(s), 4 unchanged." in out
    assert MicroCredential.objects.filter(organisation=world.home).count() == 4


def test_a_saved_mapping_is_used_by_name(world, tmp_path):
    services.save_mapping(
        actor=None,
        organisation=world.home,
        name="Records system",
        columns={"MODCODE": "code", "MODNAME": "title", "PTS": "credits"},
    )
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes([["M100", "Statistics refresher", "10 ECTS"]], ["MODCODE", "MODNAME", "PTS"]))
    with pytest.raises(CommandError, match="Map a column to 'Title"):
        run(str(path), "--organisation", world.home.slug, "--dry-run")
    out = run(str(path), "--organisation", world.home.slug, "--mapping", "Records system")
    assert "Imported 1 micro-credential(s)" in out
    assert MicroCredentialVersion.objects.get(micro_credential__code="M100").credits == 10


def test_problems_are_printed_per_row_and_fail_the_command(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["B-1", "Broken", "", "", "lots", "", ""]]))
    with pytest.raises(CommandError, match="1 row"):
        run(str(path), "--organisation", world.home.slug, "--dry-run")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(str(path), "--organisation", world.home.slug)
    assert not MicroCredential.objects.exists()


def test_approved_elsewhere_from_the_command_line(world):
    run(
        str(DATA / "short_courses.json"),
        "--organisation",
        world.home.slug,
        "--approved-by",
        "Academic Board minutes",
        "--approved-on",
        "2024-02-01",
    )
    assert set(MicroCredentialVersion.objects.values_list("status", flat=True)) == {"approved"}


def test_a_missing_file_or_organisation_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="No file"):
        run(str(tmp_path / "nope.csv"), "--organisation", world.home.slug)
    with pytest.raises(CommandError, match="Name the organisation"):
        run(str(DATA / "short_courses.csv"))
