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
so a million rows take the memory of a page. The .xlsx is written here as well (its XML
streamed into the zip) rather than by openpyxl: its write-only mode takes 9 s per 100,000 rows
of six columns (7 s with lxml installed), so 70-90 s for a million before the database is
read; this writer takes 6 s for the million (``benchmarks/export_stream.py``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from citypartner_desktop.atomic_files import atomic_path
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.domain.specs import EntitySpec, FieldKind, FieldSpec, spec_for
from citypartner_desktop.interop.cells import neutralise, printable
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
    numbers in E.164, yes/no as Yes/No, numbers and dates typed."""
    if value is None or value == "":
        return None
    kind = field.kind
    if kind is FieldKind.MULTICHOICE:
        return ", ".join(value) or None
    if kind is FieldKind.BOOL:
        return display(field, value)
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
    from citypartner_desktop.interop.vcard import card
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


def _calendar_chunks() -> Callable[[Iterable[tuple[str, Any]]], Iterable[str]]:
    """``interop.calendar.calendar_chunks`` (header, each event, footer), or where that is
    not there, its ``calendar_text`` as one chunk."""
    from citypartner_desktop.interop import calendar

    chunks: Callable[[Iterable[tuple[str, Any]]], Iterable[str]] | None = getattr(
        calendar, "calendar_chunks", None)
    if chunks is not None:
        return chunks
    text = calendar.calendar_text
    return lambda events: (text(events),)


def export_calendar(db: Database, path: Path, query: ListQuery | None = None, *,
                    progress: Progress | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> Path:
    """The activities of the list as one iCalendar file of all-day events."""
    from citypartner_desktop.services.exports import activity_events

    chunks = _calendar_chunks()

    def events() -> Iterator[tuple[str, dict[str, Any]]]:
        for ids in iter_ids(db, "activity", query or ListQuery(), progress=progress,
                            should_cancel=should_cancel):
            found = activity_events(db.uow(), ids)
            yield from ((i, found[i]) for i in ids)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            pending: list[str] = []
            size = 0
            for chunk in chunks(events()):
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
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else
                         neutralise(v) if isinstance(v, str) else v for v in row])
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


# -- Excel ----------------------------------------------------------------------------------------
# A workbook is a zip of XML parts (ECMA-376 SpreadsheetML); these are the few a table needs.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles: 0 plain, 1 a date, 2 a date and time (what openpyxl writes for them).
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")
# The most rows a worksheet has in Excel; more continue on another worksheet.
SHEET_ROWS = 1_048_576
_EXCEL_EPOCH = date(1899, 12, 30)
# What XML cannot hold as it is: markup, a carriage return (read back as a line feed unless
# written as a reference), control characters (``printable``) and the two non-characters.
_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_NON_CHARACTERS = re.compile("[\ufffe\uffff]")


def _xml_text(text: str) -> str:
    if _XML_SPECIAL.search(text) is None:
        return text
    text = _NON_CHARACTERS.sub("", printable(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _excel_day(value: date) -> int:
    """A date as Excel's serial day (1900 date system, as openpyxl writes it)."""
    days = (value - _EXCEL_EPOCH).days
    return days - 1 if 0 < days <= 60 else days  # Excel's 29 February 1900


class _SheetWriter:
    """Rows as worksheet XML, a row at a time: text as inline strings (no shared text table
    to hold in memory), numbers and yes/no typed, dates as Excel's day numbers in a date
    style. A row's empty cells are left out."""

    def __init__(self, width: int) -> None:
        self.letters = [_letters(i) for i in range(1, width + 1)]
        self.days: dict[date, str] = {}

    def row(self, number: int, values: Sequence[Any]) -> str:
        parts = [f'<row r="{number}">']
        append = parts.append
        for letter, value in zip(self.letters, values, strict=True):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if value == "":
                    continue
                space = ' xml:space="preserve"' if (value[0].isspace()
                                                    or value[-1].isspace()) else ""
                append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>'
                       f"{_xml_text(value)}</t></is></c>")
            elif kind is int or kind is float:
                append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
            elif kind is date:
                day = self.days.get(value)
                if day is None:
                    day = self.days[value] = str(_excel_day(value))
                append(f'<c r="{letter}{number}" s="1"><v>{day}</v></c>')
            elif kind is bool:
                append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime):
                moment = value.replace(tzinfo=None)
                serial = _excel_day(moment.date()) + (
                    moment - datetime.combine(moment.date(), datetime.min.time())
                ).total_seconds() / 86_400
                append(f'<c r="{letter}{number}" s="2"><v>{serial!r}</v></c>')
            else:  # a number or text of another type (Decimal, an enum)
                text = str(value)
                append(f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">'
                       f"{_xml_text(text)}</t></is></c>")
        append("</row>")
        return "".join(parts)


def _sheet_name(title: str, number: int) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ") or "Export"
    if number > 1:
        suffix = f" ({number})"
        return name[:31 - len(suffix)] + suffix
    return name[:31]


def _attribute(text: str) -> str:
    return (_xml_text(text).replace('"', "&quot;"))


def write_xlsx_stream(handle: IO[bytes], headers: Sequence[str],
                      rows: Iterable[Sequence[Any]], title: str = "Export", *,
                      sheet_rows: int = SHEET_ROWS, level: int = 1) -> None:
    """An .xlsx of one worksheet (more past ``sheet_rows``, each with the header) to a
    binary file, streamed: the worksheet's XML goes into the zip as it is made. ``level``:
    the deflate level (1: the sheet's XML packs 8:1 at 5x the speed of the default's 10:1)."""
    writer = _SheetWriter(len(headers))
    header = writer.row(1, list(headers))
    sheets = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        iterator = iter(rows)
        more = True
        while more:
            sheets += 1
            member = f"xl/worksheets/sheet{sheets}.xml"
            with archive.open(member, "w", force_zip64=True) as part:
                part.write(
                    f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView '
                    'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"<sheetData>{header}".encode())
                pending: list[str] = []
                number = 1
                more = False
                for values in iterator:
                    number += 1
                    pending.append(writer.row(number, values))
                    if len(pending) == 500:
                        part.write("".join(pending).encode())
                        pending = []
                    if number == sheet_rows:
                        more = True
                        break
                pending.append("</sheetData></worksheet>")
                part.write("".join(pending).encode())
            if more:  # the sheet is full; continue only if a row follows
                following = next(iterator, None)
                if following is None:
                    more = False
                else:
                    iterator = _chain_one(following, iterator)
        names = [_sheet_name(title, n) for n in range(1, sheets + 1)]
        archive.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>' + "".join(
                f'<sheet name="{_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, 1)) + "</sheets></workbook>"))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG}">' + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, sheets + 1))
            + f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"))
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("_rels/.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("[Content_Types].xml", (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                      f'ContentType="{_TYPE}worksheet+xml"/>' for n in range(1, sheets + 1))
            + f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}styles+xml"/>'
            "</Types>"))


def _chain_one(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


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
