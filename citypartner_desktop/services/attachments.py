"""Files attached to records, kept inside the database so the one file travels whole."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import shutil
from pathlib import Path

from citypartner_desktop.atomic_files import atomic_file
from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import NotFoundError, ValidationError
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.repositories import attachments as repo
from citypartner_desktop.repositories import records as records_repo
from citypartner_desktop.services import audit

MAX_BYTES = 50 * 1024 * 1024  # a scanned agreement fits; a video does not belong here
_CHUNK = 1024 * 1024  # bytes per write when an attachment is saved out to a file


def attach(uow: UnitOfWork, owner_kind: str, owner_id: str, source: Path) -> str:
    """Store a copy of ``source`` with the record; returns the attachment's id."""
    spec_for(owner_kind)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ValidationError.single("file", f"{source} cannot be read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise ValidationError.single(
            "file", f"{source.name} is {size / 1e6:.0f} MB; attachments may be at most "
            f"{MAX_BYTES / 1e6:.0f} MB")
    data = source.read_bytes()
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    with uow:
        if not records_repo.exists(uow.session, owner_kind, owner_id):
            raise NotFoundError(f"No {owner_kind} with id {owner_id}.")
        now = utcnow()
        attachment_id = repo.add(uow.session, owner_kind, owner_id, source.name, media_type,
                                 data, hashlib.sha256(data).hexdigest(), now)
        audit.record(uow, "attachment", attachment_id, "*", None, "created", now)
        audit.record(uow, "attachment", attachment_id, "file_name", None, source.name, now)
        uow.commit()
        return attachment_id


def save_copy(uow: UnitOfWork, attachment_id: str, target: Path) -> Path:
    """Write the attachment to ``target`` (``atomic_files``: a temporary file, then a rename;
    never half a file, and a copy that fails or is interrupted leaves nothing behind)."""
    with uow:
        found = repo.content(uow.session, attachment_id)
    if found is None:
        raise NotFoundError(f"No attachment with id {attachment_id}.")
    with atomic_file(target) as out:
        shutil.copyfileobj(io.BytesIO(found[1]), out, _CHUNK)
    return target


def file_name(uow: UnitOfWork, attachment_id: str) -> str:
    with uow:
        found = repo.content(uow.session, attachment_id)
    if found is None:
        raise NotFoundError(f"No attachment with id {attachment_id}.")
    return found[0]
