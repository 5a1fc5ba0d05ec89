"""The import pages: upload, map, preview, import, progress and result."""

from __future__ import annotations

import pytest

from credence.interop.models import ImportJob
from credence.microcredentials.models import MicroCredential

from .importing import csv_bytes, fixture, row, upload

pytestmark = pytest.mark.django_db


def test_the_whole_flow_from_upload_to_result(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.user("proposer"))
    page = client.get("/import/")
    assert page.status_code == 200 and b"Import a catalogue" in page.content
    response = client.post("/import/", {"organisation": world.home.pk, "file": fixture("short_courses.csv")})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/{job.pk}/"
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "1. Map the columns" in page and "Course code" in page and "UTF-8" in page

    fields = {f"column_{i}": job.mapping[header] for i, header in enumerate(job.headers)}
    response = client.post(f"/import/{job.pk}/mapping/", {**fields, "save_as": "Short courses sheet"})
    assert response.status_code == 302
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "4 will be created" in page and "Row 5" in page and "3. Import" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/import/{job.pk}/run/", {"mode": "all_or_nothing"})
    assert response.status_code == 302
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "Imported 4 micro-credential(s)" in page and 'value="100"' in page
    assert MicroCredential.objects.filter(organisation=world.home).count() == 4
    assert "Short courses sheet" in client.get("/import/").content.decode()


def test_a_broken_row_is_named_in_the_preview_and_a_better_mapping_fixes_it(world, client):
    client.force_login(world.user("proposer"))
    data = csv_bytes(
        [row("A-1", hours="6"), row("A-2", hours="SCQF 7")],
        ["Code", "Title", "Summary", "Outcomes", "Credits", "Level", "ISCED"],
    )
    client.post("/import/", {"organisation": world.home.pk, "file": upload(data)})
    job = ImportJob.objects.get()
    fields = {f"column_{i}": job.mapping[header] for i, header in enumerate(job.headers)}
    assert fields["column_5"] == "eqf_level"
    client.post(f"/import/{job.pk}/mapping/", fields)
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "1 has problems" in page
    assert "Row 3" in page and "Level: &#x27;SCQF 7&#x27; is not an EQF level" in page

    client.post(f"/import/{job.pk}/mapping/", {**fields, "column_5": "nqf_level"})
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "2 will be created" in page and "has problems" not in page


def test_a_bad_file_is_refused_on_the_upload_page(world, client):
    client.force_login(world.user("proposer"))
    response = client.post(
        "/import/", {"organisation": world.home.pk, "file": upload(b"PK\x03\x04junk", "catalogue.csv")}
    )
    assert response.status_code == 400
    assert "rename it or export it again" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_invalid_mapping_is_explained(world, client):
    client.force_login(world.user("proposer"))
    client.post("/import/", {"organisation": world.home.pk, "file": upload(csv_bytes([row("A")]))})
    job = ImportJob.objects.get()
    response = client.post(f"/import/{job.pk}/mapping/", {"column_0": "code", "column_1": "code"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "mapped from several columns (Code, Title)" in page and "Map a column to &#x27;Title" in page


def test_only_importers_see_the_page_and_the_nav_link(world, client):
    client.force_login(world.user("reviewer"))
    assert client.get("/import/").status_code == 403
    assert 'href="/import/"' not in client.get("/micro-credentials/").content.decode()
    client.force_login(world.user("qa_officer"))
    assert 'href="/import/"' in client.get("/micro-credentials/").content.decode()


def test_an_outsider_gets_404_for_someone_elses_import(world, client):
    client.force_login(world.user("proposer"))
    client.post("/import/", {"organisation": world.home.pk, "file": upload(csv_bytes([row("A")]))})
    job = ImportJob.objects.get()
    client.force_login(world.outsider)
    assert client.get(f"/import/{job.pk}/").status_code == 404
    assert client.get(f"/import/{job.pk}/problems.csv").status_code == 404
    assert client.post(f"/import/{job.pk}/run/", {"mode": "all_or_nothing"}).status_code == 404


def test_the_approved_elsewhere_choice_is_offered_to_qa_officers_only(world, client):
    client.force_login(world.user("proposer"))
    client.post("/import/", {"organisation": world.home.pk, "file": upload(csv_bytes([row("A")]))})
    job = ImportJob.objects.get()
    fields = {f"column_{i}": job.mapping[header] for i, header in enumerate(job.headers)}
    client.post(f"/import/{job.pk}/mapping/", fields)
    assert "approved elsewhere" not in client.get(f"/import/{job.pk}/").content.decode()
    client.force_login(world.user("qa_officer"))
    assert "approved elsewhere" in client.get(f"/import/{job.pk}/").content.decode()
    response = client.post(f"/import/{job.pk}/run/", {"mode": "all_or_nothing", "as_approved": "on"})
    assert response.status_code == 400 and "Name the system or body" in response.content.decode()
