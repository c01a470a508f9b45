"""Full-text search: accent- and case-insensitive prefixes, safe with any typed text, and in
step with every write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR


def _names(db: Database, kind: str, text: str) -> list[str]:
    return sorted(str(r.values[0]) for r in records.list_page(db.uow(), kind,
                                                              ListQuery(search=text)))


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_db(tmp_path_factory.mktemp("search") / "s.db", TEST_ACTOR)
    uow = database.uow
    zurich = records.create(uow(), "city", {"name": "Zürich", "country": "CH"}).id
    for name, org, email in [
        ("Łucja Wójcik", "Urząd Miasta Łodzi", "lucja@uml.lodz.pl"),
        ("Jürgen Köhler", "Stadt Köln", "j.koehler@stadt-koeln.de"),
        ("Anna Krakowska", "Kraków City Hall", "anna@krakow.eu"),
        ("O'Brien Seán", "Cork City Council", "sean@cork.ie"),
    ]:
        records.create(uow(), "contact", {"full_name": name, "organisation": org,
                                          "email": email, "city_id": zurich})
    yield database
    database.close()


@pytest.mark.parametrize(("typed", "expected"), [
    ("lodz", ["Łucja Wójcik"]),
    ("LUCJA", ["Łucja Wójcik"]),
    ("koln", ["Jürgen Köhler"]),
    ("jurgen kohl", ["Jürgen Köhler"]),
    ("krak", ["Anna Krakowska"]),
    ("anna@krakow", ["Anna Krakowska"]),
    ("o'brien", ["O'Brien Seán"]),
    ("zurich", ["Anna Krakowska", "Jürgen Köhler", "O'Brien Seán", "Łucja Wójcik"]),
    ("city", ["Anna Krakowska", "O'Brien Seán"]),
    ("nowhere", []),
])
def test_search_finds_by_prefix_whatever_the_accents(people: Database, typed: str,
                                                     expected: list[str]) -> None:
    assert _names(people, "contact", typed) == expected


@pytest.mark.parametrize("typed", ['"', "*", "-", "AND", "OR NOT", "(", ")", "a AND (b", 'x"y',
                                   "NEAR(a b)", "^", "col:val", "%", "_", "\\"])
def test_fts_syntax_characters_never_raise(people: Database, typed: str) -> None:
    records.list_page(people.uow(), "contact", ListQuery(search=typed))
    records.count(people.uow(), "contact", ListQuery(search=typed))
    records.lookup(people.uow(), "contact", typed)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_a_valid_search(people: Database, typed: str) -> None:
    records.count(people.uow(), "contact", ListQuery(search=typed))


def test_index_follows_updates_deletes_and_restores(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Lemberg", "country": "UA"}).id
    assert _names(db, "city", "lemb") == ["Lemberg"]
    records.update(db.uow(), "city", city, {"name": "Lviv", "native_name": "Львів"})
    assert _names(db, "city", "lemb") == []
    assert _names(db, "city", "lviv") == ["Lviv"]
    assert _names(db, "city", "львів") == ["Lviv"]
    records.delete(db.uow(), "city", city)
    assert _names(db, "city", "lviv") == []
    assert records.count(db.uow(), "city", ListQuery(search="lviv", deleted=True)) == 1
    records.restore(db.uow(), "city", city)
    assert _names(db, "city", "lviv") == ["Lviv"]


def test_type_ahead_uses_the_same_search(db: Database) -> None:
    records.create(db.uow(), "city", {"name": "Gödöllő", "country": "HU"})
    assert [c.label for c in records.lookup(db.uow(), "city", "godo")] == ["Gödöllő (HU)"]
