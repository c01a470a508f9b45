"""The command line, run in a real subprocess as office IT would run it."""

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


def test_init_then_info_json(tmp_path: Path) -> None:
    db = tmp_path / "new" / "office.db"
    created = run("init", "--db", str(db))
    assert created.returncode == 0, created.stderr
    assert "Created" in created.stdout
    again = run("init", "--db", str(db))
    assert "up to date" in again.stdout
    result = run("info", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert set(facts) >= {"schema_revision", "counts", "path", "size_bytes"}
    assert facts["counts"]["cities"] == 0
    for key in ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
                "evaluations"):
        assert key in facts["counts"]


def test_demo_small_gives_nonzero_counts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    loaded = run("demo", "--db", str(db), "--size", "small", "--seed", "7")
    assert loaded.returncode == 0, loaded.stderr
    facts = json.loads(run("info", "--db", str(db), "--json").stdout)
    for key in ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
                "evaluations"):
        assert facts["counts"][key] > 0, key
    again = run("demo", "--db", str(db))
    assert again.returncode == 1
    assert "Traceback" not in again.stderr


def test_db_from_environment_variable(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    assert run("init", env={"CITYPARTNER_DB": str(db)}).returncode == 0
    assert db.exists()


def test_info_on_missing_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    result = run("info", "--db", str(db))
    assert result.returncode == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


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
