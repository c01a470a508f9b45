"""One writer at a time: the lock beside the database, who holds it, and stale locks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.domain.errors import DatabaseInUseError
from citypartner_desktop.paths import lock_path_for
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

# About the database file itself (a server's equivalents are in tests/server).
pytestmark = pytest.mark.file_only


HOLD_LOCK = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from citypartner_desktop.db.lock import acquire\n"
    "lock = acquire(Path(sys.argv[1]))\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
    "lock.release()\n"
)


def test_the_lock_file_says_who_holds_it_and_goes_away_on_close(db_path: Path) -> None:
    db = open_db(db_path, TEST_ACTOR)
    owner = json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))
    assert owner["pid"] == os.getpid()
    assert owner["host"] == socket.gethostname()
    assert owner["user"] and owner["since"]
    db.close()
    assert not lock_path_for(db_path).exists()
    open_db(db_path, TEST_ACTOR).close()  # free again


def test_second_open_in_this_process_is_refused(db_path: Path) -> None:
    db = open_db(db_path, TEST_ACTOR)
    try:
        records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
        with pytest.raises(DatabaseInUseError, match=f"process {os.getpid()}"):
            open_db(db_path, TEST_ACTOR)
        # The first instance keeps working.
        records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    finally:
        db.close()


def test_another_process_holding_the_lock_is_named(db_path: Path) -> None:
    open_db(db_path, TEST_ACTOR).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = db_path.read_bytes()
        with pytest.raises(DatabaseInUseError) as refused:
            open_db(db_path, TEST_ACTOR)
        assert f"process {holder.pid}" in str(refused.value)
        assert socket.gethostname() in str(refused.value)
        assert "close it there first" in str(refused.value)
        assert db_path.read_bytes() == before
    finally:
        holder.communicate("\n", timeout=30)
    open_db(db_path, TEST_ACTOR).close()  # released by the other process


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_lock_left_by_a_crashed_process_is_stale_and_taken_over(db_path: Path) -> None:
    open_db(db_path, TEST_ACTOR).close()
    pid = _dead_pid()
    lock_path_for(db_path).write_text(json.dumps({
        "host": socket.gethostname(), "pid": pid, "user": "anna",
        "since": "2026-11-27T09:00:00+00:00"}), encoding="utf-8")
    db = open_db(db_path, TEST_ACTOR)
    try:
        assert db.lock is not None and db.lock.stale_owner is not None
        assert db.lock.stale_owner.pid == pid
        assert json.loads(lock_path_for(db_path).read_text())["pid"] == os.getpid()
    finally:
        db.close()


def test_a_killed_holder_leaves_a_stale_lock(db_path: Path) -> None:
    open_db(db_path, TEST_ACTOR).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.communicate(timeout=30)
    assert lock_path_for(db_path).exists()  # the crash left its file behind
    db = open_db(db_path, TEST_ACTOR)
    assert db.lock is not None and db.lock.stale_owner is not None
    assert db.lock.stale_owner.pid == holder.pid
    db.close()


def test_live_process_named_in_the_file_is_respected_where_locks_do_not_work(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system that ignores OS locks the lock file is the only guard left."""
    open_db(db_path, TEST_ACTOR).close()
    lock_path_for(db_path).write_text(json.dumps({
        "host": socket.gethostname(), "pid": os.getppid(), "user": "anna",
        "since": "2026-11-27T09:00:00+00:00"}), encoding="utf-8")
    with pytest.raises(DatabaseInUseError, match="anna"):
        open_db(db_path, TEST_ACTOR)
    monkeypatch.setattr(db_lock, "pid_alive", lambda pid: False)
    open_db(db_path, TEST_ACTOR).close()


def test_a_refused_file_is_not_left_locked(db_path: Path) -> None:
    import sqlite3

    from citypartner_desktop.domain.errors import DatabaseTooNewError

    open_db(db_path, TEST_ACTOR).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    with pytest.raises(DatabaseTooNewError):
        open_db(db_path, TEST_ACTOR)
    assert not lock_path_for(db_path).exists()
    db_lock.acquire(db_path).release()  # free for the next program
