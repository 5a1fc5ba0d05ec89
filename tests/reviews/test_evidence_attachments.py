"""The assigned reviewer attaches files to a judgement's evidence (PDF, PNG, JPEG, DOCX, XLSX), on the
review page (with or without htmx); they show under the judgement, in the combined view and the report."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.files.models import Attachment
from credence.reviews import services

from ..files.samples import EXE, PDF, XLSX


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _judge(world, review, verdict="met"):
    return services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict=verdict,
    )


def _post(client, review, upload, **extra):
    data = {
        "pack_id": "esg-2015-part1",
        "criterion_id": "esg.1.7",
        "verdict": "met",
        "evidence": "",
        "evidence_links": "",
        "comment": "",
        "file": upload,
    }
    return client.post(f"/reviews/{review.pk}/judge/", data, **extra)


def test_the_reviewer_attaches_a_pdf_and_it_shows_under_the_judgement(world, review, client, media_root):
    client.force_login(world.user("reviewer"))

    response = _post(client, review, SimpleUploadedFile("dashboard.pdf", PDF))

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.size, attachment.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert attachment.owner == review.judgements.get()
    assert (media_root / attachment.file.name).read_bytes() == PDF
    html = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'href="/files/{attachment.pk}/"' in html
    assert "dashboard.pdf" in html
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html


def test_with_htmx_the_criterion_comes_back_with_its_file(world, review, client):
    client.force_login(world.user("reviewer"))

    response = _post(client, review, SimpleUploadedFile("data.xlsx", XLSX), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "data.xlsx" in response.content.decode()


def test_an_exe_renamed_pdf_is_refused_on_the_file_field_and_nothing_is_stored(
    world, review, client, media_root
):
    client.force_login(world.user("reviewer"))

    response = _post(client, review, SimpleUploadedFile("evidence.pdf", EXE), headers={"HX-Request": "true"})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="file-esg-2015-part1--esg.1.7-error"' in html
    assert "not an accepted kind of file" in html
    assert not Attachment.objects.exists()
    assert not review.judgements.exists()  # the judgement and its file go together
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_the_service_refuses_an_empty_and_an_oversize_file(world, review, settings):
    judgement = _judge(world, review)
    with pytest.raises(ValidationError) as caught:
        services.attach_evidence(
            actor=world.user("reviewer"), judgement=judgement, upload=SimpleUploadedFile("a.pdf", b"")
        )
    assert "file" in caught.value.message_dict
    settings.CREDENCE_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        services.attach_evidence(
            actor=world.user("reviewer"), judgement=judgement, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    assert "too large" in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("who", ["qa_officer", "org_admin", "proposer"])
def test_only_the_assigned_reviewer_may_attach(world, review, who):
    judgement = _judge(world, review)
    with pytest.raises(PermissionDenied):
        services.attach_evidence(
            actor=world.user(who), judgement=judgement, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    assert not Attachment.objects.exists()


def test_nothing_is_attached_once_the_review_is_submitted(world, review):
    judgement = _judge(world, review)
    services.submit_review(actor=world.user("reviewer"), review=review, recommendation="approve")
    with pytest.raises(ValidationError) as caught:
        services.attach_evidence(
            actor=world.user("reviewer"), judgement=judgement, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    assert "status" in caught.value.message_dict


def test_files_show_in_the_combined_view_and_the_reports_and_download_for_staff_only(world, review, client):
    judgement = _judge(world, review)
    attachment = services.attach_evidence(
        actor=world.user("reviewer"), judgement=judgement, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    client.force_login(world.user("qa_officer"))
    link = f'href="/files/{attachment.pk}/"'

    assert link in client.get(f"/reviews/versions/{review.version_id}/combined/").content.decode()
    assert link in client.get(f"/reviews/{review.pk}/report/").content.decode()
    assert client.get(f"/reviews/{review.pk}/report.pdf").status_code == 200
    download = client.get(f"/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"

    client.force_login(world.outsider_qa)
    assert client.get(f"/files/{attachment.pk}/").status_code == 404


def test_the_pdf_report_names_the_files_without_links(world, review, rf):
    from credence.reviews.views import _report_context

    judgement = _judge(world, review)
    services.attach_evidence(
        actor=world.user("reviewer"), judgement=judgement, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world.user("qa_officer")
    html = render_to_string("reviews/report_pdf.html", _report_context(request, review) | {"for_pdf": True})
    assert "File: minutes.pdf" in html
    assert "/files/" not in html
