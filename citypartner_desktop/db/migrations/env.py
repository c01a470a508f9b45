"""Alembic environment, shipped inside the package and driven by db/schema.py (no alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from citypartner_desktop.db.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER by rebuilding tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through citypartner_desktop.db.schema, with a connection")
_run(connection)
