"""Facts about the database itself: its schema revision and when it last changed."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()




def latest_change_marker(session: Session) -> str | None:
    """The newest audit time as stored (every service write is audited): equal markers mean
    no change in between, whatever the clocks say."""
    value = session.execute(text("SELECT max(changed_at) FROM changes")).scalar()
    return None if value is None else str(value)
