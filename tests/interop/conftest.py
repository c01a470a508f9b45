"""Import tests share the session's built gazetteer; helpers to see that nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.repositories import bulk

TABLES = ("cities", "contacts", "partnerships", "memberships", "activities", "changes")


@pytest.fixture(autouse=True)
def _gazetteer(shared_gazetteer: Path) -> None:
    """Every import test resolves cities against the real gazetteer, built once."""


def snapshot(db: Database) -> dict[str, int]:
    """Rows per table, deleted ones and the audit trail included."""
    with db.uow() as uow:
        return bulk.row_counts(uow.session, TABLES)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
