"""A short run of the crash-safety stress script over every operation (the full one:
``python -m benchmarks.crash_safety --trials 200``), and checks that its checker can fail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks import crash_safety
from citypartner_desktop.services import backups
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
TRIALS = 3  # per operation: the whole run takes about a minute on two cores


@pytest.mark.slow
def test_every_operation_killed_at_random_moments_loses_nothing_and_leaves_nothing() -> None:
    lines: list[str] = []
    results = crash_safety.run(trials=TRIALS, report=lines.append, calibration_runs=1)
    report = "\n".join([*lines, *crash_safety.table(results)])
    assert list(results) == list(crash_safety.OPERATIONS)
    assert all(tally.trials == TRIALS for tally in results.values()), report
    assert sum(tally.killed_during for tally in results.values()) > 0, report
    assert crash_safety.exit_code(results) == 0, report


def _office(tmp_path: Path) -> Path:
    """A trial's folder with its database (the acknowledgements log goes beside it)."""
    folder = tmp_path / "trial"
    folder.mkdir()
    open_db(folder / crash_safety.DB_NAME, TEST_ACTOR).close()
    return folder


def test_the_checker_notices_a_lost_acknowledged_save(tmp_path: Path) -> None:
    """A save logged as acknowledged but not in the file is counted as lost."""
    folder = _office(tmp_path)
    log = tmp_path / "acks.log"
    log.write_text("contact 00000000-0000-4000-8000-000000000099\n", encoding="utf-8")
    expected = crash_safety.Expected(crash_safety.folder_files(folder))
    findings = crash_safety.verify("edits", folder, log, expected)
    assert findings.lost == ["acknowledged contact 00000000-0000-4000-8000-000000000099 lost"]
    assert findings.integrity == findings.leftovers == findings.other == []


def test_the_checker_notices_an_import_neither_before_nor_after(tmp_path: Path) -> None:
    folder = _office(tmp_path)
    log = tmp_path / "acks.log"
    files = crash_safety.folder_files(folder)
    empty = crash_safety.state("import", folder / crash_safety.DB_NAME)
    half, whole = {**empty, "contacts": 1}, {**empty, "contacts": 2}
    findings = crash_safety.verify("import", folder, log,
                                   crash_safety.Expected(files, half, whole))
    assert findings.state is None
    assert len(findings.lost) == 1 and findings.lost[0].startswith(
        "neither before nor after the import: differs from after in contacts")
    # As before is right, unless the child had said it was done.
    expected = crash_safety.Expected(files, empty, whole)
    findings = crash_safety.verify("import", folder, log, expected)
    assert (findings.state, findings.lost) == ("before", [])
    log.write_text("done\n", encoding="utf-8")
    findings = crash_safety.verify("import", folder, log, expected)
    assert findings.lost == ["the import was acknowledged, but the database is as before"]
    assert findings.integrity == findings.leftovers == findings.other == []


def test_the_checker_notices_leftover_files_but_not_backups(tmp_path: Path) -> None:
    folder = _office(tmp_path)
    db_path = folder / crash_safety.DB_NAME
    files = crash_safety.folder_files(folder)
    made = backups.make_backup(db_path, "manual")  # a backup and what the app keeps beside it
    part = made.with_name(f".{made.name}.0badc0de.part")
    part.write_bytes(b"half a backup")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    open_db(db_path, TEST_ACTOR).close()  # the backup's reading left -wal/-shm until then
    found = crash_safety.leftovers(db_path, files)
    assert found == sorted([f"backups/{part.name}", "notes.txt"])
    assert crash_safety.leftovers(db_path, files | {"notes.txt", f"backups/{part.name}"}) == []


def test_any_finding_makes_the_exit_code_1() -> None:
    assert crash_safety.exit_code({"backup": crash_safety.Tally(trials=3)}) == 0
    for findings in (crash_safety.Findings(integrity=["integrity_check: page 2"]),
                     crash_safety.Findings(lost=["acknowledged contact x lost"]),
                     crash_safety.Findings(leftovers=["backups/.office.db.0badc0de.part"]),
                     crash_safety.Findings(other=["the child failed by itself (exit 1)"])):
        tally = crash_safety.Tally()
        tally.add(0, True, findings)
        assert crash_safety.exit_code({"backup": tally}) == 1, findings
    assert tally.leftovers == {}
