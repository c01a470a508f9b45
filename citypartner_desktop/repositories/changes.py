"""The audit trail of one record, newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import WrittenOrder
from citypartner_desktop.db.models import Change


def of_record(session: Session, kind: str, record_id: str, limit: int
              ) -> list[tuple[str, str | None, str | None, datetime, str]]:
    stmt = (
        select(Change.field, Change.old_value, Change.new_value, Change.changed_at,
               Change.changed_by)
        .where(Change.record_kind == kind, Change.record_id == record_id)
        # One save writes its fields with the same time: kept in the order they were written.
        .order_by(Change.changed_at.desc(), WrittenOrder("changes").desc())
        .limit(limit)
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(stmt)]
