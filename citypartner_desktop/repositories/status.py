"""Facts about the database file itself: schema revision and SQLite's quick check."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from citypartner_desktop.db.models import Change


def revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def quick_check(session: Session) -> str:
    rows = [r[0] for r in session.execute(text("PRAGMA quick_check"))]
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def latest_change_at(session: Session) -> datetime | None:
    """When the newest audited change was made (every service write is audited)."""
    when = session.execute(select(func.max(Change.changed_at))).scalar()
    if when is None:
        return None
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
