"""Rows per record table, live and deleted, kept by triggers (see ``db.derived``)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base


class LiveCount(Base):
    __tablename__ = "live_counts"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    live: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[int] = mapped_column(Integer)
