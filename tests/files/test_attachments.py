"""attach_file stores what it accepts (type from the bytes, size, sha256) and nothing else; the
download answers only those who may see the owner, always as a download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.audit.models import AuditEvent
from credence.files import services
from credence.files.models import Attachment
from credence.files.selectors import attachments_of
from credence.reviews import services as review_services

from ..factories import make_version
from .samples import DOCX, EXE, JPEG, PDF, PNG, XLSX

ALL = ("pdf", "png", "jpeg", "docx", "xlsx")


@pytest.fixture
def judgement(world):
    from credence.frameworks import services as fw_services

    fw_services.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home, status="in_review")
    review = review_services.open_review(actor=None, version=version, reviewer=world.user("reviewer"))
    return review_services.record_judgement(
        actor=world.user("reviewer"),
        review=review,
        pack_id="esg-2015-part1",
        criterion_id="esg.1.7",
        verdict="met",
    )


def _attach(world, judgement, name, data, allowed=ALL):
    return services.attach_file(
        actor=world.user("reviewer"),
        organisation=world.home,
        owner=judgement,
        upload=SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        allowed_types=allowed,
        permission=None,
    )


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("chart.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("minutes.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("data.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_it_stores_each_accepted_type_with_its_checksum(world, judgement, media_root, name, data, media_type):
    attachment = _attach(world, judgement, name, data)

    assert (attachment.name, attachment.content_type, attachment.size) == (name, media_type, len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.file.name.startswith(f"attachments/{world.home.pk}/")
    assert f"/{attachment.sha256[:2]}/" in attachment.file.name
    assert (media_root / attachment.file.name).read_bytes() == data
    assert list(attachments_of(judgement)) == [attachment]
    event = AuditEvent.objects.get(action="files.attachment_added")
    assert event.changes["sha256"] == [None, attachment.sha256]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("evidence.pdf", EXE, "not an accepted kind of file"),
        ("evidence.pdf", PNG, "contents are a PNG image"),
        ("evidence.docx", XLSX, "contents are a Excel workbook"),
        ("archive.pdf", b"PK\x03\x04 not really a zip", "not an accepted kind of file"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_it_refuses_a_wrong_or_disguised_file_and_stores_nothing(
    world, judgement, media_root, name, data, says
):
    with pytest.raises(ValidationError) as caught:
        _attach(world, judgement, name, data)

    assert says in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_it_refuses_a_type_the_caller_does_not_allow(world, judgement):
    with pytest.raises(ValidationError) as caught:
        _attach(world, judgement, "chart.png", PNG, allowed=("pdf",))
    assert "Accepted: PDF" in caught.value.message_dict["file"][0]


def test_it_refuses_a_file_over_the_limit(world, judgement, settings, media_root):
    settings.CREDENCE_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        _attach(world, judgement, "big.pdf", PDF + b"0" * 2000)

    assert "too large" in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_a_permission_given_is_required(world, judgement):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.attach_file(
            actor=world.outsider,
            organisation=world.home,
            owner=judgement,
            upload=SimpleUploadedFile("a.pdf", PDF),
            allowed_types=ALL,
            permission="reviews.open_review",
        )


def test_removing_deletes_the_row_and_the_file(
    world, judgement, media_root, django_capture_on_commit_callbacks
):
    attachment = _attach(world, judgement, "report.pdf", PDF)
    path = media_root / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(actor=world.user("reviewer"), attachment=attachment, permission=None)

    assert not Attachment.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="files.attachment_removed").exists()


def test_the_download_answers_with_the_bytes_and_the_security_headers(world, judgement, client):
    attachment = _attach(world, judgement, "report.pdf", PDF)
    client.force_login(world.user("qa_officer"))

    response = client.get(f"/files/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in response["Content-Disposition"]


def test_others_get_404(world, judgement, client):
    attachment = _attach(world, judgement, "report.pdf", PDF)
    for user in (world.outsider, world.outsider_qa, world.nobody):
        client.force_login(user)
        assert client.get(f"/files/{attachment.pk}/").status_code == 404
    client.force_login(world.user("qa_officer"))
    assert client.get(f"/files/{attachment.pk + 1000}/").status_code == 404
    client.logout()
    assert client.get(f"/files/{attachment.pk}/").status_code == 302


def test_an_attachment_of_a_model_without_an_owner_check_is_not_downloadable(world, client):
    attachment = services.attach_file(
        actor=None,
        organisation=world.home,
        owner=world.home,
        upload=SimpleUploadedFile("logo.png", PNG),
        allowed_types=ALL,
        permission=None,
    )
    client.force_login(world.user("org_admin"))
    assert client.get(f"/files/{attachment.pk}/").status_code == 404
