"""The erasure register: which contacts were erased, when, by whom and why — no personal data,
so that a restored backup, an imported archive or a merged visit pack can erase them again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, UTCDateTime


class Erasure(Base):
    """One erased person. Not a record (no version, no tombstone): it is never edited, and it
    outlives the fields it removed."""

    __tablename__ = "erasures"

    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_by: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
