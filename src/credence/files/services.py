"""Every write to attachments: storing an upload (its type checked from its bytes, its size limited,
its sha256 computed) and removing one. Callers say who may attach to the owner; each write is audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models, transaction

from credence.audit.services import record_event
from credence.organisations.authorization import require
from credence.organisations.models import Organisation, User

from .models import Attachment

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _zip_with(member: str) -> Callable[[bytes], bool]:
    """An Office Open XML file: a ZIP whose directory lists [Content_Types].xml and `member`."""

    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())  # the directory only: nothing is extracted
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return "[Content_Types].xml" in names and member in names

    return check


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    media_type: str
    extensions: tuple[str, ...]
    matches: Callable[[bytes], bool]


FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",), lambda b: b.startswith(b"%PDF-")),
        FileType("png", "PNG image", "image/png", (".png",), lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
        FileType(
            "jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"), lambda b: b.startswith(b"\xff\xd8\xff")
        ),
        FileType(
            "docx",
            "Word document (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            _zip_with("word/document.xml"),
        ),
        FileType(
            "xlsx",
            "Excel workbook (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            _zip_with("xl/workbook.xml"),
        ),
    )
}


def detect_type(data: bytes) -> FileType | None:
    """The type of `data` from its first bytes (and, for DOCX/XLSX, the ZIP's directory)."""
    return next((t for t in FILE_TYPES.values() if t.matches(data)), None)


def max_upload_bytes() -> int:
    return int(getattr(settings, "CREDENCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _size_text(size: int) -> str:
    mb = 1024 * 1024
    return f"{size / mb:g} MB" if size >= mb else f"{size} bytes"


def _read(upload: File, limit: int) -> bytes:
    too_large = ValidationError({"file": f"The file is too large: at most {_size_text(limit)}."})
    if upload.size is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError({"file": "The file is empty."})
    return bytes(data)


def check_upload(upload: File, allowed_types: Collection[str]) -> tuple[FileType, bytes, str]:
    """The upload's type, bytes and clean name, or a ValidationError on `file`. Writes nothing."""
    allowed = [FILE_TYPES[key] for key in allowed_types]
    accepted = ", ".join(t.label for t in allowed)
    name = PurePath(str(upload.name or "").replace("\\", "/")).name.strip()[:255]
    if not name:
        raise ValidationError({"file": "Choose a file."})
    data = _read(upload, max_upload_bytes())
    detected = detect_type(data)
    extension = PurePath(name).suffix.lower()
    if detected is None or detected not in allowed:
        raise ValidationError(
            {"file": f"'{name[:100]}' is not an accepted kind of file. Accepted: {accepted}."}
        )
    if extension not in detected.extensions:
        raise ValidationError(
            {
                "file": f"'{name[:100]}' is named as {extension or 'a file without an extension'} "
                f"but its contents are a {detected.label}: rename it or choose the right file."
            }
        )
    return detected, data, name


@transaction.atomic
def attach_file(
    *,
    actor: User | None,
    organisation: Organisation,
    owner: models.Model,
    upload: File,
    allowed_types: Collection[str],
    permission: str | None,
) -> Attachment:
    """Store `upload` as an attachment of `owner`, in `organisation`.

    `permission` is required of `actor` on `owner`; pass None only when the caller has already checked
    who may attach (e.g. "the assigned reviewer of an open review"). Nothing is written unless the file
    is accepted: not empty, within CREDENCE_MAX_UPLOAD_BYTES, its type (detected from its bytes) among
    `allowed_types` and matching its name's extension.
    """
    if actor is not None and permission is not None:
        require(actor, permission, owner)
    file_type, data, name = check_upload(upload, allowed_types)
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        name=name,
        content_type=file_type.media_type,
        size=len(data),
        sha256=digest,
        organisation=organisation,
        uploaded_by=actor if actor is not None and actor.pk else None,
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    stored = str(attachment.file.name)
    try:
        attachment.save()
        record_event(
            actor=actor,
            action="files.attachment_added",
            obj=attachment,
            organisation=organisation,
            changes={
                "name": [None, name],
                "content_type": [None, file_type.media_type],
                "size": [None, len(data)],
                "sha256": [None, digest],
                "owner": [None, f"{owner._meta.label_lower} {owner.pk}"],
            },
        )
    except BaseException:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User | None, attachment: Attachment, permission: str | None) -> None:
    """Delete the attachment's row now and its stored file once the transaction commits.

    `permission` as for `attach_file` (None when the caller has checked)."""
    if actor is not None and permission is not None:
        require(actor, permission, attachment.owner)
    storage, stored = attachment.file.storage, str(attachment.file.name)
    record_event(
        actor=actor,
        action="files.attachment_removed",
        obj=attachment,
        organisation=attachment.organisation,
        changes={"name": [attachment.name, None], "sha256": [attachment.sha256, None]},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
