"""Erasing a person on an office server is the administrator's: the app refuses a viewer or
an editor in one line, and the server itself refuses an editor's writes to the register and
the history; an administrator's erasure leaves nothing of the person in any table."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from tests.server.test_roles import _as, office  # noqa: F401  (the fixture)
from tests.test_cli import run


def _someone(address: str) -> dict[str, str]:
    with psycopg.connect(address) as connection:
        row = connection.execute(
            "SELECT id, full_name, email FROM contacts WHERE email IS NOT NULL "
            "ORDER BY id LIMIT 1").fetchone()
    assert row is not None
    return {"id": row[0], "name": row[1], "email": row[2]}


def test_only_an_administrator_may_erase(office: str) -> None:  # noqa: F811
    person = _someone(office)
    for user in ("alice", "bob"):
        refused = run("privacy", "erase", person["id"], "--yes", "--db", _as(office, user))
        assert refused.returncode == 1, refused.stdout
        line = refused.stderr.strip()
        assert "Only an administrator" in line and len(line.splitlines()) == 1
    with (psycopg.connect(_as(office, "bob"), autocommit=True) as connection,
          pytest.raises(psycopg.errors.InsufficientPrivilege)):
        connection.execute("INSERT INTO erasures VALUES ('x', now(), 'bob', NULL)")
    assert _someone(office) == person  # nothing changed
    done = run("privacy", "erase", person["id"], "--yes", "--db", _as(office, "carol"))
    assert done.returncode == 0, done.stderr
    with psycopg.connect(office) as connection:
        tables = [r[0] for r in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for table in tables:
            text = json.dumps([list(map(str, r)) for r in connection.execute(
                f'SELECT * FROM "{table}"')])  # type: ignore[arg-type]
            assert person["name"] not in text and person["email"] not in text, table


def test_an_editor_cannot_merge_back_a_pack_that_holds_an_erased_person(
        office: str, tmp_path: Path) -> None:  # noqa: F811
    """Merged, the pack would bring the person back, and an editor may not erase them
    again: the merge is refused before anything is written."""
    person = _someone(office)
    pack = tmp_path / "visit.cpack"
    made = run("pack", "create", "--all", "-o", str(pack), "--db", _as(office, "carol"))
    assert made.returncode == 0, made.stderr
    erased = run("privacy", "erase", person["id"], "--yes", "--db", _as(office, "carol"))
    assert erased.returncode == 0, erased.stderr
    refused = run("pack", "merge", str(pack), "--db", _as(office, "bob"))
    assert refused.returncode == 1, refused.stdout
    assert "only an administrator may erase them again" in refused.stderr
    assert "Traceback" not in refused.stderr
    with psycopg.connect(office) as connection:
        assert connection.execute("SELECT count(*) FROM pack_merges").fetchone() == (0,)
        row = connection.execute("SELECT full_name, email FROM contacts WHERE id = %s",
                                 (person["id"],)).fetchone()
    assert row == ("Erased contact", None)
    merged = run("pack", "merge", str(pack), "--db", _as(office, "carol"))
    assert merged.returncode in (0, 2), merged.stderr
