"""Attachment names cannot climb out of the chosen folder, on any way in or out, and an
attachment's bytes are checked against its SHA-256 by ``import all`` and ``check``."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop import paths
from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.archive import export_archive, import_archive
from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import attachments, history, records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

CONTENT = b"%PDF-1.4 signed charter \x00\xff"
HOSTILE = ["../../etc/passwd", "C:\\Users\\x\\a.pdf", "..", "CON.pdf", "evil\u202efdp.exe",
           "a\x1b[31mb.pdf"]


def _city(db: Database) -> str:
    return records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"}).id


def _attach(db: Database, folder: Path, name: str, content: bytes = CONTENT) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_bytes(content)
    return attachments.attach(db.uow(), "city", _city(db), source)


def _stored_name(db: Database, attachment_id: str) -> str:
    return str(records.get(db.uow(), "attachment", attachment_id).values["file_name"])


# --- attach: the name taken from the source file -------------------------------------------

@pytest.mark.parametrize(("name", "stored"), [
    ("Umowa: Łódź?.pdf.", "Umowa_ Łódź_.pdf"),  # allowed on Linux, refused by Windows
    ("CON.pdf", "_CON.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("a\x1b[31mb.pdf", "a[31mb.pdf"),
])
def test_attach_stores_a_safe_base_name(db: Database, tmp_path: Path, name: str,
                                        stored: str) -> None:
    attachment_id = _attach(db, tmp_path / "in", name)
    assert _stored_name(db, attachment_id) == stored
    assert [e.new for e in history.history(db.uow(), "attachment", attachment_id)
            if e.field == "File name"] == [stored]


def test_attach_keeps_an_ordinary_name(db: Database, tmp_path: Path) -> None:
    attachment_id = _attach(db, tmp_path / "in", "Vertrag 京都市.pdf")
    assert _stored_name(db, attachment_id) == "Vertrag 京都市.pdf"
    assert records.get(db.uow(), "attachment", attachment_id).values["media_type"] \
        == "application/pdf"


def test_renaming_to_a_hostile_name_is_refused(db: Database, tmp_path: Path) -> None:
    """Editing the name (the record's form, ``citypartner set``) keeps it safe too."""
    attachment_id = _attach(db, tmp_path / "in", "charter.pdf")
    with pytest.raises(ValidationError, match="no safe file name"):
        records.update(db.uow(), "attachment", attachment_id, {"file_name": "../../x.pdf"})
    assert _stored_name(db, attachment_id) == "charter.pdf"
    records.update(db.uow(), "attachment", attachment_id, {"file_name": "Charter 1979.pdf"})
    assert _stored_name(db, attachment_id) == "Charter 1979.pdf"


# --- saving out: always inside the chosen folder --------------------------------------------

@pytest.mark.parametrize("hostile", HOSTILE)
def test_saving_stays_in_the_chosen_folder(db: Database, tmp_path: Path, hostile: str) -> None:
    attachment_id = _attach(db, tmp_path / "in", "minutes.pdf")
    # As an older version could have stored it (the record service refuses it now).
    with db.uow() as uow:
        packs_repo.update_row(uow.session, "attachments", attachment_id,
                              {"file_name": hostile}, None)
        uow.commit()
    chosen = tmp_path / "chosen" / "sub"
    chosen.mkdir(parents=True)
    proposed = attachments.suggested_path(db.uow(), attachment_id, chosen)
    assert proposed.parent == chosen
    assert proposed.name == attachments.file_name(db.uow(), attachment_id)
    saved = attachments.save_copy(db.uow(), attachment_id, chosen)  # a folder: into it
    assert saved == proposed and saved.read_bytes() == CONTENT
    assert [p.name for p in chosen.iterdir()] == [proposed.name]
    assert sorted(p.name for p in (tmp_path / "chosen").iterdir()) == ["sub"]


# --- import all: names rewritten and said so, bytes checked ----------------------------------

def _archive_with(db: Database, tmp_path: Path, change: dict[str, Any]) -> tuple[Path, str]:
    """An archive of one attachment, its row changed as ``change`` says (column -> value)."""
    attachment_id = _attach(db, tmp_path / "in", "minutes.pdf")
    path = tmp_path / "a.json"
    export_archive(db, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    table = document["tables"]["attachments"]
    [row] = table["rows"]
    for column, value in change.items():
        row[table["columns"].index(column)] = value
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path, attachment_id


@pytest.fixture
def target(tmp_path: Path) -> Any:
    other = open_db(tmp_path / "target.db", TEST_ACTOR)
    yield other
    other.close()


@pytest.mark.file_only  # the archive goes into a second database file
@pytest.mark.parametrize("hostile", [*HOSTILE, "", None])
def test_import_all_rewrites_a_hostile_name_and_says_so(db: Database, tmp_path: Path,
                                                         target: Database,
                                                         hostile: str | None) -> None:
    path, attachment_id = _archive_with(db, tmp_path, {"file_name": hostile})
    notes: list[str] = []
    import_archive(target, path, notes=notes.append)
    stored = _stored_name(target, attachment_id)
    assert stored != hostile and "/" not in stored and "\\" not in stored
    assert stored not in (".", "..") and stored.isprintable()
    [note] = notes
    assert attachment_id in note and f'"{stored}"' in note and note.isprintable()
    renamed = [e for e in history.history(target.uow(), "attachment", attachment_id)
               if e.field == "File name" and e.new == stored]
    assert len(renamed) == 1 and renamed[0].old.isprintable()


@pytest.mark.file_only
def test_import_all_of_safe_names_notes_nothing(db: Database, tmp_path: Path,
                                                target: Database) -> None:
    path, attachment_id = _archive_with(db, tmp_path, {})
    notes: list[str] = []
    import_archive(target, path, notes=notes.append)
    assert notes == [] and _stored_name(target, attachment_id) == "minutes.pdf"


def _nothing_written(target: Database) -> bool:
    backups = paths.backup_dir_for(target.path)
    return (records.count(target.uow(), "city", ListQuery()) == 0
            and records.count(target.uow(), "attachment", ListQuery()) == 0
            and not (backups.is_dir() and any(backups.iterdir())))


@pytest.mark.file_only
@pytest.mark.parametrize(("change", "why"), [
    ({"sha256": hashlib.sha256(b"other").hexdigest()}, "SHA-256 differs"),
    ({"content": "b3RoZXI="}, "SHA-256 differs"),  # base64 of b"other"
    ({"content": None}, "its bytes are missing"),
    ({"size": 3}, "recorded as 3"),
    ({"content": None, "file_name": "../../x.pdf"}, "its bytes are missing"),
], ids=["checksum", "bytes", "no bytes", "size", "no bytes and a hostile name"])
def test_import_all_refuses_bytes_that_do_not_match(db: Database, tmp_path: Path,
                                                    target: Database, change: dict[str, Any],
                                                    why: str) -> None:
    path, attachment_id = _archive_with(db, tmp_path, change)
    notes: list[str] = []
    with pytest.raises(ValidationError) as refused:
        import_archive(target, path, notes=notes.append)
    message = str(refused.value)
    assert attachment_id in message and why in message and "nothing was imported" in message
    assert notes == [] and _nothing_written(target)


@pytest.mark.file_only
def test_import_all_command_refuses_a_tampered_archive(db: Database, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path, attachment_id = _archive_with(db, tmp_path, {"content": "b3RoZXI="})
    assert main(["import", "all", str(path), "--db", str(tmp_path / "new.db")]) == 1
    err = capsys.readouterr().err
    assert attachment_id in err and '"minutes.pdf"' in err and "Traceback" not in err
    new = open_db(tmp_path / "new.db", TEST_ACTOR)
    try:
        assert _nothing_written(new)
    finally:
        new.close()


# --- check: bytes changed behind the app's back ---------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.file_only  # changes the file with sqlite3, as something outside the app would
def test_check_reports_each_attachment_whose_bytes_changed(
        db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _attach(db, tmp_path / "in", "good.pdf")
    changed = _attach(db, tmp_path / "in2", "changed.pdf")
    hidden = _attach(db, tmp_path / "in3", "hidden.pdf")
    with db.uow() as uow:  # as an older version could have stored it
        packs_repo.update_row(uow.session, "attachments", hidden,
                              {"file_name": "evil\u202efdp.exe"}, None)
        uow.commit()
    db.close()
    assert main(["check", "--db", str(db.path)]) == 0
    assert "attachment checksums" in capsys.readouterr().out
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE attachments SET content = ? WHERE id IN (?, ?)",
                     (b"tampered", changed, hidden))
    conn.close()
    before = _digest(db.path)
    assert main(["check", "--db", str(db.path)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip().startswith("attachment ")]
    assert len(lines) == 2 and good not in err
    assert any(changed in line and '"changed.pdf"' in line for line in lines)
    # A hidden direction character is shown escaped, not obeyed by the terminal.
    assert any(hidden in line and "evil\\u202efdp.exe" in line for line in lines)
    assert "\u202e" not in err
    assert _digest(db.path) == before  # the check reads only
