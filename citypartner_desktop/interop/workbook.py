"""Read a worksheet of an Excel workbook (.xlsx, .xlsm) into a header and rows.

A workbook is a zip of XML parts. This module finds the worksheet (the one named, else the one
open when the file was saved, else the first), the shared text and the styles as Excel does
(by the parts' relationships), and the date system (1900 or 1904);
each cell's value is the one openpyxl's ``data_only`` reading gives (a formula's last
result, a number shown as a date as a datetime), so that an import reads as it did when it
used openpyxl. Blank rows are dropped; row numbers are the sheet's own, as Excel shows them.
The sheet's hidden rows and merged cells are noted as the XML goes by; where the header is and
which rows are data is decided by ``sheet_layout``, as for the other spreadsheets.

It streams the XML itself instead of using openpyxl's read-only mode, because of what that
mode holds in memory: a trace of every row, a second parse of a sheet that has no
<dimension>, every shared text read whole, and an object for every style. Here each part is
checked before it is read: its size unpacked, and its packing (a zip bomb packs gigabytes
into kilobytes). Then it is fed to expat a chunk at a time, with handlers that keep only what
the table needs: no element tree, no trace of the rows already read, a too-long text dropped
as soon as it is too long. The limits of every reader (``read_limits``) hold here too, and
the workbook's own below; a file past one is refused with what and where.
"""

from __future__ import annotations

import io
import posixpath
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import ParseError, XMLParser

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

_MB = 2**20
SHEET_LIMIT = 200 * _MB  # unpacked: a million rows of a few columns fit
_SHARED_TEXT_LIMIT = 100 * _MB
PART_LIMIT = 20 * _MB  # the package's other parts: relationships, workbook, styles
MAX_RATIO = 100  # unpacked / packed, for a part over a megabyte; office XML packs about 10:1
MAX_PARTS = 10_000  # a workbook has a few dozen; each costs memory before anything is read
_CHUNK = 64 * 1024
_DIGITS = "0123456789"
MAX_MERGES = 100_000  # merged ranges in a sheet; a table has a few


def read_xlsx(data: bytes, name: str, limits: Limits = LIMITS,
              max_parts: int = MAX_PARTS, sheet: str | None = None) -> SourceTable:
    """The worksheet's header and rows (``sheet``, else the active one). Raises FileRefused
    with the reason."""
    held = Held(name, len(data), limits.held)
    if data.count(b"PK\x01\x02") > max_parts:  # the zip's directory entries
        raise FileRefused(f"{name} holds more than {max_parts:,} parts; that is not an office "
                          "spreadsheet.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _read_book(_Book(archive, name, sheet), held, limits)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ParseError,
            NotImplementedError, RuntimeError) as exc:
        raise FileRefused(f"{name} is not a readable Excel workbook ({exc}).") from None


def _read_book(book: _Book, held: Held, limits: Limits) -> SourceTable:
    strings = _Strings(held, limits.cell)
    if book.shared_text:
        _walk(book, book.shared_text, "a list of shared text", _SHARED_TEXT_LIMIT, strings)
    sheet = _Sheet(f'{book.name} sheet "{book.title}"', strings, _date_styles(book),
                   book.epoch, limits.cell)
    rows: list[tuple[int, list[Any]]] = []
    for _ in _feed(book, book.sheet, "a worksheet", SHEET_LIMIT, sheet):
        for line, cells, size in sheet.rows:
            if len(rows) > limits.rows:  # the header and ``limits.rows`` rows of data
                raise too_many_rows(book.name, f"row {line:,}", limits.rows)
            held.add_row(size, f"by row {line:,}")
            rows.append((line, cells))
        sheet.rows.clear()
    held.add(80 * len(sheet.merged), "in its merged cells")
    where = sheet.where if book.named or book.notes else book.name
    return lay_out(Grid(book.name, where, rows, sheet.merged, sheet.hidden, book.notes))


class _Book:
    """Where a workbook keeps the worksheet to read, its shared text and its styles (found as
    Excel finds them, by the parts' relationships), and its date system."""

    def __init__(self, archive: zipfile.ZipFile, name: str, requested: str | None) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.archive, self.name = archive, name
        workbook = _first(self._relations(""), "officeDocument")
        if workbook is None:
            raise FileRefused(f"{name} is not a readable Excel workbook (it has no workbook "
                              "part).")
        # (name, relationship id, shown), in the tabs' order
        sheets: list[tuple[str, str, bool]] = []
        dates_from_1904 = False
        active: int | None = None

        def visit(_parent: str, tag: str, attrib: dict[str, str]) -> None:
            nonlocal dates_from_1904, active
            if tag == "sheet":
                sheets.append((attrib.get("name", ""), next(
                    (v for k, v in attrib.items() if k.endswith("}id")), ""),
                    attrib.get("state", "visible") == "visible"))
            elif tag == "workbookPr":
                dates_from_1904 = attrib.get("date1904", "").lower() in ("1", "true")
            elif tag == "workbookView" and active is None:
                tab = attrib.get("activeTab", "0")
                active = int(tab) if tab.isdigit() else 0

        _walk(self, workbook, "a workbook part", PART_LIMIT, _Walker(visit))
        parts = self._relations(workbook)
        worksheets = {title: (parts[rid][1], shown) for title, rid, shown in sheets
                      if parts.get(rid, ("", ""))[0] == "worksheet"}
        if not worksheets:
            raise FileRefused(f"{name} has no worksheet.")
        self.named = requested is not None
        self.notes: list[str] = []
        if requested is not None:
            titles = [title for title, _, _ in sheets]
            title = pick_sheet(requested, titles)
            if title is None:
                raise no_such_sheet(name, requested, titles)
            if title not in worksheets:
                raise FileRefused(f'{name} sheet "{title}" is a chart, not a table.')
        else:
            shown = [title for title, (_, visible) in worksheets.items() if visible]
            tab = sheets[active][0] if active is not None and active < len(sheets) else None
            is_active = tab in shown
            title = tab if tab is not None and is_active else (shown or list(worksheets))[0]
            others = [other for other in shown if other != title]
            if others:
                self.notes.append(sheet_note(title, others, is_active))
        self.title, self.sheet = title, worksheets[title][0]
        # openpyxl found these by their usual names too, whatever the relationships say.
        present = set(archive.namelist())
        self.shared_text = _first(parts, "sharedStrings") or (
            "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in present else None)
        self.styles = _first(parts, "styles") or (
            "xl/styles.xml" if "xl/styles.xml" in present else None)
        self.epoch: datetime = CALENDAR_MAC_1904 if dates_from_1904 else CALENDAR_WINDOWS_1900

    def _relations(self, source: str) -> dict[str, tuple[str, str]]:
        """Id -> (kind, part) of a part's relationships ("" for the package's own)."""
        folder, file = posixpath.split(source)
        found: dict[str, tuple[str, str]] = {}

        def visit(_parent: str, tag: str, attrib: dict[str, str]) -> None:
            if tag == "Relationship" and attrib.get("TargetMode") != "External":
                target = attrib.get("Target", "")
                part = (target[1:] if target.startswith("/")
                        else posixpath.normpath(posixpath.join(folder, target)))
                found[attrib.get("Id", "")] = (attrib.get("Type", "").rpartition("/")[2], part)

        _walk(self, posixpath.join(folder, "_rels", f"{file}.rels"), "a list of relationships",
              PART_LIMIT, _Walker(visit))
        return found


def _first(relations: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((part for k, part in relations.values() if k == kind), None)


def _feed(book: _Book, member: str, what: str, limit: int, target: Any) -> Iterator[None]:
    return feed(book.archive, book.name, member, what, limit, target)


def feed(archive: zipfile.ZipFile, name: str, member: str, what: str, limit: int,
         target: Any) -> Iterator[None]:
    """Feed the part to a parser with these handlers, a chunk at a time, after checking its
    size and packing; pauses after each chunk (the worksheet's rows are taken then). Shared
    with the reader of .ods files, which are zips of XML parts too."""
    info = archive.getinfo(member)
    unpacked, packed = info.file_size, max(info.compress_size, 1)
    if unpacked > limit:
        raise FileRefused(f"{name} holds {what} of {size_text(unpacked)} when unpacked; "
                          "that is not an office spreadsheet (the limit is "
                          f"{size_text(limit)}).")
    if unpacked > _MB and unpacked > MAX_RATIO * packed:
        raise FileRefused(
            f"{name} holds {what} packed {unpacked // packed:,} to 1 ({size_text(packed)} "
            f"unpacking to {size_text(unpacked)}); that is a zip bomb, not an office spreadsheet "
            f"(the limit is {MAX_RATIO} to 1).")
    parser = XMLParser(target=target)
    # zipfile stops at the size the directory gives (and then checks the CRC), so the
    # limits above hold even when a hostile file lies about the size.
    with archive.open(info) as source:
        while chunk := source.read(_CHUNK):
            parser.feed(chunk)
            yield
    parser.close()
    yield


def _walk(book: _Book, member: str, what: str, limit: int, target: Any) -> None:
    for _ in _feed(book, member, what, limit, target):
        pass


class _Names(dict[str, str]):
    """"{namespace}local" -> "local": the parts are matched by local names, so a workbook in
    ISO strict form (other namespaces) reads the same."""

    def __missing__(self, tag: str) -> str:
        self[tag] = tag.rpartition("}")[2]
        return self[tag]


class _Walker:
    """Handlers that pass each element's (parent, tag, attributes) to ``visit``."""

    def __init__(self, visit: Callable[[str, str, dict[str, str]], None]) -> None:
        self.visit, self.names, self.open = visit, _Names(), [""]

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = self.names[tag]
        self.visit(self.open[-1], name, attrib)
        self.open.append(name)

    def end(self, _tag: str) -> None:
        self.open.pop()


def _date_styles(book: _Book) -> tuple[set[str], set[str]]:
    """The cell styles (their number, as a cell's s="…" gives it) that show a number as a date,
    and those that show it as a duration."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

    dates: set[str] = set()
    durations: set[str] = set()
    if book.styles is None:
        return dates, durations
    custom: dict[str, str] = {}
    known: dict[str, tuple[bool, bool]] = {}
    count = 0

    def visit(parent: str, tag: str, attrib: dict[str, str]) -> None:
        nonlocal count
        if tag == "numFmt" and parent == "numFmts":
            custom[attrib.get("numFmtId", "")] = attrib.get("formatCode", "")
        elif tag == "xf" and parent == "cellXfs":
            number = attrib.get("numFmtId", "0")
            if number not in known:
                code = custom.get(number) or (
                    builtin_format_code(int(number)) if number.isdigit() else None)
                known[number] = (is_date_format(code), is_timedelta_format(code))
            is_date, is_duration = known[number]
            if is_date:
                dates.add(str(count))
            if is_duration:
                durations.add(str(count))
            count += 1

    _walk(book, book.styles, "a style sheet", PART_LIMIT, _Walker(visit))
    return dates, durations


class _Strings:
    """Handlers for the shared text (sharedStrings.xml): its texts in order. A text longer
    than a cell may be (``max_cell``) is kept as its length only, refused when a cell uses it."""

    def __init__(self, held: Held, max_cell: int) -> None:
        self.max_cell = max_cell
        self.values: list[str] = []
        self.overlong: dict[int, int] = {}
        self.held, self.names = held, _Names()
        self.parts: list[str] = []
        self.length = self.phonetic = 0
        self.reading = False

    def start(self, tag: str, _attrib: dict[str, str]) -> None:
        name = self.names[tag]
        if name == "si":
            self.parts, self.length = [], 0
        elif name == "t":
            self.reading = not self.phonetic
        elif name == "rPh":  # a pronunciation guide (Japanese), not part of the text
            self.phonetic += 1

    def data(self, text: str) -> None:
        if self.reading:
            self.length += len(text)
            if self.length <= self.max_cell:
                self.parts.append(text)

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "t":
            self.reading = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            text = ""
            if self.length > self.max_cell:
                self.overlong[len(self.values)] = self.length
            else:  # "_x005F_" is Excel's escape of "_"; openpyxl undid it this way too
                text = "".join(self.parts).replace("x005F_", "")
            self.values.append(text)
            self.held.add(sys.getsizeof(text) + 8, "in its shared text")


class _Sheet:
    """Handlers for a worksheet: each row with a value becomes (row number, cells, bytes it
    holds) in ``rows``, which the reader empties after every chunk. (Called for every element
    of a sheet of up to a million rows: kept lean.)"""

    def __init__(self, where: str, strings: _Strings, styles: tuple[set[str], set[str]],
                 epoch: datetime, max_cell: int) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.where, self.strings, self.epoch, self.max_cell = where, strings, epoch, max_cell
        self.from_excel, self.from_iso = from_excel, from_ISO8601
        self.dates, self.durations = styles
        self.names = _Names()
        self.rows: list[tuple[int, list[Any], int]] = []
        self.in_data = False
        self.row = self.column = self.size = self.length = self.phonetic = 0
        self.cells: list[Any] = []
        self.ref = self.kind = self.style = ""
        self.text_tag = "v"
        self.parts: list[str] = []
        self.reading = False
        self.hidden = LineRanges()  # the rows with a value that are hidden
        self.row_hidden = False
        self.merged: list[Merge] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = self.names[tag]
        if name == "c" and self.in_data:
            self.ref = ref = attrib.get("r", "")
            letters = ref.rstrip(_DIGITS)
            column = _COLUMNS.get(letters) or _column_number(letters)
            if column:
                self.column = column
            else:
                self.column += 1
                self.ref = f"{column_letters(self.column)}{self.row}"
            self.kind = kind = attrib.get("t", "n")
            self.style = attrib.get("s", "0")
            self.text_tag = "t" if kind == "inlineStr" else "v"
            self.parts, self.length = [], 0
        elif name == self.text_tag:
            self.reading = not self.phonetic
        elif name == "row":
            number = attrib.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.cells, self.size, self.column = [], 0, 0
            self.row_hidden = attrib.get("hidden", "") in ("1", "true")
        elif name == "sheetData":
            self.in_data = True
        elif name == "rPh":
            self.phonetic += 1
        elif name == "mergeCell":
            self._merge(attrib.get("ref", ""))

    def _merge(self, ref: str) -> None:
        first, _, last = ref.upper().partition(":")
        top, left = _cell_place(first)
        bottom, right = _cell_place(last)
        if top and left and bottom >= top and right >= left and (bottom, right) != (top, left):
            if len(self.merged) == MAX_MERGES:
                raise FileRefused(f"{self.where} has more than {MAX_MERGES:,} merged cells; "
                                  "that is not a table.")
            self.merged.append((top, left, bottom, right))

    def data(self, text: str) -> None:
        if self.reading:
            self.length += len(text)
            if self.length > self.max_cell:
                raise self._too_long()
            self.parts.append(text)

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "c" and self.in_data:
            self._place(self._value())
        elif name == self.text_tag:
            self.reading = False
        elif name == "row":
            if self.cells:
                self.rows.append((self.row, self.cells, self.size + 96 + 8 * len(self.cells)))
                if self.row_hidden:
                    self.hidden.add(self.row)
        elif name == "sheetData":
            self.in_data = False
        elif name == "rPh":
            self.phonetic -= 1

    def _too_long(self) -> FileRefused:
        return FileRefused(f"{self.where} cell {self.ref} is longer than {self.max_cell:,} "
                           "characters; that is not a value of a table.")

    def _value(self) -> Any:
        """The cell's value as openpyxl gives it (data only: a formula's last result)."""
        parts, kind = self.parts, self.kind
        text = parts[0] if len(parts) == 1 else "".join(parts)
        try:
            if kind == "s":
                if not text:
                    return None
                index = int(text)
                if index in self.strings.overlong:
                    raise self._too_long()
                if index < 0:
                    raise IndexError(index)
                return self.strings.values[index]
            if kind in ("inlineStr", "str", "e"):
                return text
            if not text:
                return None
            if kind == "b":
                return text.strip() in ("1", "true")
            if kind == "d":
                return self.from_iso(text.strip())
            try:
                number: int | float = int(text)
            except ValueError:
                number = float(text)
            if self.style in self.dates:
                try:
                    return self.from_excel(number, self.epoch,
                                           timedelta=self.style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # as Excel shows a date out of its range
            return number
        except (ValueError, IndexError, TypeError):
            what = {"s": "a shared text", "b": "true or false", "d": "a date"}.get(kind, "a number")
            raise FileRefused(f'{self.where} cell {self.ref}: "{text[:40]}" cannot be read as '
                              f"{what}.") from None

    def _place(self, value: Any) -> None:
        if value is None:
            return
        value = _cell(value)
        if value == "" and isinstance(value, str):
            return
        cells, index = self.cells, self.column - 1
        if index < len(cells):
            cells[index] = value
        else:
            if index > len(cells):
                cells.extend([""] * (index - len(cells)))
            cells.append(value)
        if self.kind != "s":  # shared texts were counted once, where they were read
            self.size += sys.getsizeof(value)


_COLUMNS: dict[str, int] = {}


def _column_number(letters: str) -> int:
    """1 for "A", 16384 for "XFD"; 0 for what is not a column's name."""
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for letter in letters:
            if not "A" <= letter <= "Z":
                return 0
            number = number * 26 + ord(letter) - 64
        number = number if 0 < number <= 16_384 else 0
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = number
    return number


def _cell_place(ref: str) -> tuple[int, int]:
    """(row, column) of "B7"; zeros for what is not a cell's name."""
    letters = ref.rstrip(_DIGITS)
    digits = ref[len(letters):]
    if not digits.isdigit() or not letters:
        return 0, 0
    return int(digits), _column_number(letters)


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA: a column's name in a cell reference."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # Excel stores every number as a float; 1994.0 is the year 1994
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime | int | float | bool):
        return value
    return str(value)
