"""The table pages' reads: a page of rows and the count, through the read-only reader.

Needs no SQLAlchemy (nor does anything it imports), so the first page can be painted while
the ORM is still to be loaded; ``services.records.list_page`` reads the same way inside a
unit of work.
"""

from __future__ import annotations

from citypartner_desktop.db.reader import Reader, ReadSource
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.repositories import table_rows

MAX_PAGE = 1000  # rows in one page: the table model asks for 200


def check_page(query: ListQuery) -> None:
    if not 0 < query.limit <= MAX_PAGE or query.offset < 0:
        raise ValueError(f"page of {query.limit} rows at {query.offset} is out of range")


def list_page(reader: Reader, kind: str, query: ListQuery) -> list[RowData]:
    check_page(query)
    return table_rows.list_rows(reader, kind, query)


def count(reader: Reader, kind: str, query: ListQuery) -> int:
    return table_rows.count_rows(reader, kind, query)


def count_if_few(reader: Reader, kind: str, query: ListQuery, most: int) -> int | None:
    return table_rows.count_if_few(reader, kind, query, most)


def count_in(source: ReadSource, kind: str, query: ListQuery) -> int:
    """The count through a read-only connection of its own: safe on a worker thread while
    the window reads its pages through the application's reader."""
    with source.snapshot() as reader:
        return table_rows.count_rows(reader, kind, query)
