"""The plain-SQL read path of the table pages (``repositories.table_rows`` over ``db.reader``)
gives exactly what the ORM holds, and the read-only connection behaves."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.db import reader as reader_module
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.reader import TableReader
from citypartner_desktop.domain.errors import DatabaseError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import ENTITIES, FieldKind
from citypartner_desktop.repositories import records as repo
from citypartner_desktop.repositories import table_rows
from citypartner_desktop.services import attachments, demo, records
from citypartner_desktop.services.database import open_db
from tests.conftest import TEST_ACTOR


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("rows")
    database = open_db(folder / "small.db", TEST_ACTOR)
    demo.load_demo(database, "small", seed=3, today=date(2026, 11, 28))
    # the demo attaches no files; one, so that every kind has rows to compare
    scan = folder / "Charter – Łódź.pdf"
    scan.write_bytes(b"%PDF-1.4 charter")
    city = records.list_page(database.uow(), "city", ListQuery(limit=1))[0].id
    attachments.attach(database.uow(), "city", city, scan)
    yield database
    database.close()


def _orm_values(db: Database, kind: str, record_id: str,
                fields: tuple[str, ...]) -> tuple[Any, ...]:
    spec = ENTITIES[kind]
    with db.uow() as uow:
        record = repo.get(uow.session, kind, record_id)
        values = []
        for name in fields:
            value = getattr(record, name)
            field = spec.field(name)
            if field.kind is FieldKind.REF and field.ref and value is not None:
                value = repo.label(uow.session, field.ref, value)
            values.append(value)
        return tuple(values)


@pytest.mark.parametrize("kind", sorted(ENTITIES))
def test_rows_hold_what_the_orm_holds(small: Database, kind: str) -> None:
    """Every list column of every kind, with its Python type (dates as dates, themes as lists,
    referenced records by their labels) — through the reader and through a unit of work."""
    query = ListQuery(limit=60)
    rows = records.list_page(small.uow(), kind, query)
    assert rows, f"no {kind} to compare"
    reader = TableReader(small.path)
    try:
        assert table_rows.list_rows(reader, kind, query) == rows
        assert table_rows.count_rows(reader, kind, ListQuery()) == records.count(
            small.uow(), kind, ListQuery())
    finally:
        reader.close()
    fields = ENTITIES[kind].list_fields
    for row in rows:
        assert row.values == _orm_values(small, kind, row.id, fields), (kind, row.id)


def test_a_reference_sorted_list_is_in_label_order(small: Database) -> None:
    query = ListQuery(sort_field="city_id", limit=500)
    labels = [row.values[3] for row in records.list_page(small.uow(), "contact", query)]
    assert labels == sorted(labels)  # the copied, indexed sort label matches the shown label


@pytest.mark.file_only  # the plain SQLite reader of a file
def test_the_reader_sees_each_commit_and_cannot_write(db: Database) -> None:
    reader = TableReader(db.path)
    try:
        assert table_rows.count_rows(reader, "city", ListQuery(search="lodz")) == 0
        records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
        assert table_rows.count_rows(reader, "city", ListQuery(search="lodz")) == 1
        with pytest.raises(DatabaseError, match="could not be read"):
            reader.execute("DELETE FROM cities")
        assert table_rows.count_rows(reader, "city", ListQuery()) == 1
        assert reader.execute("PRAGMA cache_size") == [(-reader_module.CACHE_KIB,)]
    finally:
        reader.close()


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="could not be read"):
        TableReader(tmp_path / "nowhere.db")
    assert not (tmp_path / "nowhere.db").exists()  # read-only: nothing was created


@pytest.mark.file_only  # the plain SQLite reader of a file
def test_unknown_columns_are_refused_not_spliced_into_sql(db: Database) -> None:
    reader = TableReader(db.path)
    try:
        for bad in ("name; DROP TABLE cities", "no_such_field"):
            with pytest.raises(KeyError):
                table_rows.list_rows(reader, "city", ListQuery(sort_field=bad))
            with pytest.raises(KeyError):
                table_rows.count_rows(reader, "city", ListQuery(filters=((bad, "x"),)))
    finally:
        reader.close()
    assert sqlite3.connect(db.path).execute("SELECT count(*) FROM cities").fetchone() == (0,)


@pytest.mark.parametrize("searched", [False, True])
def test_a_page_costs_one_statement_and_a_search_two_more(small: Database,
                                                          searched: bool) -> None:
    """A page is one query; a searched one also reads the table's counts and how many rows
    match (through the index, or walking the sort order?). FTS5 reads its shadow tables with
    statements of its own: those are not ours."""
    reader = TableReader(small.path)
    statements: list[str] = []
    try:
        [first] = table_rows.list_rows(reader, "activity", ListQuery(limit=1))
        search = str(first.values[2]).split()[0] if searched else ""  # a word of its title
        reader.trace(statements.append)
        rows = table_rows.list_rows(reader, "activity", ListQuery(search=search, limit=50))
        assert rows
        ours = [s for s in statements if "'main'." not in s]  # FTS5's own name the schema
        assert len(ours) == (3 if searched else 1), ours
    finally:
        reader.close()
