"""Merging a visit pack killed (SIGKILL) at random moments: the office is found as before the
merge or as merged, never in between (the full stress script: benchmarks/pack_merge_crash.py)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from benchmarks import pack_merge_crash
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


@pytest.mark.slow
def test_a_merge_killed_at_random_moments_leaves_the_office_before_or_merged() -> None:
    lines: list[str] = []
    results = pack_merge_crash.run(trials=50, report=lines.append)
    assert results.trials == 50
    assert results.failures == [], lines
    assert results.states["before"] + results.states["after"] == 50, lines
    assert results.states["before"] > 0, lines
    # Most kills must land inside the merge's write (after the backup, before the commit).
    assert results.phases["backed-up"] > 0, lines


def _add_city(path: Path, name: str) -> None:
    db = open_db(path, TEST_ACTOR)
    try:
        records.create(db.uow(), "city", {"name": name, "country": "PL"})
    finally:
        db.close()


def test_the_checker_notices_an_office_neither_before_nor_merged(tmp_path: Path) -> None:
    """The check must be able to fail: a state that is neither (a half-merge) is reported,
    while the two allowed states are recognised."""
    office = tmp_path / "office.db"
    _add_city(office, "Kraków")
    before = pack_merge_crash.fingerprint(office)
    _add_city(office, "Łódź")
    merged = pack_merge_crash.fingerprint(office)
    assert pack_merge_crash.verify(
        office, pack_merge_crash.Expected(before, merged, frozenset(), {})).state == "after"
    assert pack_merge_crash.verify(
        office, pack_merge_crash.Expected(merged, before, frozenset(), {})).state == "before"

    _add_city(office, "Gdańsk")  # one record more than merged: neither state
    verdict = pack_merge_crash.verify(
        office, pack_merge_crash.Expected(before, merged, frozenset(), {}))
    assert verdict.state is None
    assert len(verdict.failures) == 1
    assert verdict.failures[0].startswith("office is neither as before the merge nor as merged")
    assert "cities" in verdict.failures[0]


def test_the_checker_notices_a_dangling_reference(tmp_path: Path) -> None:
    office = tmp_path / "office.db"
    db = open_db(office, TEST_ACTOR)
    try:
        records.create(db.uow(), "contact", {"full_name": "Anna Kowalska"})
    finally:
        db.close()
    conn = sqlite3.connect(office)  # foreign keys are not enforced on this connection
    try:
        conn.execute("UPDATE contacts SET city_id = '00000000-0000-4000-8000-00000000dead'")
        conn.commit()
    finally:
        conn.close()
    now = pack_merge_crash.fingerprint(office)
    verdict = pack_merge_crash.verify(office, pack_merge_crash.Expected(now, now, frozenset(),
                                                                        {}))
    assert verdict.state == "before"
    assert len(verdict.failures) == 1
    assert verdict.failures[0].startswith("foreign_key_check: 1 rows")
