"""Writes of what monitoring remembers: office-wide settings and the answers to reminders.

Kept apart from ``monitoring`` (plain-SQL reads) because these go through the ORM, which the
dashboard's reads must not need. Never commits: the calling service owns the transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import new_id, utcnow
from citypartner_desktop.db.models import ReminderState, Setting


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.scalars(select(Setting).where(Setting.key == key)).first()
    now = utcnow()
    if row is None:
        session.add(Setting(id=new_id(), key=key, value=value, created_at=now, updated_at=now))
    else:
        row.value, row.deleted_at, row.updated_at = value, None, now


def put_reminder_state(session: Session, key: str, snoozed_until: date | None,
                       done_on: date | None) -> None:
    row = session.scalars(select(ReminderState).where(ReminderState.item_key == key)).first()
    now = utcnow()
    if row is None:
        session.add(ReminderState(id=new_id(), item_key=key, snoozed_until=snoozed_until,
                                  done_on=done_on, created_at=now, updated_at=now))
    else:
        row.snoozed_until, row.done_on, row.deleted_at, row.updated_at = (
            snoozed_until, done_on, None, now)
