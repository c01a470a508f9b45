"""Attachment bytes live in the database; only these functions read or write them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import new_id
from citypartner_desktop.db.models import Attachment


def add(session: Session, owner_kind: str, owner_id: str, file_name: str, media_type: str,
        content: bytes, sha256: str, now: datetime) -> str:
    attachment = Attachment(id=new_id(), owner_kind=owner_kind, owner_id=owner_id,
                            file_name=file_name, media_type=media_type, size=len(content),
                            sha256=sha256, content=content, created_at=now, updated_at=now)
    session.add(attachment)
    return attachment.id


def content(session: Session, attachment_id: str) -> tuple[str, bytes] | None:
    row = session.execute(
        select(Attachment.file_name, Attachment.content).where(
            Attachment.id == attachment_id, Attachment.deleted_at.is_(None))
    ).first()
    return None if row is None else (row[0], row[1])
