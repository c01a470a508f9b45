"""Full-text search: accent- and case-insensitive prefixes, safe with any typed text, and in
step with every write — whichever way a page is found: through the full-text index, or by
walking the sort order, testing each row or probing each rowid in the matches (what a search
that matches much of a large table takes, ``repositories.table_rows._walk_plan``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citypartner_desktop.db import fts
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories import table_rows
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR


def _names(db: Database, kind: str, text: str) -> list[str]:
    return sorted(str(r.values[0]) for r in records.list_page(db.uow(), kind,
                                                              ListQuery(search=text)))


_WAYS = {
    "index": None,
    "test walk": table_rows.Walk(table_rows.TEST, 10**9, True),
    "probe walk": table_rows.Walk(table_rows.PROBE, 10**9, True),
    # Walks stopped after one row: too few matches found, so the page is read the index way.
    "test walk cut short": table_rows.Walk(table_rows.TEST, 1, False),
    "probe walk cut short": table_rows.Walk(table_rows.PROBE, 1, False),
}


@pytest.fixture(params=[way if _WAYS[way] is None else
                        pytest.param(way, marks=pytest.mark.file_only)  # SQLite's walks
                        for way in _WAYS])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each search test runs every way; the small test tables would always take the index."""
    walk = _WAYS[request.param]
    monkeypatch.setattr(table_rows, "_walk_plan", lambda *_args: walk)
    return str(request.param)


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
                                                     expected: list[str], path: str) -> None:
    assert _names(people, "contact", typed) == expected
    assert records.count(people.uow(), "contact", ListQuery(search=typed)) == len(expected)


@pytest.mark.parametrize("typed", ['"', "*", "-", "AND", "OR NOT", "(", ")", "a AND (b", 'x"y',
                                   "NEAR(a b)", "^", "col:val", "%", "_", "\\"])
def test_fts_syntax_characters_never_raise(people: Database, typed: str, path: str) -> None:
    """Typed as text, not as FTS5 syntax: no error, and the list, its count and the type-ahead
    agree on what matched."""
    rows = records.list_page(people.uow(), "contact", ListQuery(search=typed))
    assert records.count(people.uow(), "contact", ListQuery(search=typed)) == len(rows)
    found = records.lookup(people.uow(), "contact", typed)
    assert {c.id for c in found} == {r.id for r in rows}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_a_valid_search(people: Database, typed: str) -> None:
    rows = records.list_page(people.uow(), "contact", ListQuery(search=typed))
    assert records.count(people.uow(), "contact", ListQuery(search=typed)) == len(rows)


def test_index_follows_updates_deletes_and_restores(db: Database, path: str) -> None:
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


@pytest.mark.parametrize("few_deleted", [table_rows.FEW_DELETED, 0])
def test_search_counts_leave_the_deleted_rows_out(db: Database, few_deleted: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A search is counted in the full-text index less the deleted rows that match (or, with
    many rows deleted, row by row); the deleted ones are counted in their own view."""
    monkeypatch.setattr(table_rows, "FEW_DELETED", few_deleted)
    ids = [records.create(db.uow(), "city", {"name": name, "country": "PL"}).id
           for name in ("Wrocław", "Wadowice", "Warszawa", "Kraków")]
    records.delete(db.uow(), "city", ids[1])

    def count(text: str, *, deleted: bool = False) -> int:
        return records.count(db.uow(), "city", ListQuery(search=text, deleted=deleted))

    assert (count("w"), count("w", deleted=True), count("wad"), count("krak")) == (2, 1, 0, 1)
    assert _names(db, "city", "w") == ["Warszawa", "Wrocław"]


# Letters, digits, marks and separators of the scripts the office's data is written in.
_ALPHABET = "abkwz09 -'.,@|_/łóźßçñüøαβγσςкиївлш京都市ह िन्दीאבשعربي"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=25), min_size=1, max_size=8),
       st.text(_ALPHABET, min_size=1, max_size=8))
def test_the_row_test_finds_what_the_full_text_index_finds(texts: list[str],
                                                            typed: str) -> None:
    """``fts.words_match`` (a page found by walking the sort order) and FTS5's own MATCH (a
    page found through the index) agree, on folded text as the tables hold it."""
    import sqlite3

    words = fts.search_words(fold(typed))
    if not words:
        return
    folded = [fold(t) for t in texts]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(search_key, tokenize='unicode61 "
                     "remove_diacritics 2', prefix='1 2')")
        conn.executemany("INSERT INTO t(rowid, search_key) VALUES (?, ?)", enumerate(folded))
        by_index = {r for (r,) in conn.execute("SELECT rowid FROM t WHERE t MATCH ?",
                                                (fts.match_query(words),))}
    finally:
        conn.close()
    argument = fts.function_argument(words)
    by_row = {i for i, text in enumerate(folded) if fts.words_match(argument, text)}
    assert by_row == by_index
    # The walk's cheap first test (instr) never drops a match: its token is in every one.
    token = max((t for w in words for t in fts.tokens(w)), key=len)
    assert all(token in folded[i] for i in by_index)


@pytest.mark.file_only  # SQLite's walk plans
def test_a_search_matching_most_rows_walks_the_sort_order(db: Database,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The way is chosen by how much of the table matches, against S = (offset + page size)
    x rows: from three times the square root of S on each walked row is tested; from the
    square root on, or when a sixth of the table matches, the sort index is probed; below
    that the matches are read through the index."""
    from citypartner_desktop.db.reader import TableReader

    monkeypatch.setattr(table_rows, "DENSE_MIN_MATCHES", 1)
    for name, how_many in (("Wola", 70), ("Nowa Wieś", 20), ("Stara Wieś", 12), ("Kraków", 1)):
        for i in range(how_many):
            records.create(db.uow(), "city", {"name": f"{name} {i:02}", "country": "PL"})
    reader = TableReader(db.path)
    statements: list[str] = []
    reader.trace(statements.append)
    try:
        def page(text: str, offset: int = 0, limit: int = 5) -> tuple[list[object], str]:
            statements.clear()
            rows = table_rows.list_rows(reader, "city",
                                        ListQuery(search=text, limit=limit, offset=offset))
            how = ("test" if any(fts.MATCH_FUNCTION in s for s in statements) else
                   "probe" if any("rowid_" in s for s in statements) else "index")
            return [r.values[0] for r in rows], how

        # 103 rows, pages of 5: S = 5 x 103, isqrt(S) = 22
        # 70 match "wo": at least 3 x 22, each row tested
        assert page("wo") == ([f"Wola {i:02}" for i in range(5)], "test")
        # 20 match "nowa": a sixth of the table, the sort index probed
        assert page("nowa") == ([f"Nowa Wieś {i:02}" for i in range(5)], "probe")
        # 1 matches "krak": through the index
        assert page("krak") == (["Kraków 00"], "index")
        # Pages of 1: S = 103, isqrt(S) = 10, and 12 match "stara": probed
        assert page("stara", limit=1) == (["Stara Wieś 00"], "probe")
        # A deeper page takes a longer walk: at offset 5, S = 6 x 103, isqrt(S) = 24
        assert page("stara", offset=5, limit=1) == (["Stara Wieś 05"], "index")
        assert table_rows.count_rows(reader, "city", ListQuery(search="wo", limit=5)) == 70
    finally:
        reader.close()
