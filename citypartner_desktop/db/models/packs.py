"""Visit packs: what a pack file says about itself (``pack_info``, one row), the base copy of
every record as it was packed (``pack_base``: the common ancestor of the three-way merge), and
in an office database its own identity and the packs merged into it (``pack_merges``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, UTCDateTime


class DatabaseIdentity(Base):
    """One row: this database's own id, made when it was created (a pack remembers the id
    of the office it came from, so it is never merged into another one)."""

    __tablename__ = "database_identity"

    database_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class PackInfo(Base):
    __tablename__ = "pack_info"

    pack_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_database_id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(Text)  # where it was made from, shown (no password)
    schema_revision: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)  # "Nürnberg – Kraków", "3 partnerships", …
    scope: Mapped[dict[str, object]] = mapped_column(JSON)


class PackBase(Base):
    __tablename__ = "pack_base"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    row: Mapped[dict[str, object]] = mapped_column(JSON)  # column -> value as merged (canon)


class PackMerge(Base):
    """A pack merged into this office: when, by whom, what it did (for "already merged" and
    for Undo merge)."""

    __tablename__ = "pack_merges"

    pack_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    merged_by: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, object]] = mapped_column(JSON)
    undo: Mapped[list[list[Any]]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


PACK_TABLES = ("database_identity", "pack_info", "pack_base", "pack_merges")
