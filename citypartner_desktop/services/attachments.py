"""Files attached to records, kept inside the database so the one file travels whole."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citypartner_desktop.atomic_files import atomic_file
from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import NotFoundError, ValidationError
from citypartner_desktop.domain.file_names import printable_name, safe_file_name
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
    # A name Linux allows ("a:b?.pdf", undecodable bytes, a trailing dot) must still be one
    # that can be saved out on Windows and shown without hidden characters.
    name = safe_file_name(source.name)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with uow:
        if not records_repo.exists(uow.session, owner_kind, owner_id):
            raise NotFoundError(f"No {owner_kind} with id {owner_id}.")
        now = utcnow()
        attachment_id = repo.add(uow.session, owner_kind, owner_id, name, media_type,
                                 data, hashlib.sha256(data).hexdigest(), now)
        audit.record(uow, "attachment", attachment_id, "*", None, "created", now)
        audit.record(uow, "attachment", attachment_id, "file_name", None, name, now)
        uow.commit()
        return attachment_id


def save_copy(uow: UnitOfWork, attachment_id: str, target: Path) -> Path:
    """Write the attachment to ``target`` (``atomic_files``: a temporary file, then a rename;
    never half a file, and a copy that fails or is interrupted leaves nothing behind).

    ``target`` is the file the user chose; a folder means "into this folder", under the
    attachment's safe name (never the stored name itself: it may hold "../" or "C:\\")."""
    with uow:
        found = repo.content(uow.session, attachment_id)
    if found is None:
        raise NotFoundError(f"No attachment with id {attachment_id}.")
    if target.is_dir():
        target = target / safe_file_name(found[0])
    with atomic_file(target) as out:
        shutil.copyfileobj(io.BytesIO(found[1]), out, _CHUNK)
    return target


def file_name(uow: UnitOfWork, attachment_id: str) -> str:
    """The name to save the attachment under: a safe base name, whatever an older version,
    an archive or a visit pack stored."""
    with uow:
        found = repo.content(uow.session, attachment_id)
    if found is None:
        raise NotFoundError(f"No attachment with id {attachment_id}.")
    return safe_file_name(found[0])


def suggested_path(uow: UnitOfWork, attachment_id: str, folder: Path) -> Path:
    """Where *Save attachment* proposes to write: always directly inside ``folder``."""
    return folder / file_name(uow, attachment_id)


@dataclass(frozen=True)
class CheckedRows:
    """An archive's attachment rows made safe to restore, and what was changed on the way."""

    rows: list[Sequence[Any]]
    renamed: dict[str, tuple[str, str]]  # attachment id -> (name in the archive, name kept)


def checked_archive_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> CheckedRows:
    """Attachment rows of an archive, each checked against the SHA-256 and size it carries
    and its file name reduced to a safe base name. Raises ValidationError naming the
    attachments whose bytes do not match (a damaged or altered archive), before anything
    is written."""
    missing = [c for c in ("id", "file_name", "size", "sha256", "content") if c not in columns]
    if missing and rows:
        raise ValidationError.single("archive", f"table attachments lacks the columns "
                                                f"{', '.join(missing)}; its files cannot be "
                                                "checked, so nothing was imported")
    at = {c: columns.index(c) for c in ("id", "file_name", "size", "sha256", "content")
          if c in columns}
    bad: list[str] = []
    checked: list[Sequence[Any]] = []
    renamed: dict[str, tuple[str, str]] = {}
    for row in rows:
        attachment_id, name = str(row[at["id"]]), row[at["file_name"]]
        name = name if isinstance(name, str) else ""  # none at all: the fallback, noted
        problem = _bytes_problem(row[at["content"]], row[at["size"]], row[at["sha256"]])
        if problem:
            bad.append(f'{attachment_id} "{printable_name(name)}" ({problem})')
        safe = safe_file_name(name)
        if safe != name:
            renamed[attachment_id] = (name, safe)
            row = [safe if i == at["file_name"] else v for i, v in enumerate(row)]
        checked.append(row)
    if bad:
        shown = "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise ValidationError.single(
            "archive", f"the bytes of {len(bad)} attachment(s) do not match the SHA-256 and "
                       f"size recorded with them, so the archive is damaged or was altered "
                       f"and nothing was imported: {shown}")
    return CheckedRows(checked, renamed)


def _bytes_problem(content: object, size: object, sha256: object) -> str | None:
    """What is wrong with an attachment's bytes against its recorded size and SHA-256."""
    if not isinstance(content, bytes):
        return "its bytes are missing"
    if str(sha256 or "").lower() != hashlib.sha256(content).hexdigest():
        return "SHA-256 differs"
    if size != len(content):
        return f"{len(content):,} bytes, recorded as {size}"
    return None
