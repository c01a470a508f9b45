"""export all / import all: the whole database as JSON and back, lossless."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citypartner_desktop.cli import main
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import CityPartnerError, ValidationError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.archive import export_archive, import_archive
from citypartner_desktop.services import attachments, records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.demo import load_demo
from tests.conftest import TEST_ACTOR


def _body(path: Path) -> str:
    """The archive without its first line (which holds the export time)."""
    return path.read_text(encoding="utf-8").split("\n", 1)[1]


def strict_json(path: Path) -> Any:
    """The file read as RFC 8259 JSON, stricter than the app's reader (json.loads): no NaN or
    Infinity, no key twice in an object."""
    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    return json.loads(path.read_bytes().decode("utf-8"), parse_constant=no_constant,
                      object_pairs_hook=unique)


@pytest.mark.file_only  # compares with the file read by sqlite3
def test_round_trip_is_lossless(db: Database, tmp_path: Path) -> None:
    load_demo(db, "small", 1)
    city = records.create(db.uow(), "city", {"name": "京都市 “=x”", "country": "JP",
                                             "notes": "line\nnext \\ \u2028"}).id
    source = tmp_path / "scan.bin"
    source.write_bytes(bytes(range(256)) * 3)
    live = records.create(db.uow(), "city", {"name": "Lviv", "country": "UA"}).id
    attachments.attach(db.uow(), "city", live, source)
    records.delete(db.uow(), "city", city)  # tombstones travel too
    first = export_archive(db, tmp_path / "a.json")
    # The document itself, read without the app: every row as wide as its columns, as many
    # as exported, and the cities as SQLite has them.
    document = strict_json(tmp_path / "a.json")
    assert document["format"] == "citypartner-archive"
    tables = document["tables"]
    assert {t: len(c["rows"]) for t, c in tables.items()} == first
    assert all(len(row) == len(c["columns"]) for c in tables.values() for row in c["rows"])
    name_at = tables["cities"]["columns"].index("name")
    with sqlite3.connect(db.path) as conn:
        names = sorted(n for (n,) in conn.execute("SELECT name FROM cities"))
    conn.close()
    assert sorted(row[name_at] for row in tables["cities"]["rows"]) == names
    assert "京都市 “=x”" in names
    other = open_db(tmp_path / "other.db", TEST_ACTOR)
    try:
        restored = import_archive(other, tmp_path / "a.json")
        assert {t: n for t, n in restored.items() if n} == {t: n for t, n in first.items() if n}
        export_archive(other, tmp_path / "b.json")
        assert _body(tmp_path / "a.json") == _body(tmp_path / "b.json")
        # Derived data is rebuilt: search and the deleted view work in the copy.
        found = records.list_page(other.uow(), "city", ListQuery(search="krakow"))
        assert [r.values[0] for r in found] == ["Kraków"]
        deleted = records.list_page(other.uow(), "city", ListQuery(deleted=True))
        assert [r.id for r in deleted] == [city]
        copy = tmp_path / "copy.bin"
        table = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))[
            "tables"]["attachments"]
        attachment_id = table["rows"][0][table["columns"].index("id")]
        attachments.save_copy(other.uow(), attachment_id, copy)
        assert copy.read_bytes() == source.read_bytes()
    finally:
        other.close()


def test_only_into_an_empty_database(db: Database, tmp_path: Path) -> None:
    records.create(db.uow(), "city", {"name": "Lviv", "country": "UA"})
    export_archive(db, tmp_path / "a.json")
    with pytest.raises(ValidationError, match="is not empty"):
        import_archive(db, tmp_path / "a.json")


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "is not a CityPartner archive (not JSON"),
    ('{"format": "other"}', "is not a CityPartner archive."),
    ('{"format": "citypartner-archive", "format_version": 9}', "format version 9"),
    ('{"format": "citypartner-archive", "format_version": 1, "tables": {"cities": 5}}',
     "is a damaged archive"),
])
def test_bad_archives_are_refused(db: Database, tmp_path: Path, content: str,
                                  message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CityPartnerError, match=re.escape(message)):
        import_archive(db, path)


def test_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "a.db", tmp_path / "b.db"
    assert main(["demo", "--db", str(source)]) == 0
    assert main(["export", "all", "--db", str(source), "-o", str(tmp_path / "all.json")]) == 0
    assert main(["import", "all", str(tmp_path / "all.json"), "--db", str(target)]) == 0
    assert "Restored" in capsys.readouterr().out
    assert main(["import", "all", str(tmp_path / "all.json"), "--db", str(target)]) == 1
    assert "is not empty" in capsys.readouterr().err


TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=50).filter(
    lambda t: t.strip() == t and t.strip() != "")


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, notes=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_any_text_survives_the_archive(tmp_path_factory: pytest.TempPathFactory, name: str,
                                       notes: str) -> None:
    folder = tmp_path_factory.mktemp("archive")
    source = open_db(folder / "s.db", TEST_ACTOR)
    target = open_db(folder / "t.db", TEST_ACTOR)
    try:
        city = records.create(source.uow(), "city", {"name": name[:200], "country": "PL",
                                                     "notes": notes}).id
        before = records.get(source.uow(), "city", city)
        export_archive(source, folder / "a.json")
        cities = strict_json(folder / "a.json")["tables"]["cities"]
        [row] = [dict(zip(cities["columns"], r, strict=True)) for r in cities["rows"]]
        assert (row["name"], row["notes"]) == (before.values["name"], before.values["notes"])
        import_archive(target, folder / "a.json")
        after = records.get(target.uow(), "city", city)
        assert after == before
    finally:
        source.close()
        target.close()
