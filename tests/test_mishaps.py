"""Never worse after a mishap, as the command line meets it in real processes: a backup of an
emptied or damaged database is refused and the good backups stay; an empty file is never made
a new office; a folder, a looping or dangling link, a full or read-only disk each get one line
(never a traceback) and change nothing; an intact database on a full or read-only disk is
checked, read and exported — never called damaged."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import run

pytestmark = pytest.mark.file_only

_COMMANDS = (("info",), ("check",), ("backup",), ("init",), ("demo",),
             ("export", "all", "-o", "{out}"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    made = run("demo", "--db", str(path))
    assert made.returncode == 0, made.stderr
    return path


def _office(demo_file: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "office.db"
    shutil.copyfile(demo_file, target)
    return target


def _one_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def _each_command(db: Path, out: Path) -> Iterator[tuple[tuple[str, ...],
                                                       subprocess.CompletedProcess[str]]]:
    for command in _COMMANDS:
        args = tuple(a.format(out=out) for a in command)
        yield args, run(*args, "--db", str(db))


def _backups(db: Path) -> list[Path]:
    return sorted((db.parent / "backups").glob("*.db"))


# -- 1. a backup never pushes out the last good one ----------------------------------------------
def test_a_backup_of_an_emptied_or_damaged_database_is_refused(demo_file: Path,
                                                               tmp_path: Path) -> None:
    db = _office(demo_file, tmp_path)
    assert run("backup", "--db", str(db)).returncode == 0
    [good] = _backups(db)
    db.write_bytes(b"")
    refused = run("backup", "--db", str(db))
    _one_line(refused, "empty (0 bytes)", "backups made before are kept")
    data = bytearray(demo_file.read_bytes())
    data[len(data) // 2: len(data) // 2 + 8192] = b"\xff" * 8192  # pages of garbage
    db.write_bytes(bytes(data))
    refused = run("backup", "--db", str(db))
    assert refused.returncode == 1 and "not backed up" in refused.stderr, refused.stderr
    assert _backups(db) == [good]
    assert not [p for p in (db.parent / "backups").iterdir() if p.name.endswith(".part")]
    listed = run("backups", "--db", str(db))
    assert "verified" in listed.stdout and "45 cities" in listed.stdout


# -- 2. an emptied database is never re-initialised ------------------------------------------
def test_an_empty_file_is_refused_by_every_command(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    db.write_bytes(b"")
    for args, done in _each_command(db, tmp_path / "out.json"):
        assert done.returncode == 1, (args, done.stdout)
        assert "empty (0 bytes)" in done.stderr and "Traceback" not in done.stderr, args
        assert db.read_bytes() == b"", args
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "office.db-wal").exists()


# -- 3. one line, never a traceback --------------------------------------------------------
@pytest.mark.parametrize("kind", ["folder", "loop", "dangling"])
def test_a_path_that_is_no_file_is_one_line_and_nothing_is_made(tmp_path: Path,
                                                               kind: str) -> None:
    db = tmp_path / "office.db"
    if kind == "folder":
        db.mkdir()
        said = "is a folder"
    elif kind == "loop":
        (tmp_path / "other.db").symlink_to(db)
        db.symlink_to(tmp_path / "other.db")
        said = "loop"
    else:
        db.symlink_to(tmp_path / "nowhere.db")
        said = "which does not exist"
    before = sorted(p.name for p in tmp_path.iterdir())
    for args, done in _each_command(db, tmp_path / "out.json"):
        assert done.returncode == 1, args
        assert said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_undecodable_text_in_a_damaged_file_is_read_not_raised(tmp_path: Path) -> None:
    """SQLite's messages about a damaged file quote its bytes, which may be no UTF-8."""
    from citypartner_desktop.db import damage

    path = tmp_path / "bytes.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (CAST(X'4b72616bff6f77' AS TEXT))")
    conn.close()
    assert damage.read_only_rows(path, "SELECT v FROM t") == [("Krak\ufffdow",)]


# -- 4, 5. full and read-only disks ----------------------------------------------------------
@contextlib.contextmanager
def _mounted(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``folder`` (root only; where that is not allowed the test is left
    out: a normal user cannot make a disk full or read-only for root's sake)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("making a full or read-only disk needs root (a tmpfs mount)")
    folder.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    assert shutil.disk_usage(folder).free < 64 * 1024


@pytest.mark.parametrize("place", ["full", "read-only"])
def test_an_intact_database_on_a_full_or_read_only_disk_is_read_not_damaged(
        demo_file: Path, tmp_path: Path, place: str) -> None:
    with _mounted(tmp_path / "disk", "8m") as disk:
        db = _office(demo_file, disk)
        before = db.read_bytes()
        if place == "full":
            _fill(disk)
            said = "the disk is full"
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            said = "the disk is read-only"
        checked = run("check", "--db", str(db))
        assert checked.returncode == 0 and "ok" in checked.stdout, checked.stderr
        info = run("info", "--db", str(db), "--json")
        assert info.returncode == 0 and '"cities": 45' in info.stdout, info.stderr
        exported = run("export", "all", "-o", str(tmp_path / "all.json"), "--db", str(db))
        assert exported.returncode == 0 and (tmp_path / "all.json").exists(), exported.stderr
        _one_line(run("init", "--db", str(db)), said, "cannot be changed")
        _one_line(run("backup", "--db", str(db)), said)
        assert db.read_bytes() == before


def test_a_check_that_cannot_read_says_so_instead_of_damaged(demo_file: Path,
                                                             tmp_path: Path) -> None:
    """Saved changes still in the journal cannot be read without writing beside the file:
    on a full disk that is "could not be checked", never "damaged … restore a backup"."""
    with _mounted(tmp_path / "disk", "8m") as disk:
        db = _office(demo_file, disk)
        writer = sqlite3.connect(db)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE cities SET notes = 'from the log' WHERE rowid = 1")
        writer.commit()
        copy = disk / "copy"
        copy.mkdir()
        for part in ("office.db", "office.db-wal"):
            shutil.copyfile(disk / part, copy / part)  # the log still holds the change
        writer.close()
        _fill(disk)
        checked = run("check", "--db", str(copy / "office.db"))
        _one_line(checked, "could not be checked: the disk is full")
        assert "damaged" not in checked.stderr


# -- 9. leftovers, foreign and newer files ---------------------------------------------------
def test_a_killed_backups_leftover_is_cleaned_by_the_next_backup(demo_file: Path,
                                                                 tmp_path: Path) -> None:
    db = _office(demo_file, tmp_path)
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / ".office-manual-20261207T000000Z.db.k3x9.part"
    old.write_bytes(b"\0" * 4096)
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    running = folder / ".office-auto-20261207T000001Z.db.q8w2.part"  # another backup, now
    running.write_bytes(b"\0" * 4096)
    assert run("backup", "--db", str(db)).returncode == 0
    assert not old.exists() and running.exists()


def test_a_backup_leaves_no_log_files_beside_a_database_no_one_has_open(
        demo_file: Path, tmp_path: Path) -> None:
    """The backup reads through a read-only connection, which cannot remove the -wal and -shm
    it makes; when no program has the database open they are tidied away. While one has it
    open (its lock taken), they are its own and stay."""
    from citypartner_desktop.db import lock as db_lock

    db = _office(demo_file, tmp_path / "office")
    for name in ("office.db-wal", "office.db-shm"):
        (db.parent / name).unlink(missing_ok=True)
    assert run("backup", "--db", str(db)).returncode == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["backups", "office.db"]
    held = db_lock.acquire(db)  # the application, say
    try:
        writer = sqlite3.connect(db)
        writer.execute("PRAGMA schema_version").fetchone()
        assert run("backup", "--db", str(db)).returncode == 0
        assert (db.parent / "office.db-wal").exists()
        writer.close()
    finally:
        held.release()


def test_check_refuses_another_programs_database_and_a_newer_one(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    checked = run("check", "--db", str(foreign))
    _one_line(checked, "another program")
    opened = run("info", "--db", str(foreign))
    _one_line(opened, "another program")
    assert "newer" not in opened.stderr
    newer = tmp_path / "newer.db"
    assert run("init", "--db", str(newer)).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.close()
    _one_line(run("check", "--db", str(newer)), "newer version")


# -- 4, 5. a read-only folder, as a person without rights meets it ---------------------------
_NOBODY = 65534


def _as_unprivileged() -> list[str]:
    """The start of a command line that runs as a user without rights to the folder: the
    user itself when the tests run unprivileged; as root, the user nobody (root may write
    anywhere), by util-linux's setpriv."""
    if not hasattr(os, "geteuid"):
        pytest.skip("folder permissions are POSIX modes")
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as another user needs setpriv (util-linux)")
    prefix = [setpriv, f"--reuid={_NOBODY}", f"--regid={_NOBODY}", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import citypartner_desktop"],
                           cwd=Path(__file__).resolve().parents[1], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the user nobody cannot run this Python (it lives in a private folder)")
    return prefix


def test_an_intact_database_in_a_read_only_folder_is_read_not_damaged(
        demo_file: Path) -> None:
    """An unprivileged user, a database in a folder (and a file) they may only read: check,
    info and export work, and every change is one line naming the read-only folder."""
    with tempfile.TemporaryDirectory() as place:
        home = Path(place)
        home.chmod(0o777)  # the user's own home, where settings and exports go
        folder = home / "shared"
        db = _office(demo_file, folder)
        db.chmod(0o444)
        folder.chmod(0o555)
        before = db.read_bytes()
        prefix = _as_unprivileged()
        env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
               "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}

        def command(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "citypartner_desktop", *args, "--db", str(db)],
                capture_output=True, text=True, timeout=300, env=env,
                cwd=Path(__file__).resolve().parents[1])

        checked = command("check")
        assert checked.returncode == 0 and "ok" in checked.stdout, checked.stderr
        info = command("info", "--json")
        assert info.returncode == 0 and '"cities": 45' in info.stdout, info.stderr
        out = home / "all.json"
        exported = command("export", "all", "-o", str(out))
        assert exported.returncode == 0 and out.exists(), exported.stderr
        for args in (("init",), ("backup",), ("demo",)):
            _one_line(command(*args), "read-only")
        assert db.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["office.db"]
