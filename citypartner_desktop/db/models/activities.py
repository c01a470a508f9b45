"""Activities of a partnership (meetings, delegation visits, events, projects, …) and the
contacts taking part in them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin, partial_index


class Activity(RecordMixin, Base):
    __tablename__ = "activities"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    city_id: Mapped[str | None] = mapped_column(ForeignKey("cities.id"), index=True)
    participant_count: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    summary: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")
    # Written by SQLite triggers (db/derived.py), never by the app: the sort key of a column.
    partnership_label: Mapped[str | None] = mapped_column(Text)
    city_label: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_activities_start_date", "start_date"),
        Index("ix_activities_partnership_start", "partnership_id", "start_date"),
        # The last visit of each partnership (dashboard, dormancy) without walking all its
        # activities; a few percent of the rows (migration 0005).
        # Activities per partnership and year (dashboard chart) read from the index alone.
        Index("ix_activities_live_partnership_start", "partnership_id", "start_date",
              **partial_index(text("deleted_at IS NULL"))),
        Index("ix_activities_live_visits", "partnership_id", "start_date",
              **partial_index(text("kind = 'visit' AND deleted_at IS NULL"))),
    )


class Participant(RecordMixin, Base):
    __tablename__ = "participants"

    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(200))
