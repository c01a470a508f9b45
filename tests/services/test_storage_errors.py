"""Disk full, busy and I/O errors: a clear typed message, the transaction rolled back, earlier
data intact, and the next save works once the cause is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from citypartner_desktop.db import engine as engine_module
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import storage_error
from citypartner_desktop.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    StorageFullError,
    StorageIOError,
)
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

pytestmark = pytest.mark.file_only  # SQLite's disk and file errors


@contextmanager
def disk_full(db: Database) -> Iterator[None]:
    """SQLITE_FULL for real: every connection may not grow the file beyond its current size."""
    def limit(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(db.engine, "connect", limit)
    db.engine.dispose()
    try:
        yield
    finally:
        event.remove(db.engine, "connect", limit)
        db.engine.dispose()


def _names(db: Database) -> list[str]:
    return sorted(str(r.values[0]) for r in records.list_page(db.uow(), "city", ListQuery()))


def test_disk_full_is_a_clear_message_and_rolls_back(db: Database) -> None:
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    big = {"country": "PL", "notes": "Partnerschaft " * 1400}
    with disk_full(db):
        with pytest.raises(StorageFullError, match="disk is full") as full:
            for i in range(20):
                records.create(db.uow(), "city", {"name": f"Stadt {i}", **big})
        assert "everything saved before is intact" in str(full.value)
        saved_before_full = _names(db)
        assert "Łódź" in saved_before_full
    # Space is back: the same save works, nothing was half-written.
    records.create(db.uow(), "city", {"name": "Nach dem Freiräumen", **big})
    after = _names(db)
    assert after == sorted([*saved_before_full, "Nach dem Freiräumen"])
    with db.uow() as uow:
        from sqlalchemy import text

        assert uow.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_busy_database_is_a_typed_error_not_database_is_locked(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)  # do not wait 10 s in a test
    db = open_db(db_path, TEST_ACTOR)
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
    try:
        with pytest.raises(DatabaseBusyError) as busy:
            records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
        assert "locked" not in str(busy.value)
        assert "Try again" in str(busy.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    assert _names(db) == ["Kraków", "Łódź"]
    db.close()


def test_an_import_into_a_busy_database_says_busy_and_writes_nothing(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holds the write lock for longer than the busy timeout: the import
    says "busy, try again" (not that it refused the contacts), writes nothing, and goes
    through once the other program is done."""
    from citypartner_desktop.interop.importer import import_file

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    source = tmp_path / "people.csv"
    source.write_text("Name,City,Country\nAnna Nowak,Łódź,PL\n", encoding="utf-8")
    db = open_db(db_path, TEST_ACTOR)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError) as busy:
            import_file(db, "contacts", source)
        assert "Try again" in str(busy.value)
        assert "refused" not in str(busy.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _names(db) == []
    _prepared, report = import_file(db, "contacts", source)
    assert report.committed
    assert _names(db) == ["Łódź"]
    db.close()


@pytest.mark.parametrize(("sqlite_says", "error", "text"), [
    ("disk I/O error", StorageIOError, "read/write error"),
    ("database or disk is full", StorageFullError, "disk is full"),
    ("database is locked", DatabaseBusyError, "busy"),
    ("database disk image is malformed", DatabaseDamagedError, "damaged"),
])
def test_sqlite_errors_become_messages(sqlite_says: str, error: type[Exception],
                                       text: str) -> None:
    translated = storage_error(sqlite3.OperationalError(sqlite_says))
    assert isinstance(translated, error)
    assert text in str(translated)
