"""backup_to: a consistent copy, written atomically (a failed copy leaves the old one)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from citypartner_desktop.db.backup import backup_to
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import BackupError


def test_a_failed_backup_keeps_the_previous_copy_and_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    not_a_database = tmp_path / "letter.db"
    not_a_database.write_text("Dear partners, …" * 100, encoding="utf-8")
    target = tmp_path / "copies" / "Αθήνα.db"
    target.parent.mkdir()
    target.write_bytes(b"the previous backup")
    with pytest.raises(BackupError, match="could not be written"):
        backup_to(not_a_database, target)
    assert target.read_bytes() == b"the previous backup"
    assert [p.name for p in target.parent.iterdir()] == ["Αθήνα.db"]


@pytest.mark.file_only
def test_a_backup_replaces_the_previous_copy_whole(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "京都市.db"
    target.parent.mkdir()
    target.write_bytes(b"the previous backup")
    backup_to(db.path, target)
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert [p.name for p in target.parent.iterdir()] == ["京都市.db"]
