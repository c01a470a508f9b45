"""The command line, run in a real subprocess as office IT would run it. With ``--engine
postgresql`` the office is a database on the test server; the tests about a file itself are
left out there (tests/server has a server's own: no schema, a newer one, out of reach)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from citypartner_desktop.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citypartner_desktop", *args],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
        cwd=Path(__file__).resolve().parents[1],
    )


def test_init_then_info_json(new_location: str) -> None:
    db = new_location
    created = run("init", "--db", db)
    assert created.returncode == 0, created.stderr
    assert "Created" in created.stdout
    again = run("init", "--db", db)
    assert "up to date" in again.stdout
    result = run("info", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert set(facts) >= {"schema_revision", "counts", "path", "size_bytes"}
    assert facts["counts"]["cities"] == 0
    for key in ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
                "evaluations"):
        assert key in facts["counts"]


def test_demo_small_gives_nonzero_counts(location: str) -> None:
    db = location
    loaded = run("demo", "--db", db, "--size", "small", "--seed", "7")
    assert loaded.returncode == 0, loaded.stderr
    facts = json.loads(run("info", "--db", db, "--json").stdout)
    for key in ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
                "evaluations"):
        assert facts["counts"][key] > 0, key
    again = run("demo", "--db", db)
    assert again.returncode == 1
    assert "Traceback" not in again.stderr


def test_db_from_environment_variable(new_location: str) -> None:
    made = run("init", env={"CITYPARTNER_DB": new_location})
    assert made.returncode == 0, made.stderr
    assert new_location.startswith("postgresql") or Path(new_location).exists()
    facts = json.loads(run("info", "--json", env={"CITYPARTNER_DB": new_location}).stdout)
    assert facts["counts"]["cities"] == 0


@pytest.mark.file_only
def test_a_reader_that_leaves_early_gets_no_complaint(tmp_path: Path) -> None:
    """`citypartner info | head -1`: the pipe closes before the output is written; the
    command ends quietly, with no "Broken pipe" line and no traceback."""
    db = tmp_path / "office.db"
    assert run("init", "--db", str(db)).returncode == 0
    started = subprocess.Popen(
        [sys.executable, "-m", "citypartner_desktop", "info", "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1])
    assert started.stdout is not None and started.stderr is not None
    started.stdout.close()  # long before the command has anything to say
    with started.stderr:
        said = started.stderr.read()
    assert started.wait(timeout=120) == 1
    assert said == ""


@pytest.mark.file_only
def test_info_on_missing_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    result = run("info", "--db", str(db))
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


@pytest.mark.file_only
def test_newer_database_refused_with_exit_code_1(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    assert run("init", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    conn.close()
    before = db.read_bytes()
    result = run("info", "--db", str(db))
    assert result.returncode == 1
    assert "newer version" in result.stderr
    assert db.read_bytes() == before


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["demo", "--size", "huge"])
    assert raised.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.file_only
def test_backup_check_and_restore_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert run("demo", "--db", str(db)).returncode == 0
    made = run("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    [backup] = (tmp_path / "backups").glob("*.db")
    assert str(backup.name) in made.stdout
    chosen = run("backup", "--db", str(db), "-o", str(tmp_path / "usb" / "copy.db"))
    assert chosen.returncode == 0 and (tmp_path / "usb" / "copy.db").exists()
    listed = run("backups", "--db", str(db))
    assert "Backed up" not in listed.stdout and "45 cities" in listed.stdout
    assert "verified" in listed.stdout  # checked when it was made
    checked = run("check", "--db", str(db))
    assert checked.returncode == 0 and "ok" in checked.stdout
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM cities WHERE is_home = 0")
    conn.close()
    restored = run("restore", str(backup), "--db", str(db))
    assert restored.returncode == 0, restored.stderr
    assert "before" in restored.stdout  # says where the replaced state went
    facts = json.loads(run("info", "--db", str(db), "--json").stdout)
    assert facts["counts"]["cities"] == 45 and facts["health"] == "ok"


@pytest.mark.file_only
def test_check_of_a_damaged_database_exits_1_saying_what_is_wrong(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert run("demo", "--db", str(db)).returncode == 0
    assert run("backup", "--db", str(db)).returncode == 0
    data = bytearray(db.read_bytes())
    data[len(data) // 2: len(data) // 2 + 8192] = b"\xff" * 8192
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    checked = run("check", "--db", str(db))
    assert checked.returncode == 1
    assert "is damaged" in checked.stderr and "Traceback" not in checked.stderr
    opened = run("info", "--db", str(db))
    assert opened.returncode == 1
    assert "citypartner restore" in opened.stderr  # offers the newest good backup
    assert db.read_bytes() == before


@pytest.mark.file_only
def test_restore_of_a_bad_backup_exits_1_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert run("init", "--db", str(db)).returncode == 0
    before = db.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = run("restore", str(bad), "--db", str(db))
    assert result.returncode == 1 and "cannot be restored" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


@pytest.mark.file_only
def test_database_open_elsewhere_exits_1_naming_the_holder(tmp_path: Path) -> None:
    from citypartner_desktop.services.database import open_db

    db = tmp_path / "office.db"
    holder = open_db(db)
    try:
        result = run("init", "--db", str(db))
        assert result.returncode == 1
        assert "already open" in result.stderr and f"process {os.getpid()}" in result.stderr
        # A backup needs no lock: it is safe while the application runs.
        assert run("backup", "--db", str(db)).returncode == 0
    finally:
        holder.close()


@pytest.mark.file_only
def test_cloud_folder_gets_a_warning_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "OneDrive" / "office.db"
    result = run("init", "--db", str(db))
    assert result.returncode == 0
    assert "warning" in result.stderr and "OneDrive" in result.stderr
    assert "local disk" in result.stderr
