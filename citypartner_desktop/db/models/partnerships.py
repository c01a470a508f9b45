"""The partnership aggregate: the partnership, its member cities, coordinators, goals, actions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin, partial_index


class Partnership(RecordMixin, Base):
    __tablename__ = "partnerships"

    title: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40), index=True)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date | None] = mapped_column(Date)
    since_year: Mapped[int | None] = mapped_column(Integer)  # a list's "since 1979", no day
    end_date: Mapped[date | None] = mapped_column(Date)
    programme_id: Mapped[str | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    lead_department: Mapped[str | None] = mapped_column(String(200))
    aims: Mapped[str | None] = mapped_column(Text)
    # How often the partnership is evaluated; the dashboard lists it when one is due.
    evaluation_cadence_months: Mapped[int] = mapped_column(Integer, default=12,
                                                           server_default="12")
    search_key: Mapped[str] = mapped_column(Text, default="")


class Membership(RecordMixin, Base):
    """A city taking part in a partnership, with its role."""

    __tablename__ = "memberships"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class Coordinator(RecordMixin, Base):
    __tablename__ = "coordinators"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    responsibility: Mapped[str | None] = mapped_column(String(200))


class Goal(RecordMixin, Base):
    __tablename__ = "goals"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str | None] = mapped_column(String(40))
    indicator: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(50))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40))


class Action(RecordMixin, Base):
    """A follow-up action; it belongs to a partnership, optionally via an activity/evaluation."""

    __tablename__ = "actions"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)
    activity_id: Mapped[str | None] = mapped_column(ForeignKey("activities.id"), index=True)
    evaluation_id: Mapped[str | None] = mapped_column(ForeignKey("evaluations.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")
    # Written by SQLite triggers (db/derived.py), never by the app: the sort key of a column.
    partnership_label: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_actions_due_date", "due_date"),
        # Open actions by due date (dashboard, reminders): counted from the index alone.
        Index("ix_actions_open_due", "due_date",
              **partial_index(text("done_date IS NULL AND deleted_at IS NULL"))),
    )
