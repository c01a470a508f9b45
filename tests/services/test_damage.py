"""Damaged files: each kind is detected before anything writes to it, the file is left byte for
byte as it was, the full check names the problem, and restoring the newest good backup moves the
damaged file to recovery/ and brings the data back."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from citypartner_desktop.db.damage import wal_path
from citypartner_desktop.domain.errors import DatabaseDamagedError, NotSQLiteError
from citypartner_desktop.services import backups, records, safety
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(6)
    start = len(data) // 3
    for i in range(start, start + 16_384):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _not_a_database(path: Path) -> None:
    path.write_text("Dear partners, please find attached…", encoding="utf-8")


def _garbage_wal(path: Path) -> None:
    wal_path(path).write_bytes(random.Random(2).randbytes(40_000))


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "bytes flipped": (_flip_bytes, "SQLite's check found"),
    "truncated": (_truncate, "truncated"),
    "empty": (_empty, "empty"),
    "not a database": (_not_a_database, "not SQLite"),
    "garbage WAL": (_garbage_wal, "not a valid SQLite log"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture
def backed_up(db_path: Path) -> Path:
    """A database with data and one good backup of it, closed."""
    db = open_db(db_path, TEST_ACTOR)
    for i in range(150):  # enough pages that damage in the middle hits table data
        records.create(db.uow(), "city", {"name": f"Stadt {i}", "country": "DE",
                                          "notes": "Partnerschaft " * 60})
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    backups.backup_now(db_path)
    db.close()
    return db_path


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_found_and_the_file_left_unchanged(backed_up: Path, kind: str) -> None:
    damage_it, expected = DAMAGE[kind]
    damage_it(backed_up)
    had_wal = wal_path(backed_up).exists()
    before = (_digest(backed_up), _digest(wal_path(backed_up)))

    def unchanged() -> bool:
        # The read-only check may leave an empty -wal beside a WAL database (SQLite's way of
        # reading one); the database itself, and any log that was there, stay byte for byte.
        now = (_digest(backed_up), _digest(wal_path(backed_up)))
        return now[0] == before[0] and (now[1] == before[1] or (
            not had_wal and wal_path(backed_up).stat().st_size == 0))

    with pytest.raises(DatabaseDamagedError) as refused:
        open_db(backed_up, TEST_ACTOR)
    assert expected in str(refused.value)
    assert "has not been changed" in str(refused.value) or isinstance(refused.value,
                                                                      NotSQLiteError)
    assert unchanged()
    report = safety.full_check(backed_up)
    assert not report.ok and report.problems
    assert unchanged()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_restoring_the_newest_good_backup_after_damage(backed_up: Path, kind: str) -> None:
    DAMAGE[kind][0](backed_up)
    damaged = (_digest(backed_up), _digest(wal_path(backed_up)))
    good = backups.newest_good_backup(backed_up)
    assert good is not None and good.counts["cities"] == 151
    result = backups.restore(backed_up, good.path, TEST_ACTOR)
    moved = result.damaged_moved_to
    if kind == "empty":  # there is nothing in it to keep
        assert moved is None
    else:
        assert moved is not None and moved.parent == backed_up.parent / "recovery"
        assert _digest(moved / backed_up.name) == damaged[0]
        if kind == "garbage WAL":
            assert _digest(moved / wal_path(backed_up).name) == damaged[1]
    assert result.safety_copy is None  # a damaged file is not "backed up", it is moved
    db = open_db(backed_up, TEST_ACTOR)
    try:
        from citypartner_desktop.services.database import info

        assert info(db).counts["cities"] == 151
        assert info(db).health == "ok"
    finally:
        db.close()
    assert safety.full_check(backed_up).ok


def test_an_empty_file_is_refused_even_without_backups(db_path: Path) -> None:
    """Only a path where nothing is becomes a new database: an emptied file (a failed copy,
    a sync client) is never turned into a new, empty office under its name."""
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseDamagedError, match="empty"):
        open_db(db_path, TEST_ACTOR)
    assert db_path.read_bytes() == b""
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_full_check_finds_broken_references(db_path: Path) -> None:
    db = open_db(db_path, TEST_ACTOR)
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    records.create(db.uow(), "contact", {"full_name": "Anna Nowak", "city_id": city})
    db.close()
    assert safety.full_check(db_path).ok
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM cities")
    conn.commit()
    conn.close()
    report = safety.full_check(db_path)
    assert not report.ok
    assert "contacts refers to a missing row in cities" in report.problems[0]


def test_a_checkpoint_cut_off_after_page_one_is_not_called_damage(db_path: Path) -> None:
    """A checkpoint copies the log's pages into the file from page 1 on. Killed after page 1,
    the file's header counts pages it does not have yet; the log still holds them, and the
    next open finishes the copy. (Seen in the crash-safety test's killed imports.)"""
    import struct

    from citypartner_desktop.db.damage import WAL_HEADER_SIZE, header_problem

    open_db(db_path, TEST_ACTOR).close()  # checkpointed: the file is whole, the log empty
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("Łódź " * 200,)] * 300)
    conn.commit()
    crashed = db_path.with_name("crashed.db")  # the files as a kill would leave them
    crashed.write_bytes(db_path.read_bytes())
    wal = wal_path(db_path).read_bytes()
    wal_path(crashed).write_bytes(wal)
    conn.close()
    page_size = struct.unpack(">I", wal[8:12])[0]
    frame = 24 + page_size
    page_one = None
    for offset in range(WAL_HEADER_SIZE, len(wal) - frame + 1, frame):
        if struct.unpack(">I", wal[offset:offset + 4])[0] == 1:
            page_one = wal[offset + 24:offset + frame]  # the newest copy of page 1
    assert page_one is not None
    with crashed.open("r+b") as fh:  # the checkpoint's first write, and no more
        fh.write(page_one)
    assert header_problem(crashed) is None
    reader = sqlite3.connect(crashed)
    try:
        assert reader.execute("SELECT count(*) FROM filler").fetchone() == (300,)
        assert reader.execute("PRAGMA quick_check").fetchone() == ("ok",)
    finally:
        reader.close()
    crashed.write_bytes(crashed.read_bytes()[: 4 * page_size])  # now cut short, no log
    wal_path(crashed).unlink(missing_ok=True)
    assert "truncated" in (header_problem(crashed) or "")
