"""Read a sheet of a LibreOffice (.ods) or old Excel 97-2003 (.xls) workbook.

The cells are read by python-calamine (Rust, wheels for every platform). What it does not
tell is read here from the file itself, small parts only:

- .ods: the sheet open when the file was saved (settings.xml, "ActiveTable"), and, from the
  sheet XML (content.xml, streamed as the .xlsx reader streams its parts, with the same checks
  of size and packing), the hidden rows (table:visibility "collapse" or "filter"), the merged
  cells (calamine gives none for .ods) and how far the cells reach;
- .xls: the sheet open when the file was saved (WINDOW1's itabCur), the hidden rows (ROW's
  fDyZero) and how far the cells reach, from the BIFF8 records of the file's "Workbook"
  stream (inside the OLE compound file, read by ``_compound_stream``). Merged cells come from
  calamine.

How far the cells reach is checked before calamine reads the file: it holds a sheet as a
dense block from the first used cell to the last, so a small file with a value in A1 and one
in the last row and column would take gigabytes. A sheet whose block would not fit in what an
import may hold is refused, like any file past the limits of ``read_limits``, and so are a
sheet of more than MAX_ROWS rows, a cell longer than MAX_CELL characters and rows past
MAX_HELD, counted as the .xlsx reader counts them.

Where the header is and which lines are data is decided by ``sheet_layout``.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree.ElementTree import ParseError

from citypartner_desktop.interop.read_limits import (
    LIMITS,
    Held,
    Limits,
    size_text,
    too_many_rows,
)
from citypartner_desktop.interop.sheet_layout import (
    Grid,
    LineRanges,
    Merge,
    lay_out,
    no_such_sheet,
    pick_sheet,
    sheet_note,
)
from citypartner_desktop.interop.source_table import FileRefused, SourceTable
from citypartner_desktop.interop.workbook import (
    MAX_MERGES,
    MAX_PARTS,
    MAX_RATIO,
    PART_LIMIT,
    SHEET_LIMIT,
    _cell,
    column_letters,
    feed,
)

_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# What a cell of a sheet's dense block takes: in calamine (a value and its place), then as
# the Python list calamine hands over.
CELL_BYTES = 80


@dataclass
class _SheetFacts:
    """What the reader needs to know of a sheet besides its cells."""

    title: str
    shown: bool = True
    hidden: LineRanges = field(default_factory=LineRanges)
    merged: list[Merge] = field(default_factory=list)
    first_row: int = 0  # 1-based; 0 while no cell is used
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0

    def reach(self, top: int, left: int, bottom: int, right: int) -> None:
        if not self.first_row:
            self.first_row, self.first_column = top, left
        self.first_row = min(self.first_row, top)
        self.first_column = min(self.first_column, left)
        self.last_row = max(self.last_row, bottom)
        self.last_column = max(self.last_column, right)

    @property
    def cells(self) -> int:
        if not self.first_row:
            return 0
        return ((self.last_row - self.first_row + 1)
                * (self.last_column - self.first_column + 1))

    def merge(self, where: str, merge: Merge) -> None:
        if len(self.merged) == MAX_MERGES:
            raise FileRefused(f"{where} has more than {MAX_MERGES:,} merged cells; that is not "
                              "a table.")
        self.merged.append(merge)


def is_ods(data: bytes) -> bool:
    """A zip whose first part is ODF's "mimetype" naming a spreadsheet."""
    return data[30:38] == b"mimetype" and _ODS_TYPE in data[38:38 + len(_ODS_TYPE) + 8]


# --- .ods ---------------------------------------------------------------------------------------


def read_ods(data: bytes, name: str, limits: Limits = LIMITS, sheet: str | None = None,
             max_parts: int = MAX_PARTS) -> SourceTable:
    """A sheet of a LibreOffice workbook (``sheet``, else the active one): header and rows."""
    held = Held(name, len(data), limits.held)
    if data.count(b"PK\x01\x02") > max_parts:
        raise FileRefused(f"{name} holds more than {max_parts:,} parts; that is not an office "
                          "spreadsheet.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            present = set(archive.namelist())
            if "content.xml" not in present:
                raise FileRefused(f"{name} is not a readable LibreOffice spreadsheet (it has "
                                  "no content.xml).")
            for info in archive.infolist():  # calamine reads parts of its own choosing
                _check_part(name, info)
            scan = _OdsScan(name)
            for _ in feed(archive, name, "content.xml", "a sheet", SHEET_LIMIT, scan):
                pass
            active = None
            if "settings.xml" in present:
                settings = _OdsSettings()
                for _ in feed(archive, name, "settings.xml", "a settings part", PART_LIMIT,
                              settings):
                    pass
                active = settings.active
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ParseError,
            NotImplementedError, RuntimeError) as exc:
        raise FileRefused(f"{name} is not a readable LibreOffice spreadsheet ({exc}).") from None
    if not scan.sheets:
        raise FileRefused(f"{name} has no sheet.")
    return _read(data, name, scan.sheets, active, sheet, held, limits, "LibreOffice spreadsheet")


def _check_part(name: str, info: zipfile.ZipInfo) -> None:
    """Every part within the size and packing a worksheet may have (a zip bomb is refused
    before calamine unpacks it)."""
    unpacked, packed = info.file_size, max(info.compress_size, 1)
    if unpacked > SHEET_LIMIT or (unpacked > 2**20 and unpacked > MAX_RATIO * packed):
        raise FileRefused(f"{name} holds a part ({info.filename}) of {size_text(unpacked)} "
                          f"packed into {size_text(packed)}; that is not an office spreadsheet.")


class _OdsScan:
    """Handlers for content.xml: each sheet's name, hidden rows, merged cells and reach."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sheets: list[_SheetFacts] = []
        self.depth = 0  # tables open (a table in a cell is part of its sheet's cell)
        self.row = self.column = 0
        self.repeat = 1
        self.row_hidden = self.row_noted = False

    @staticmethod
    def _attributes(attrib: dict[str, str]) -> dict[str, str]:
        return {key.rpartition("}")[2]: value for key, value in attrib.items()}

    @staticmethod
    def _number(text: str | None) -> int:
        return int(text) if text and text.isdigit() else 1

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        local = tag.rpartition("}")[2]
        if local == "table":
            self.depth += 1
            if self.depth == 1:
                facts = self._attributes(attrib)
                self.sheets.append(_SheetFacts(facts.get("name", f"Sheet{len(self.sheets)}")))
                self.row = 0
            return
        if self.depth != 1:
            return
        if local == "table-row":
            facts = self._attributes(attrib)
            self.repeat = self._number(facts.get("number-rows-repeated"))
            self.row += 1
            self.column = 0
            self.row_hidden = facts.get("visibility", "visible") != "visible"
            self.row_noted = False
        elif local in ("table-cell", "covered-table-cell"):
            facts = self._attributes(attrib)
            columns = self._number(facts.get("number-columns-repeated"))
            sheet = self.sheets[-1]
            first = self.column + 1
            self.column += columns
            if "value-type" in facts:
                last_row = self.row + self.repeat - 1
                sheet.reach(self.row, first, last_row, self.column)
                if self.row_hidden and not self.row_noted:
                    sheet.hidden.add(self.row, self.repeat)
                    self.row_noted = True
            spans = (self._number(facts.get("number-rows-spanned")),
                     self._number(facts.get("number-columns-spanned")))
            if local == "table-cell" and spans != (1, 1):
                sheet.merge(f'{self.name} sheet "{sheet.title}"',
                            (self.row, first, self.row + spans[0] - 1, first + spans[1] - 1))

    def end(self, tag: str) -> None:
        local = tag.rpartition("}")[2]
        if local == "table":
            self.depth -= 1
        elif local == "table-row" and self.depth == 1:
            self.row += self.repeat - 1


class _OdsSettings:
    """Handlers for settings.xml: the name of the sheet open when the file was saved."""

    def __init__(self) -> None:
        self.active: str | None = None
        self.reading = False
        self.parts: list[str] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.reading = (self.active is None and tag.endswith("config-item")
                        and any(k.endswith("}name") and v == "ActiveTable"
                                for k, v in attrib.items()))

    def data(self, text: str) -> None:
        if self.reading and len(self.parts) < 100:
            self.parts.append(text)

    def end(self, _tag: str) -> None:
        if self.reading:
            self.active = "".join(self.parts)
            self.reading = False


# --- .xls ---------------------------------------------------------------------------------------


def read_xls(data: bytes, name: str, limits: Limits = LIMITS,
             sheet: str | None = None) -> SourceTable:
    """A sheet of an Excel 97-2003 workbook (``sheet``, else the active one)."""
    held = Held(name, len(data), limits.held)
    stream = _compound_stream(data, ("Workbook", "Book"))
    sheets: list[_SheetFacts] = []
    active = None
    if stream is not None:
        try:
            sheets, active = _biff_facts(stream, name)
        except (struct.error, IndexError, UnicodeDecodeError):
            sheets, active = [], None  # calamine will say what is wrong, or read it
    return _read(data, name, sheets, active, sheet, held, limits, "old-style Excel file (.xls)")


_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _compound_stream(data: bytes, names: Sequence[str]) -> bytes | None:
    """A stream of an OLE compound file (the container of .xls), by name; None when the file
    is not one or the stream is not there. Every chain is followed at most as many steps as
    the file has sectors, so a damaged or hostile file cannot loop."""
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return None
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or mini_shift >= shift:
        return None
    size = 1 << shift
    sectors = (len(data) - size) // size + 1

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start:start + size]

    def chain(start: int, table: Sequence[int]) -> list[int]:
        found: list[int] = []
        while start < len(table) and start not in (_FREE, _END_OF_CHAIN):
            found.append(start)
            if len(found) > sectors:
                return []
            start = table[start]
        return found

    fat_count, first_directory = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini, _mini_count, first_difat, difat_count = struct.unpack_from(
        "<IIIII", data, 0x38)
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = first_difat
    for _ in range(min(difat_count, sectors)):
        if next_difat in (_FREE, _END_OF_CHAIN):
            break
        block = struct.unpack(f"<{size // 4}I", sector(next_difat))
        difat.extend(block[:-1])
        next_difat = block[-1]
    fat: list[int] = []
    for number in difat[:fat_count]:
        part = sector(number)
        if len(part) == size:
            fat.extend(struct.unpack(f"<{size // 4}I", part))

    def read(start: int, length: int, table: Sequence[int], source: Any) -> bytes:
        return b"".join(source(n) for n in chain(start, table))[:length]

    directory = read(first_directory, sectors * size, fat, sector)
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root_start, root_size = struct.unpack_from("<II", entries[0], 116)
    found = next((entry for entry in entries if entry[66] == 2 and entry[:max(
        struct.unpack_from("<H", entry, 64)[0] - 2, 0)].decode("utf-16-le", "replace")
        in names), None)
    if found is None:
        return None
    start, stream_size = struct.unpack_from("<II", found, 116)
    if stream_size >= cutoff:
        return read(start, stream_size, fat, sector)
    mini_stream = read(root_start, root_size, fat, sector)
    mini_fat_bytes = read(first_mini, sectors * size, fat, sector)
    mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I",
                             mini_fat_bytes[:len(mini_fat_bytes) // 4 * 4])
    mini = 1 << mini_shift

    def mini_sector(number: int) -> bytes:
        return mini_stream[number * mini:(number + 1) * mini]

    return read(start, stream_size, mini_fat, mini_sector)


# BIFF8 records: where the cells of a sheet are, and the rows and sheets hidden or shown.
_BOF, _EOF, _BOUNDSHEET, _WINDOW1, _ROW = 0x0809, 0x000A, 0x0085, 0x003D, 0x0208
_CELLS = {0x00FD, 0x0203, 0x027E, 0x0006, 0x0205, 0x0204, 0x00D6, 0x0201}  # row, col first
_MULTIPLE = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first col, …, last col at the end


def _biff_facts(stream: bytes, name: str) -> tuple[list[_SheetFacts], str | None]:
    """The sheets (worksheets only) of a BIFF8 workbook stream with their hidden rows and
    reach, and the name of the active one."""
    records = _records(stream, 0)
    kind, data = next(records, (0, b""))
    if kind != _BOF or len(data) < 4 or struct.unpack_from("<H", data)[0] != 0x0600:
        return [], None  # not BIFF8 (Excel 95 or older): calamine alone
    bound: list[tuple[int, _SheetFacts, bool]] = []  # (offset, facts, a worksheet)
    active_tab = 0
    for kind, data in records:
        if kind == _BOUNDSHEET:
            offset, state, sheet_type, length, flags = struct.unpack_from("<IBBBB", data)
            raw = data[8:]
            title = (raw[:2 * length].decode("utf-16-le") if flags & 1
                     else raw[:length].decode("latin-1"))
            bound.append((offset, _SheetFacts(title, shown=state == 0), sheet_type == 0))
        elif kind == _WINDOW1 and len(data) >= 12:
            active_tab = struct.unpack_from("<H", data, 10)[0]
        elif kind == _EOF:
            break
    for offset, facts, worksheet in bound:
        if worksheet:
            _scan_sheet(stream, offset, facts)
    active = bound[active_tab][1].title if active_tab < len(bound) else None
    return [facts for _, facts, worksheet in bound if worksheet], active


def _records(stream: bytes, offset: int) -> Any:
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + length]
        offset += 4 + length


def _scan_sheet(stream: bytes, offset: int, facts: _SheetFacts) -> None:
    for kind, data in _records(stream, offset):
        if kind in _CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            facts.reach(row + 1, column + 1, row + 1, column + 1)
        elif kind in _MULTIPLE and len(data) >= 6:
            row, first = struct.unpack_from("<HH", data)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            facts.reach(row + 1, first + 1, row + 1, max(first, last) + 1)
        elif kind == _ROW and len(data) >= 16:
            row = struct.unpack_from("<H", data)[0]
            if struct.unpack_from("<H", data, 12)[0] & 0x20:  # fDyZero: hidden
                facts.hidden.add(row + 1)
        elif kind == _EOF:
            return


# --- both ---------------------------------------------------------------------------------------


def _read(data: bytes, name: str, facts: list[_SheetFacts], active: str | None,
          requested: str | None, held: Held, limits: Limits, kind: str) -> SourceTable:
    from python_calamine import CalamineWorkbook

    # The facts read here guard calamine: its dense blocks must fit before it reads a cell.
    dense = sum(sheet.cells for sheet in facts) * CELL_BYTES
    if dense > limits.held - held.total:
        widest = max(facts, key=lambda sheet: sheet.cells)
        raise FileRefused(
            f'{name} is too large to import at once: sheet "{widest.title}" spans '
            f"{widest.last_row - widest.first_row + 1:,} rows by "
            f"{widest.last_column - widest.first_column + 1:,} columns. Split it into smaller "
            "files.")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        titles = list(book.sheet_names)
    except Exception as exc:  # calamine's errors: CalamineError, ZipError, XmlError, …
        raise FileRefused(f"{name} is an {kind} that cannot be read ({_reason(exc)}); open it in "
                          "Excel or LibreOffice and save it as .xlsx.") from None
    by_title = {sheet.title: sheet for sheet in facts}
    notes: list[str] = []
    if requested is not None:
        title = pick_sheet(requested, titles)
        if title is None:
            raise no_such_sheet(name, requested, titles)
    else:
        shown = [t for t in titles if by_title.get(t, _SheetFacts(t)).shown] or titles
        if not shown:
            raise FileRefused(f"{name} has no sheet.")
        is_active = active in shown
        title = active if active is not None and is_active else shown[0]
        others = [other for other in shown if other != title]
        if others:
            notes.append(sheet_note(title, others, is_active))
    sheet_facts = by_title.get(title, _SheetFacts(title))
    where = f'{name} sheet "{title}"'
    try:
        sheet = book.get_sheet_by_name(title)
        rows = _rows(sheet, where, held, limits, name)
        merged: Sequence[Merge] = sheet_facts.merged or [
            (top + 1, left + 1, bottom + 1, right + 1)
            for (top, left), (bottom, right) in (sheet.merged_cell_ranges or ())]
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(f"{name} is an {kind} that cannot be read ({_reason(exc)}); open it in "
                          "Excel or LibreOffice and save it as .xlsx.") from None
    return lay_out(Grid(name, where if requested or notes else name, rows, merged,
                        sheet_facts.hidden, notes, kind[0].upper() + kind[1:]))


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _rows(sheet: Any, where: str, held: Held, limits: Limits,
          name: str) -> list[tuple[int, list[Any]]]:
    """The sheet's non-blank rows: (line, cells from column A), values as the .xlsx reader
    gives them."""
    top, left = sheet.start or (0, 0)
    rows: list[tuple[int, list[Any]]] = []
    # From the first used cell on (to_python's "empty area" is the rows and columns before
    # it); read whole, as the guard in _read allowed.
    for index, values in enumerate(sheet.to_python(skip_empty_area=True)):
        line = top + index + 1
        cells: list[Any] = [""] * left
        size = 0
        for column, value in enumerate(values, start=left + 1):
            cell = _cell(_value(value))
            if isinstance(cell, str) and len(cell) > limits.cell:
                raise FileRefused(f"{where} cell {column_letters(column)}{line} is longer than "
                                  f"{limits.cell:,} characters; that is not a value of a table.")
            cells.append(cell)
            size += sys.getsizeof(cell)
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(rows) > limits.rows:  # the header and ``limits.rows`` rows of data
            raise too_many_rows(name, f"row {line:,}", limits.rows)
        held.add_row(size + 96 + 8 * len(cells), f"by row {line:,}")
        rows.append((line, cells))
    return rows


def _value(value: Any) -> Any:
    """A calamine value as openpyxl gives it: a date as a datetime at midnight, a time or a
    duration as text."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time | timedelta):
        return str(value)
    return value
