"""Alembic environment, shipped inside the package and driven by db/schema.py (no alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from citypartner_desktop.db.fts import is_fts_object
from citypartner_desktop.db.models import Base


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
             ) -> bool:
    """FTS tables are made by hand in migrations; autogenerate must not try to drop them."""
    return not (type_ == "table" and name is not None and is_fts_object(name))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER by rebuilding tables
        compare_type=True,
        include_object=_include,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through citypartner_desktop.db.schema, with a connection")
_run(connection)
