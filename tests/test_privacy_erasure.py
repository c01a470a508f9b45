"""Erasure from the command line, proved on the bytes: after `privacy erase` of a demo
contact, neither the database file nor its write-ahead log holds the person's name, e-mail or
phone (UTF-8 or UTF-16). The same after restoring a backup taken before the erasure, after
`import all` of an archive made before it, and after merging a visit pack made before it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import run

pytestmark = pytest.mark.file_only


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    made = run("demo", "--db", str(path), "--size", "small", "--seed", "3")
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture
def office(demo_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "office" / "office.db"
    target.parent.mkdir()
    shutil.copyfile(demo_file, target)
    return target


def _person(db: Path) -> tuple[str, list[str]]:
    """A contact with a name, e-mail and phone no one else has, who coordinates a
    partnership: (id, [name, e-mail, phone])."""
    with sqlite3.connect(db) as connection:
        row = connection.execute(
            "SELECT c.id, c.full_name, c.email, c.phone, k.partnership_id FROM contacts c "
            "JOIN coordinators k ON k.contact_id = c.id WHERE c.email IS NOT NULL "
            "AND c.phone IS NOT NULL AND c.deleted_at IS NULL AND (SELECT count(*) FROM "
            "contacts o WHERE o.full_name = c.full_name OR o.email = c.email "
            "OR o.phone = c.phone) = 1 ORDER BY c.id LIMIT 1").fetchone()
    connection.close()
    assert row is not None
    return str(row[0]), [str(row[1]), str(row[2]), str(row[3])]


def _made_up_person(db: Path) -> tuple[str, list[str]]:
    """A person no one else resembles, with a name beginning beyond ASCII, known to the
    search index, edited (their old e-mail in the history) and mentioned in an action:
    (id, [what must not be found, folded search words included])."""
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_db

    opened = open_db(db)
    try:
        uow = opened.uow
        city = records.list_page(uow(), "city", records.ListQuery(limit=1))[0].id
        person = records.create(uow(), "contact", {
            "full_name": "Łucja Xylobrzęk", "email": "lucja.old@quartz.example",
            "phone": "+48601987654", "city_id": city, "notes": "Zzyzx choir"}).id
        records.update(uow(), "contact", person, {"email": "lucja@quartzberg.example"})
        partnership = records.list_page(uow(), "partnership", records.ListQuery(limit=1))[0].id
        records.create(uow(), "action", {"partnership_id": partnership, "title": "Call",
                                         "notes": "Ask Łucja Xylobrzęk (+48601987654)"})
    finally:
        opened.close()
    return person, ["Łucja Xylobrzęk", "lucja@quartzberg.example", "lucja.old@quartz.example",
                    "+48601987654", "xylobrzek", "quartzberg", "zzyzx", "Xylobrz"]


def _found(db: Path, traces: list[str]) -> list[str]:
    """The traces whose bytes are in the file or its log, in any of three encodings."""
    data = db.read_bytes()
    log = Path(f"{db}-wal")
    if log.exists():
        data += log.read_bytes()
    return [f"{t} ({enc})" for t in traces for enc in ("utf-8", "utf-16-le", "utf-16-be")
            if t.encode(enc) in data]


def _erase(db: Path, contact_id: str) -> subprocess.CompletedProcess[str]:
    done = run("privacy", "erase", contact_id, "--reason", "asked by letter", "--yes",
               "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "free pages and log cleared" in done.stdout
    return done


def test_an_erased_contact_leaves_no_byte_in_the_file_or_its_log(office: Path) -> None:
    contact_id, traces = _person(office)
    edited = run("set", "contact", contact_id, "notes=Prefers phone calls", "--db",
                 str(office))
    assert edited.returncode == 0, edited.stderr
    assert _found(office, traces[:1])  # the search can find them: it can fail
    _erase(office, contact_id)
    assert _found(office, traces) == []
    shown = run("get", "contact", contact_id, "--json", "--db", str(office))
    assert '"full_name": "Erased contact"' in shown.stdout


def test_nothing_of_the_person_is_left_in_the_search_index_history_or_free_pages(
        office: Path) -> None:
    contact_id, traces = _made_up_person(office)
    assert len(_found(office, traces)) >= 6  # their words are there, folded ones included
    _erase(office, contact_id)
    assert _found(office, traces) == []


def test_a_reader_holding_the_log_is_said_and_privacy_clear_finishes_the_job(
        office: Path) -> None:
    contact_id, traces = _made_up_person(office)
    reader = sqlite3.connect(office)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()  # a read transaction, held
    try:
        done = run("privacy", "erase", contact_id, "--yes", "--db", str(office))
        assert done.returncode == 1 and "privacy clear" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    finally:
        reader.close()
    cleared = run("privacy", "clear", "--db", str(office))
    assert cleared.returncode == 0, cleared.stderr
    assert _found(office, traces) == []


def test_bad_input_is_one_line_and_changes_nothing(office: Path) -> None:
    contact_id, _traces = _person(office)
    before = office.read_bytes()
    for args, said in ((("nobody",), 'No contact with id "nobody"'),
                       ((contact_id,), "add --yes")):
        done = run("privacy", "erase", *args, "--db", str(office))
        assert done.returncode == 1 and said in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert office.read_bytes() == before
    _erase(office, contact_id)
    again = run("privacy", "erase", contact_id, "--yes", "--db", str(office))
    assert again.returncode == 1 and "was already erased on" in again.stderr


def test_a_backup_from_before_the_erasure_is_restored_without_the_person(
        office: Path, tmp_path: Path) -> None:
    contact_id, traces = _person(office)
    old = tmp_path / "before.db"
    assert run("backup", "--db", str(office), "-o", str(old)).returncode == 0
    _erase(office, contact_id)
    restored = run("restore", str(old), "--db", str(office))
    assert restored.returncode == 0, restored.stderr
    assert "Erased again: 1" in restored.stdout
    assert _found(office, traces) == []


def test_an_archive_from_before_the_erasure_comes_back_without_the_person(
        office: Path, tmp_path: Path) -> None:
    contact_id, traces = _person(office)
    archive = tmp_path / "all.json"
    assert run("export", "all", "-o", str(archive), "--db", str(office)).returncode == 0
    _erase(office, contact_id)
    new = tmp_path / "new.db"
    assert run("init", "--db", str(new)).returncode == 0
    done = run("import", "all", str(archive), "--db", str(new))
    assert done.returncode == 0, done.stderr
    assert "erased again" in done.stdout
    assert _found(new, traces) == []


def test_a_pack_from_before_the_erasure_merges_back_without_the_person(
        office: Path, tmp_path: Path) -> None:
    contact_id, traces = _person(office)
    pack = tmp_path / "visit.cpack"
    made = run("pack", "create", "--all", "-o", str(pack), "--db", str(office))
    assert made.returncode == 0, made.stderr
    # On the visit the person's position changed, and a note mentions their phone.
    edited = run("set", "contact", contact_id, "position=Head of youth office",
                 "--db", str(pack))
    assert edited.returncode == 0, edited.stderr
    with sqlite3.connect(pack) as connection:
        action = connection.execute("SELECT id FROM actions LIMIT 1").fetchone()[0]
    connection.close()
    noted = run("set", "action", action, f"notes=Call {traces[2]}", "--db", str(pack))
    assert noted.returncode == 0, noted.stderr
    _erase(office, contact_id)
    merged = run("pack", "merge", str(pack), "--prefer", "pack", "--db", str(office))
    assert merged.returncode in (0, 2), merged.stderr
    assert "Erased again: 1" in merged.stdout
    assert _found(office, traces) == []
    shown = run("get", "contact", contact_id, "--json", "--db", str(office))
    assert '"position": null' in shown.stdout


def test_the_record_of_processing_is_made_from_the_command_line(office: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "processing.pdf"
    made = run("report", "processing", "-o", str(out), "--db", str(office))
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF")
    refused = run("report", "processing", "--year", "2020", "-o", str(out), "--db", str(office))
    assert refused.returncode == 2 and "about the whole database" in refused.stderr
