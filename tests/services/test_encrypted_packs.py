"""Encrypted visit packs (SQLCipher): written encrypted from the first byte (no plain copy on
disk, nothing readable in the file), opened in place with the passphrase, refused in one clear
line without it or with a wrong one, and merged back like any pack."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import PassphraseNeededError, WrongPassphraseError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db, remember_passphrase
from citypartner_desktop.services.visit_packs import merge
from citypartner_desktop.services.visit_packs.create import create
from citypartner_desktop.services.visit_packs.scope import Scope

SECRET = "Wawel 'Smok' – ćma"


@pytest.fixture
def pack(db: Database, tmp_path: Path) -> tuple[Path, str]:
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active",
        "aims": "Confidential aims"}).id
    records.create(db.uow(), "membership", {"partnership_id": partnership, "city_id": city})
    records.create(db.uow(), "contact", {"full_name": "Anna Kowalska", "city_id": city,
                                         "email": "anna.kowalska@krakow.pl"})
    path = tmp_path / "visit.cpack"
    create(db, Scope(partnerships=(partnership,)), path, passphrase=SECRET)
    return path, partnership


def test_nothing_of_the_records_is_readable_in_the_file(pack: tuple[Path, str]) -> None:
    path, _partnership = pack
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in ("Kowalska", "krakow.pl", "Confidential"):
        assert secret.encode() not in data
    assert [p.name for p in path.parent.iterdir() if p.name.startswith("visit")] == [
        "visit.cpack"]  # no plain copy, no leftover beside it
    with sqlite3.connect(path) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_opened_in_place_with_its_passphrase(pack: tuple[Path, str]) -> None:
    path, partnership = pack
    laptop = open_db(path, passphrase=SECRET)
    try:
        assert laptop.health() == "ok"
        records.update(laptop.uow(), "partnership", partnership, {"aims": "Youth exchange"})
        rows = records.list_page(laptop.uow(), "contact", ListQuery(search="kowalska"))
        assert [r.values[0] for r in rows] == ["Anna Kowalska"]
        reader = laptop.source.reader()  # the window's fast read path, through the key too
        try:
            assert reader.execute("SELECT title FROM partnerships") == [("Nürnberg – Kraków",)]
        finally:
            reader.close()
    finally:
        laptop.close()
    assert b"Youth exchange" not in path.read_bytes()


def test_without_or_with_a_wrong_passphrase_it_is_one_clear_refusal(
        pack: tuple[Path, str]) -> None:
    path, _partnership = pack
    before = path.read_bytes()
    with pytest.raises(PassphraseNeededError, match="is an encrypted visit pack"):
        open_db(path)
    with pytest.raises(WrongPassphraseError, match="does not open with this passphrase"):
        open_db(path, passphrase="wrong")
    assert path.read_bytes() == before


def test_an_encrypted_pack_merges_back(db: Database, pack: tuple[Path, str]) -> None:
    path, partnership = pack
    laptop = open_db(path, passphrase=SECRET)
    try:
        records.update(laptop.uow(), "partnership", partnership, {"aims": "Youth exchange"})
    finally:
        laptop.close()
    with pytest.raises(PassphraseNeededError):
        merge.open_pack(path)
    _merge_with_passphrase(db, path)
    assert records.get(db.uow(), "partnership", partnership).values["aims"] == "Youth exchange"


def _merge_with_passphrase(db: Database, path: Path) -> None:
    remember_passphrase(path, SECRET)
    opened = merge.open_pack(path)
    try:
        merge.apply(db, merge.analyse(db, opened))
    finally:
        opened.close()


@pytest.mark.parametrize("attachments", [True, False])
def test_everything_encrypted_from_an_office_file(db: Database, tmp_path: Path,
                                                  attachments: bool) -> None:
    """--all from a file is exported straight into the encrypted pack (no plain copy first),
    its search tables in step, and it merges back."""
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    anna = records.create(db.uow(), "contact", {"full_name": "Anna Kowalska", "city_id": city,
                                                "email": "anna.kowalska@krakow.pl"}).id
    gone = records.create(db.uow(), "contact", {"full_name": "Piotr Nowak", "city_id": city}).id
    records.delete(db.uow(), "contact", gone)
    path = tmp_path / "all.cpack"
    create(db, Scope(everything=True, attachments=attachments), path, passphrase=SECRET)
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3") and b"Kowalska" not in data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("all")] == ["all.cpack"]
    laptop = open_db(path, passphrase=SECRET)
    try:
        assert laptop.health() == "ok"
        rows = records.list_page(laptop.uow(), "contact", ListQuery(search="kowalska"))
        assert [r.values[0] for r in rows] == ["Anna Kowalska"]
        records.update(laptop.uow(), "contact", anna, {"notes": "Met at the fair"})
    finally:
        laptop.close()
    _merge_with_passphrase(db, path)
    assert records.get(db.uow(), "contact", anna).values["notes"] == "Met at the fair"
