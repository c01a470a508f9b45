"""Files attached to records (a signed agreement, minutes), stored inside the database."""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Attachment(RecordMixin, Base):
    """A file kept inside the database, so the one file is the whole truth and travels whole."""

    __tablename__ = "attachments"

    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(36))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)
