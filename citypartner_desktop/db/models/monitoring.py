"""What monitoring remembers: office-wide settings and the user's answers to reminders."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Setting(RecordMixin, Base):
    """A setting that belongs to the data (shared by everyone using this database), such as
    when a partnership counts as dormant; window state stays in QSettings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text)


class ReminderState(RecordMixin, Base):
    """The user's answer to one reminder: snoozed until a day, or done. The key names the item
    and its date (e.g. ``agreement:ID:expires:2027-03-31``), so a new date is a new reminder."""

    __tablename__ = "reminder_states"

    item_key: Mapped[str] = mapped_column(String(200), unique=True)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
