"""Lists and search as you type on the office server give what they give on a file: the same
rows for the same words (prefixes, case and accents ignored, a contact found by its city),
the same order and paging, and typed text never read as query syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database, open_server
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR

CITIES = (("Kraków", "PL"), ("Łódź", "PL"), ("Київ", "UA"), ("京都市", "JP"), ("Αθήνα", "GR"),
          ("São Paulo", "BR"), ("Krakow", "US"), ("Nürnberg", "DE"), ("St. Petersburg", "RU"))
PEOPLE = (("Anna Kowalska", "Łódź", "anna@lodz.example"),
          ("Jan Nowak", "Kraków", "jan.nowak@krakow.example"),
          ("Олена Шевченко", "Київ", "olena@kyiv.example"),
          ("Anna Krause", "Nürnberg", "a.krause@nuernberg.example"),
          ("Maria O'Brien", "São Paulo", "maria@sp.example"))
SEARCHES = ("krak", "KRAK", "lodz", "łódź", "kraków", "anna", "anna k", "anna lodz", "an",
            "k", "kyiv", "київ", "олена", "京都", "αθη", "sao pau", "petersburg", "st pet",
            "anna@lodz", "nowak@krak", "o'brien", "obrien", "brien", "nuernberg",
            "'", "''", ":*", "&", "|", "!", "\\", "\x00", "krak:*", "a & b", "(k)", "-k",
            "k'", "<->", "zzz")


def _fill(db: Database) -> None:
    ids = {}
    for name, country in CITIES:
        ids[name] = records.create(db.uow(), "city", {"name": name, "country": country},
                                   confirm_duplicate=True).id
    for person, city, email in PEOPLE:
        records.create(db.uow(), "contact", {"full_name": person, "city_id": ids[city],
                                             "email": email})
    gone = records.create(db.uow(), "city", {"name": "Krakenhof", "country": "DE"}).id
    records.delete(db.uow(), "city", gone)


@pytest.fixture
def engines(pg_address: str, tmp_path: Path) -> tuple[Database, Database]:
    file, server = open_db(tmp_path / "office.db", TEST_ACTOR), open_server(pg_address,
                                                                              TEST_ACTOR)
    for db in (file, server):
        _fill(db)
    yield file, server
    file.close()
    server.close()


def _names(db: Database, kind: str, query: ListQuery) -> list[str]:
    return [str(row.values[0]) for row in records.list_page(db.uow(), kind, query)]


@pytest.mark.parametrize("kind", ["city", "contact"])
def test_the_same_words_find_the_same_rows_on_both_engines(
        engines: tuple[Database, Database], kind: str) -> None:
    file, server = engines
    for words in SEARCHES:
        query = ListQuery(search=words, limit=50)
        on_file, on_server = _names(file, kind, query), _names(server, kind, query)
        assert on_server == on_file, words
        assert records.count(server.uow(), kind, query) == len(on_file), words


def test_what_the_search_finds(engines: tuple[Database, Database]) -> None:
    _file, server = engines
    find = lambda kind, words: _names(server, kind, ListQuery(search=words))  # noqa: E731
    assert set(find("city", "krak")) == {"Kraków", "Krakow"}  # Krakenhof is deleted
    assert "Łódź" in find("city", "lodz")
    assert find("contact", "anna lodz") == ["Anna Kowalska"]  # by her city
    assert find("contact", "nowak@krak") == ["Jan Nowak"]
    assert find("city", "Krakenhof") == []  # deleted
    assert find("city", "'") == [] and find("city", "\x00") == []


def test_sort_and_pages_agree(engines: tuple[Database, Database]) -> None:
    file, server = engines
    for descending in (False, True):
        for offset in (0, 3, 8):
            query = ListQuery(sort_field="name", descending=descending, offset=offset, limit=3)
            assert _names(server, "city", query) == _names(file, "city", query)
    deleted = ListQuery(deleted=True)
    assert _names(server, "city", deleted) == _names(file, "city", deleted) == ["Krakenhof"]


def test_type_ahead_agrees(engines: tuple[Database, Database]) -> None:
    file, server = engines
    for words in ("krak", "lodz", "o'b", ":*", ""):
        assert ([c.label for c in records.lookup(server.uow(), "city", words)]
                == [c.label for c in records.lookup(file.uow(), "city", words)]), words
