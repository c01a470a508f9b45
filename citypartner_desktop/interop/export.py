"""A list as a table page shows it (its columns, search and sort), or with every field, to CSV
or Excel; contacts as vCards and activities as iCalendar events.

``fields="shown"``: the page's columns, with the values the page shows (choice labels, a
reference's name, phone numbers as people read them); numbers stay numbers and dates dates.
``fields="all"``: every field of the kind, as its importer reads it back: the record's id
first; a reference as the referenced record's name and, beside it, that record's id; choices
as their codes (the same in every language); phone numbers in E.164; an evaluation's scores as
a score and a rationale column per criterion. A round trip through a spreadsheet then loses
nothing the importer knows.

CSV is UTF-8 with a byte-order mark (so Excel recognises the encoding), comma-separated; text
that a spreadsheet would run as a formula is neutralised (``interop.cells``); Excel cells are
typed text, never formulas. The file is written to a temporary file beside the target and
renamed into place.

Everything streams: the list is read a page at a time in one read transaction
(``records.iter_list``: each page starts after the last row of the one before), each page's
values (a vCard's, an event's) in one query, and each page written before the next is read,
so a million rows take the memory of a page (the .xlsx by ``xlsx_stream``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from citypartner_desktop.atomic_files import atomic_path
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain import contact_details, vocab
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.domain.specs import EntitySpec, FieldKind, FieldSpec, spec_for
from citypartner_desktop.interop.cells import neutralise, printable
from citypartner_desktop.interop.xlsx_stream import write_xlsx_stream
from citypartner_desktop.services import records

Progress = Callable[[int, int, str], None]
FORMATS = ("csv", "xlsx")
FIELD_SETS = ("shown", "all")
_PAGE = 1000
ID_HEADER = "ID"


class ExportCancelled(CityPartnerError):
    """The user cancelled; no file was written."""


def columns_of(kind: str, query: ListQuery) -> tuple[FieldSpec, ...]:
    spec = spec_for(kind)
    return tuple(spec.field(name) for name in (query.columns or spec.list_fields))


def _cell(field: FieldSpec, value: Any) -> Any:
    """A value as the page shows it (``fields="shown"``)."""
    if value is None or value == "":
        return None
    if field.kind in (FieldKind.INT, FieldKind.FLOAT) and isinstance(value, int | float):
        return value
    if field.kind is FieldKind.DATE and isinstance(value, date):
        return value
    return display(field, value)


Convert = Callable[[Any], Any]


def _shown(field: FieldSpec) -> Convert:
    """``_cell`` for one column, with the common cases decided once instead of per cell
    (a million rows of six columns: 6 million calls)."""
    kind = field.kind
    if kind is FieldKind.CHOICE:
        labels = dict(field.vocab)

        def choice(value: Any) -> Any:
            return None if value is None or value == "" else labels.get(value, value)
        return choice
    if kind in _AS_TEXT:
        def text(value: Any) -> Any:
            if type(value) is str:
                return value or None
            return _cell(field, value)
        return text
    return lambda value: _cell(field, value)


# Kinds whose text the page shows as it is stored.
_AS_TEXT = frozenset({FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.REF, FieldKind.COUNTRY,
                      FieldKind.EMAIL, FieldKind.TIMEZONE, FieldKind.URL, FieldKind.LANGUAGES,
                      FieldKind.CURRENCY})


def _stored(field: FieldSpec, value: Any) -> Any:
    """A value as its importer reads it back (``fields="all"``): choices as codes, phone
    numbers in E.164, yes/no as Yes/No, a contact's details one per line, numbers and dates
    typed."""
    if value is None or value == "":
        return None
    kind = field.kind
    if kind is FieldKind.MULTICHOICE:
        return ", ".join(value) or None
    if kind is FieldKind.BOOL:
        return display(field, value)
    if kind is FieldKind.DETAILS:  # one per line, as people type them (and the importer reads)
        return contact_details.to_lines(contact_details.parse(value)) or None
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        return value
    return str(value)


def iter_pages(db: Database, kind: str, query: ListQuery, *, ref_ids: bool = False,
               only_ids: bool = False, progress: Progress | None = None,
               should_cancel: Callable[[], bool] | None = None) -> Iterator[list[RowData]]:
    """The rows of the list (search and order, no paging), ``_PAGE`` at a time, read in one
    transaction (``records.iter_list``); between pages the cancel is checked and progress
    reported."""
    total = records.count(db.uow(), kind, query)
    batch: list[RowData] = []
    done = 0
    for row in records.iter_list(db.uow(), kind, query, ref_ids=ref_ids,
                                 only_ids=only_ids):
        batch.append(row)
        if len(batch) == _PAGE:
            if should_cancel is not None and should_cancel():
                raise ExportCancelled("The export was cancelled; no file was written.")
            yield batch
            done += len(batch)
            batch = []
            if progress is not None:
                progress(done, total, "Exporting…")
    if batch:
        yield batch
    if progress is not None:
        progress(total, total, "Exporting…")


def iter_ids(db: Database, kind: str, query: ListQuery, *, progress: Progress | None = None,
             should_cancel: Callable[[], bool] | None = None) -> Iterator[list[str]]:
    """The ids of the list (search, sort), a thousand at a time."""
    for page in iter_pages(db, kind, query, only_ids=True, progress=progress,
                           should_cancel=should_cancel):
        yield [row.id for row in page]


def export_vcards(db: Database, path: Path, query: ListQuery | None = None, *,
                  progress: Progress | None = None,
                  should_cancel: Callable[[], bool] | None = None) -> Path:
    """The contacts of the list as one vCard 4.0 file."""
    from citypartner_desktop.interop.vcard_write import card
    from citypartner_desktop.services.exports import contact_cards

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            for ids in iter_ids(db, "contact", query or ListQuery(), progress=progress,
                                should_cancel=should_cancel):
                found = contact_cards(db.uow(), ids)
                chunk = []
                for contact_id in ids:
                    values = found[contact_id]
                    rev = values["updated_at"].strftime("%Y%m%dT%H%M%SZ")
                    chunk.append(card(values, contact_id, rev))
                handle.write("".join(chunk))

    write_atomically(path, write)
    return path


def export_calendar(db: Database, path: Path, query: ListQuery | None = None, *,
                    progress: Progress | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> Path:
    """The activities of the list as one iCalendar file of all-day events."""
    from citypartner_desktop.interop.calendar import calendar_chunks
    from citypartner_desktop.services.exports import activity_events

    def events() -> Iterator[tuple[str, dict[str, Any]]]:
        for ids in iter_ids(db, "activity", query or ListQuery(), progress=progress,
                            should_cancel=should_cancel):
            found = activity_events(db.uow(), ids)
            yield from ((i, found[i]) for i in ids)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            pending: list[str] = []
            size = 0
            for chunk in calendar_chunks(events()):
                pending.append(chunk)
                size += len(chunk)
                if size > 1 << 16:
                    handle.write("".join(pending))
                    pending, size = [], 0
            handle.write("".join(pending))

    write_atomically(path, write)
    return path


# -- the columns of a list ------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """What an export writes: the header, and each row's cells from the list's rows."""

    headers: tuple[str, ...]
    query: ListQuery  # the list to read (its columns)
    cells: Callable[[RowData], tuple[Any, ...]]
    ref_ids: bool = False
    scores: bool = False  # the rows' scores are read page by page (evaluations)


def _shown_table(kind: str, query: ListQuery) -> Table:
    columns = columns_of(kind, query)
    converters = [_shown(f) for f in columns]

    def cells(row: RowData) -> tuple[Any, ...]:
        return tuple([convert(v) for convert, v in zip(converters, row.values, strict=True)])

    return Table(tuple(f.label for f in columns), query, cells)


def _all_table(spec: EntitySpec, query: ListQuery) -> Table:
    """Every field: the id, then each field in the spec's order; a reference as the
    record's name and its id; scores as a score and a rationale per criterion."""
    fields = tuple(f for f in spec.fields if f.kind is not FieldKind.SCORES)
    scored = any(f.kind is FieldKind.SCORES for f in spec.fields)
    refs = [f for f in fields if f.kind is FieldKind.REF]
    headers: list[str] = [ID_HEADER]
    for f in fields:
        headers.append(f.label)
        if f.kind is FieldKind.REF:
            headers.append(f"{f.label} ({ID_HEADER.lower()})")
    ref_at = {f.name: len(fields) + i for i, f in enumerate(refs)}
    if scored:
        for _code, label in vocab.CRITERIA:
            headers.extend((label, f"{label} – rationale"))
    width = len(fields) + len(refs)

    def cells(row: RowData) -> tuple[Any, ...]:
        values = row.values
        out: list[Any] = [row.id]
        for i, f in enumerate(fields):
            out.append(_stored(f, values[i]))
            if f.kind is FieldKind.REF:
                out.append(values[ref_at[f.name]])
        if scored:
            given = values[width] if len(values) > width else {}
            for code, _label in vocab.CRITERIA:
                score, rationale = given.get(code, (None, ""))
                out.extend((score, rationale or None))
        return tuple(out)

    listed = replace(query, columns=tuple(f.name for f in fields))
    return Table(tuple(headers), listed, cells, ref_ids=True, scores=scored)


def table_of(kind: str, query: ListQuery, fields: str = "shown") -> Table:
    if fields not in FIELD_SETS:
        raise CityPartnerError(f'"{fields}" is not a choice of fields; use shown or all.')
    query = replace(query, offset=0)
    return _all_table(spec_for(kind), query) if fields == "all" else _shown_table(kind, query)


def iter_table(db: Database, kind: str, table: Table, *, progress: Progress | None = None,
               should_cancel: Callable[[], bool] | None = None) -> Iterator[tuple[Any, ...]]:
    """Every row of the list (search and order, no paging), as ``table``'s cells."""
    cells = table.cells
    for page in iter_pages(db, kind, table.query, ref_ids=table.ref_ids, progress=progress,
                           should_cancel=should_cancel):
        if table.scores:
            # Scores live in their own table: read record by record (evaluations are few).
            page = [replace(row, values=(*row.values, records.get(
                db.uow(), kind, row.id).values.get("scores") or {})) for row in page]
        for row in page:
            yield cells(row)


def iter_rows(db: Database, kind: str, query: ListQuery, *, progress: Progress | None = None,
              should_cancel: Callable[[], bool] | None = None) -> Iterator[tuple[Any, ...]]:
    """Every row of the list (search and order, no paging), as typed cells."""
    yield from iter_table(db, kind, table_of(kind, query), progress=progress,
                          should_cancel=should_cancel)


# -- CSV ------------------------------------------------------------------------------------------
def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(printable(h)) for h in headers])
    for row in rows:  # control characters as the line breaks they mean (a NUL never)
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else
                         neutralise(printable(v)) if isinstance(v, str) else v for v in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            for chunk in csv_text(headers, rows):
                handle.write(chunk)

    write_atomically(path, write)


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]],
               title: str = "Export") -> None:
    def write(tmp: Path) -> None:
        with tmp.open("wb") as handle:
            write_xlsx_stream(handle, headers, rows, title)

    write_atomically(path, write)


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file beside ``path``, flushed to disk and renamed into place
    when complete (``atomic_files``): never a half-written file where a good one was (a
    calendar or spreadsheet may be reading it right now)."""
    if path.is_dir():
        raise CityPartnerError(f"{path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise CityPartnerError(f"The folder {path.parent} does not exist.")
    try:
        with atomic_path(path) as tmp:
            write(tmp)
    except OSError as exc:
        raise CityPartnerError(f"{path} could not be written: {exc.strerror or exc}.") from None


def export_list(db: Database, kind: str, path: Path, fmt: str | None = None,
                query: ListQuery | None = None, *, fields: str = "shown",
                progress: Progress | None = None,
                should_cancel: Callable[[], bool] | None = None) -> Path:
    """Export the list of ``kind`` with ``query``'s search and sort (all rows) to ``path``:
    the page's columns (``fields="shown"``) or every field (``"all"``, see the module
    docstring)."""
    query = query or ListQuery()
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise CityPartnerError(f'"{fmt}" is not a table format; use csv or xlsx.')
    table = table_of(kind, query, fields)
    rows = iter_table(db, kind, table, progress=progress, should_cancel=should_cancel)
    if fmt == "csv":
        write_csv(path, table.headers, rows)
    else:
        write_xlsx(path, table.headers, rows, spec_for(kind).plural)
    return path
