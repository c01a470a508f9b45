"""A list as a table page shows it (its columns, search and sort) to CSV or Excel.

Values are what the page shows (choice labels, a reference's name, phone numbers as people
read them), numbers stay numbers and dates dates. CSV is UTF-8 with a byte-order mark (so Excel
recognises the encoding), comma-separated; text that a spreadsheet would run as a formula is
neutralised (``interop.cells``); Excel cells are typed text, never formulas. The file is written
to a temporary file beside the target and renamed into place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from citypartner_desktop.atomic_files import atomic_path
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import FieldKind, FieldSpec, spec_for
from citypartner_desktop.interop.cells import neutralise, printable
from citypartner_desktop.services import records

Progress = Callable[[int, int, str], None]
FORMATS = ("csv", "xlsx")
_PAGE = 1000


class ExportCancelled(CityPartnerError):
    """The user cancelled; no file was written."""


def columns_of(kind: str, query: ListQuery) -> tuple[FieldSpec, ...]:
    spec = spec_for(kind)
    return tuple(spec.field(name) for name in (query.columns or spec.list_fields))


def _cell(field: FieldSpec, value: Any) -> Any:
    if value is None or value == "":
        return None
    if field.kind in (FieldKind.INT, FieldKind.FLOAT) and isinstance(value, int | float):
        return value
    if field.kind is FieldKind.DATE and isinstance(value, date):
        return value
    return display(field, value)


def iter_ids(db: Database, kind: str, query: ListQuery, *, progress: Progress | None = None,
             should_cancel: Callable[[], bool] | None = None) -> Iterator[list[str]]:
    """The ids of the list (search, sort), a thousand at a time."""
    total = records.count(db.uow(), kind, query)
    listed = replace(query, offset=0, columns=(spec_for(kind).title_field,))
    batch: list[str] = []
    done = 0
    for row in records.iter_list(db.uow(), kind, listed):
        batch.append(row.id)
        if len(batch) == _PAGE:
            if should_cancel is not None and should_cancel():
                raise ExportCancelled("The export was cancelled; no file was written.")
            done += len(batch)
            yield batch
            batch = []
            if progress is not None:
                progress(done, total, "Exporting…")
    if batch:
        yield batch
    if progress is not None:
        progress(total, total, "Exporting…")


def export_vcards(db: Database, path: Path, query: ListQuery | None = None, *,
                  progress: Progress | None = None,
                  should_cancel: Callable[[], bool] | None = None) -> Path:
    """The contacts of the list as one vCard 4.0 file."""
    from citypartner_desktop.interop.vcard import card
    from citypartner_desktop.services.exports import contact_cards

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            for ids in iter_ids(db, "contact", query or ListQuery(), progress=progress,
                                should_cancel=should_cancel):
                found = contact_cards(db.uow(), ids)
                for contact_id in ids:
                    values = found[contact_id]
                    rev = values["updated_at"].strftime("%Y%m%dT%H%M%SZ")
                    handle.write(card(values, contact_id, rev))

    write_atomically(path, write)
    return path


def export_calendar(db: Database, path: Path, query: ListQuery | None = None, *,
                    progress: Progress | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> Path:
    """The activities of the list as one iCalendar file of all-day events."""
    from citypartner_desktop.interop.calendar import calendar_text
    from citypartner_desktop.services.exports import activity_events

    def events() -> Iterator[tuple[str, dict[str, Any]]]:
        for ids in iter_ids(db, "activity", query or ListQuery(), progress=progress,
                            should_cancel=should_cancel):
            found = activity_events(db.uow(), ids)
            yield from ((i, found[i]) for i in ids)

    def write(tmp: Path) -> None:
        tmp.write_bytes(calendar_text(events()).encode("utf-8"))

    write_atomically(path, write)
    return path


def iter_rows(db: Database, kind: str, query: ListQuery, *, progress: Progress | None = None,
              should_cancel: Callable[[], bool] | None = None) -> Iterator[tuple[Any, ...]]:
    """Every row of the list (search and order, no paging), as typed cells."""
    columns = columns_of(kind, query)
    total = records.count(db.uow(), kind, query)
    for done, row in enumerate(records.iter_list(db.uow(), kind, replace(query, offset=0)),
                               start=1):
        if done % _PAGE == 0:
            if should_cancel is not None and should_cancel():
                raise ExportCancelled("The export was cancelled; no file was written.")
            if progress is not None:
                progress(done, total, "Exporting…")
        yield tuple(_cell(f, v) for f, v in zip(columns, row.values, strict=True))
    if progress is not None:
        progress(total, total, "Exporting…")


def csv_text(headers: Sequence[str], rows: Iterator[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else
                         neutralise(v) if isinstance(v, str) else v for v in row])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(path: Path, headers: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            for chunk in csv_text(headers, rows):
                handle.write(chunk)

    write_atomically(path, write)


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterator[Sequence[Any]],
               title: str = "Export") -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def write(tmp: Path) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headers))
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=None)
                if isinstance(value, str):
                    cell.value = printable(value)  # XML takes no control characters
                    cell.data_type = "s"  # text, even when it starts with "=": never a formula
                else:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        book.save(tmp)

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
                query: ListQuery | None = None, *, progress: Progress | None = None,
                should_cancel: Callable[[], bool] | None = None) -> Path:
    """Export the list of ``kind`` with ``query``'s search and sort (all rows) to ``path``."""
    query = query or ListQuery()
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise CityPartnerError(f'"{fmt}" is not a table format; use csv or xlsx.')
    headers = [f.label for f in columns_of(kind, query)]
    rows = iter_rows(db, kind, query, progress=progress, should_cancel=should_cancel)
    if fmt == "csv":
        write_csv(path, headers, rows)
    else:
        write_xlsx(path, headers, rows, spec_for(kind).plural)
    return path
