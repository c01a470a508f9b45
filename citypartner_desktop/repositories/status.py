"""Facts about the database file itself: schema revision and SQLite's quick check."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def quick_check(session: Session) -> str:
    rows = [r[0] for r in session.execute(text("PRAGMA quick_check"))]
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])
