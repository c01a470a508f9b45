"""Backups: made with the backup API, listed with their counts, rotated, restored safely."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import BackupError, DatabaseInUseError
from citypartner_desktop.domain.retention import RetentionPolicy
from citypartner_desktop.services import backups, records
from citypartner_desktop.services.database import info, open_db
from tests.conftest import TEST_ACTOR

pytestmark = pytest.mark.file_only  # backup files of a database file


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _city(db: Database, name: str) -> str:
    return records.create(db.uow(), "city", {"name": name, "country": "PL"}).id


def test_backup_before_an_operation_is_listed_with_its_counts(db: Database) -> None:
    _city(db, "Łódź")
    path = backups.backup_before(db, "import")
    assert path.parent == db.path.parent / "backups"
    [entry] = backups.list_backups(db.path)
    assert entry.path == path and entry.reason == "before-import"
    details = backups.describe(path, entry=entry)
    assert details.usable and details.counts["cities"] == 1
    with sqlite3.connect(path) as conn:  # one self-contained file, no WAL needed
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_backup_to_a_chosen_file_and_refusals(db: Database, tmp_path: Path) -> None:
    _city(db, "Kraków")
    target = backups.backup_now(db.path, tmp_path / "elsewhere" / "copy.db")
    assert backups.describe(target).counts["cities"] == 1
    with pytest.raises(BackupError, match="cannot overwrite the database itself"):
        backups.backup_now(db.path, db.path)
    from citypartner_desktop.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="does not exist"):
        backups.backup_now(tmp_path / "missing.db")


def test_timer_backup_only_when_something_changed(db: Database) -> None:
    assert backups.backup_if_changed(db) is None  # a new, empty database: no change yet
    _city(db, "Gdańsk")
    first = backups.backup_if_changed(db)
    assert first is not None and "-auto-" in first.name
    assert backups.backup_if_changed(db) is None  # nothing new since
    _city(db, "Poznań")
    later = backups.backup_if_changed(db)
    assert later is not None and later != first
    assert backups.describe(later).counts["cities"] == 2


def test_rotation_keeps_what_the_policy_says(db: Database) -> None:
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(20):
        backups.make_backup(db.path, "auto", now=start + timedelta(days=day))
    for n in range(4):
        backups.make_backup(db.path, "before-import", now=start + timedelta(hours=n))
    removed = backups.rotate(db.path, RetentionPolicy(daily=3, weekly=0, monthly=0,
                                                      before_operation=2))
    left = backups.list_backups(db.path)
    autos = [e.taken_at.day for e in left if e.reason == "auto"]
    assert autos == [20, 19, 18]
    assert len([e for e in left if e.reason == "before-import"]) == 2
    assert len(removed) == 17 + 2
    assert all(not p.exists() for p in removed)


def test_settings_file_sets_the_counts(tmp_path: Path) -> None:
    ini = tmp_path / "ui.ini"
    ini.write_text("[backups]\nkeep_daily=2\nkeep_monthly=24\ninterval_minutes=5\n"
                   "keep_weekly=lots\n", encoding="utf-8")
    settings = backups.load_settings(ini)
    assert settings.policy == RetentionPolicy(daily=2, weekly=4, monthly=24)
    assert settings.interval_minutes == 5
    assert backups.load_settings(tmp_path / "none.ini") == backups.BackupSettings()


def test_restore_backs_up_the_current_state_first(db_path: Path) -> None:
    db = open_db(db_path, TEST_ACTOR)
    _city(db, "Łódź")
    good = backups.backup_now(db_path)
    _city(db, "Wrocław")
    db.close()
    result = backups.restore(db_path, good, TEST_ACTOR)
    assert result.damaged_moved_to is None and result.safety_copy is not None
    assert backups.describe(result.safety_copy).counts["cities"] == 2
    db = open_db(db_path, TEST_ACTOR)
    try:
        assert info(db).counts["cities"] == 1
        assert info(db).health == "ok"
        _city(db, "Toruń")  # and it is writable as usual
    finally:
        db.close()
    # The restore itself can be undone: restore the safety copy.
    backups.restore(db_path, result.safety_copy, TEST_ACTOR)
    db = open_db(db_path, TEST_ACTOR)
    assert info(db).counts["cities"] == 2
    db.close()


def test_restore_refuses_a_bad_backup_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    db = open_db(db_path, TEST_ACTOR)
    _city(db, "Łódź")
    db.close()
    before = _digest(db_path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a backup")
    newer = tmp_path / "newer.db"
    backups.backup_now(db_path, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x)")
    conn.close()
    for path, reason in ((bad, "not SQLite"), (newer, "newer version"),
                         (foreign, "not a CityPartner database"),
                         (tmp_path / "missing.db", "does not exist")):
        with pytest.raises(Exception, match=reason):
            backups.restore(db_path, path, TEST_ACTOR)
        assert _digest(db_path) == before
    assert backups.list_backups(db_path) == []  # not even a safety copy was needed


def test_restore_while_another_instance_has_it_open_is_refused(db: Database) -> None:
    _city(db, "Łódź")
    good = backups.backup_now(db.path)
    with pytest.raises(DatabaseInUseError, match="already open"):
        backups.restore(db.path, good, TEST_ACTOR)


def test_an_older_backup_is_upgraded_when_restored(db_path: Path, tmp_path: Path) -> None:
    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import HEAD_REVISION, upgrade

    old = tmp_path / "old" / "office.db"
    old.parent.mkdir()
    engine = make_engine(old)
    upgrade(engine, "0002_fts_search")
    engine.dispose()
    open_db(db_path, TEST_ACTOR).close()
    backups.restore(db_path, old, TEST_ACTOR)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)
    conn.close()
    reasons = {e.reason for e in backups.list_backups(db_path)}
    assert reasons == {"before-restore", "before-upgrade-0002_fts_search"}


def test_restoring_an_old_backup_that_rotation_would_drop_keeps_it_until_restored(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_db(db_path, TEST_ACTOR)
    _city(db, "Łódź")
    old = backups.make_backup(db_path, "auto", now=datetime(2020, 1, 1, tzinfo=UTC))
    for day in range(1, 4):
        backups.make_backup(db_path, "auto", now=datetime(2026, 1, day, tzinfo=UTC))
    _city(db, "Kraków")
    db.close()
    settings = tmp_path / "config" / "CityPartner" / "ui.ini"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings.parent.mkdir(parents=True)
    settings.write_text("[backups]\nkeep_daily=1\nkeep_weekly=0\nkeep_monthly=0\n")
    result = backups.restore(db_path, old, TEST_ACTOR)
    assert result.restored_from == old and old.exists()
    db = open_db(db_path, TEST_ACTOR)
    assert info(db).counts["cities"] == 1
    db.close()
