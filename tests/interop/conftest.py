"""Import tests share the session's built gazetteer; helpers to see that nothing changed, and
to check written files against the standards."""

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


def folded_lines(raw: bytes) -> int:
    """Check the content lines of a vCard (RFC 6350 §3.2) or iCalendar (RFC 5545 §3.1) file as
    bytes: each ends in CRLF (no bare CR or LF), is at most 75 octets, and a fold never splits
    a UTF-8 character. Returns how many lines are continuations (folded)."""
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold cut a character in two
    assert not lines[0].startswith((b" ", b"\t"))
    return sum(line.startswith((b" ", b"\t")) for line in lines)
