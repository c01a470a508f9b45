"""The audit trail: who changed which field of which record, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Change(RecordMixin, Base):
    """Audit trail: one row per changed field (or per created/deleted/restored record)."""

    __tablename__ = "changes"

    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column()
    changed_by: Mapped[str] = mapped_column(String(200))
    installation_id: Mapped[str] = mapped_column(String(36))

    __table_args__ = (Index("ix_changes_record", "record_kind", "record_id"),)
