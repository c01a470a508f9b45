"""A small run of the crash-safety stress script (the full one: benchmarks/crash_safety.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import crash_safety

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def test_killed_at_random_moments_nothing_acknowledged_is_lost() -> None:
    lines: list[str] = []
    results = crash_safety.run(trials=2, report=lines.append)
    assert set(results) == set(crash_safety.OPERATIONS)
    for op, tally in results.items():
        assert tally.trials == 2, op
        assert tally.failures == [], lines


def test_the_checker_notices_a_lost_acknowledged_save(tmp_path: Path) -> None:
    """The check must be able to fail: a save logged as acknowledged but not in the file."""
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    db_path = tmp_path / "office.db"
    open_db(db_path, TEST_ACTOR).close()
    log = tmp_path / "acks.log"
    log.write_text("contact 00000000-0000-4000-8000-000000000099\n", encoding="utf-8")
    failures = crash_safety.verify("edits", db_path, log, {})
    assert failures == ["acknowledged contact 00000000-0000-4000-8000-000000000099 lost"]
