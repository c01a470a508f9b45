"""Read a CSV or Excel file into a header and rows, or say precisely why it cannot be read.

``read_table`` chooses the reader by the file's type: an Excel workbook goes to ``workbook``
(its first worksheet, streamed part by part), a vCard file to ``vcard``, and any other file
is read here as CSV.

CSV: the encoding is found by ordered tries (a byte-order mark, UTF-16 by its zero bytes,
strict UTF-8, then Windows-1252, which is what Excel writes on most Western PCs; a file whose
lines were written partly in UTF-8 and partly in Windows-1252 is read line by line); the
delimiter is the one of , ; tab that the header line uses most.

Files come from anywhere, so every reader has limits (``read_limits``): a cell of MAX_CELL
characters, MAX_ROWS rows, MAX_HELD bytes held in memory, and for a workbook the size and
packing of its parts. A file past one is refused with what and where, never read until the
computer runs out. The readers take the limits from this module's names at each call, so
lowering ``tables.MAX_ROWS`` (as a test does) lowers it for CSV and Excel alike.

Row numbers are the file's line numbers (the header is line 1), as an editor or a spreadsheet
shows them, so a message "line 14" can be found.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from citypartner_desktop.interop import workbook

# The limits live in read_limits, the Excel reader in workbook (MAX_PARTS and _cell too: tests
# turn openpyxl's own values into cells with _cell), and FileRefused, SourceRow and SourceTable
# in source_table (which vcard shares); callers may go on importing them from here
# (re-exported explicitly, "as" themselves).
from citypartner_desktop.interop.read_limits import MAX_CELL as MAX_CELL
from citypartner_desktop.interop.read_limits import MAX_HELD as MAX_HELD
from citypartner_desktop.interop.read_limits import MAX_ROWS as MAX_ROWS
from citypartner_desktop.interop.read_limits import (
    Held,
    Limits,
    header_names,
    row_size,
    size_text,
    too_many_rows,
)
from citypartner_desktop.interop.source_table import FileRefused as FileRefused
from citypartner_desktop.interop.source_table import SourceRow as SourceRow
from citypartner_desktop.interop.source_table import SourceTable as SourceTable
from citypartner_desktop.interop.vcard import read_vcards
from citypartner_desktop.interop.workbook import MAX_PARTS as MAX_PARTS
from citypartner_desktop.interop.workbook import _cell as _cell

DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (and .doc)


def read_table(path: Path) -> SourceTable:
    """The file's header and non-blank rows. Raises FileRefused with the reason."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_HELD:
            raise FileRefused(f"{name} is {size_text(size)}; a file to import may be at most "
                              f"{size_text(MAX_HELD)}. Split it into smaller files.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileRefused(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise FileRefused(f"{path} is a folder, not a file.") from None
    except OSError as exc:
        raise FileRefused(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if data.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(data, name)
    if path.suffix.lower() in (".vcf", ".vcard") or data.lstrip(b"\xef\xbb\xbf \r\n")[
            :11].upper() == b"BEGIN:VCARD":
        return read_vcards(data, name)
    if data.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise FileRefused(
            f"{name} is an old-style Excel file (.xls); open it in Excel or LibreOffice and "
            "save it as .xlsx or CSV.")
    return read_csv(data, name)


def read_xlsx(data: bytes, name: str) -> SourceTable:
    """The first worksheet of an Excel workbook (read by ``workbook``), within the limits as
    this module's names hold them now."""
    return workbook.read_xlsx(data, name, Limits(cell=MAX_CELL, rows=MAX_ROWS, held=MAX_HELD),
                              max_parts=MAX_PARTS)


def _lines_named(numbers: list[int]) -> str:
    """ "line 4" / "lines 4, 9 and 12" / "lines 4, 9, 12, 30, 31 and 20 more" """
    if len(numbers) == 1:
        return f"line {numbers[0]:,}"
    shown = [f"{n:,}" for n in numbers[:5]]
    tail = f"{len(numbers) - 5:,} more" if len(numbers) > 5 else shown.pop()
    return f"lines {', '.join(shown)} and {tail}"


# --- CSV --------------------------------------------------------------------------------------

# Control characters that text does not hold (tab, line ends and form feed it may).
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\f")
# A character written in UTF-8 (two to four bytes). In a Windows-1252 line it means the line
# mixes both encodings: read either way, part of it would be garbled.
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
MIXED = "UTF-8 and Windows-1252 (line by line)"
# Reading line by line holds the file, its lines decoded and the text joined from them.
_LINE_BY_LINE_MAX = 64 * 2**20


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the name of its encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", name), "UTF-16"
    head = data[:4096]
    if b"\x00" in head:
        # Text in UTF-16 without a mark has a zero in every other byte of Latin text.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) * 0.3 and even == 0:
            return _decode(data, "utf-16-le", name), "UTF-16"
        if even > len(head) * 0.3 and odd == 0:
            return _decode(data, "utf-16-be", name), "UTF-16"
        if len(head) - len(head.translate(None, _CONTROLS)) > max(16, len(head) // 20):
            raise _binary(name)
        # else a stray zero byte in text: read_csv names its line
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return _decode_lines(data, name)


def _decode_lines(data: bytes, name: str) -> tuple[str, str]:
    """Text that is not UTF-8 as a whole: Windows-1252, or, when some lines are UTF-8 (or the
    file starts with UTF-8's mark) and others not, each line in its own encoding."""
    marked = data.startswith(codecs.BOM_UTF8)
    if not marked and not _UTF8_CHARACTER.search(data):  # no line can be UTF-8
        try:
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            pass  # the lines below name where
    if len(data) > _LINE_BY_LINE_MAX:
        raise FileRefused(f"{name} is not UTF-8 text as a whole, and at "
                          f"{size_text(len(data))} too large to be read line by line (the limit "
                          f"is {size_text(_LINE_BY_LINE_MAX)}); save it as CSV UTF-8 and import "
                          "again.")
    parts: list[str] = []
    utf8 = 0  # lines with UTF-8 characters
    ansi: list[int] = []  # lines read as Windows-1252 that hold something UTF-8 would read
    unreadable: list[int] = []
    for number, line in enumerate((data[3:] if marked else data).splitlines(keepends=True), 1):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8 += 1
            continue
        except UnicodeDecodeError:
            pass
        try:
            parts.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            unreadable.append(number)
            continue
        if _UTF8_CHARACTER.search(line):
            ansi.append(number)
    if unreadable:
        raise FileRefused(f"{name} {_lines_named(unreadable)}: neither UTF-8 nor Windows-1252 "
                          "text; save the file as CSV UTF-8 and import again.")
    if not utf8 and not marked:
        return "".join(parts), "Windows-1252"
    if ansi:
        raise FileRefused(
            f"{name} {_lines_named(ansi)}: UTF-8 and Windows-1252 characters mixed in one "
            "line, which cannot be read safely; save the file as CSV UTF-8 and import again.")
    return "".join(parts), MIXED


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(f"{name} is not valid {encoding.upper()} text "
                          f"(at byte {exc.start:,}).") from None


def _binary(name: str) -> FileRefused:
    return FileRefused(f"{name} is not a text file (it contains binary data); "
                       "import a CSV or an Excel (.xlsx) file.")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(16, len(sample) // 20)


def _refuse_zero_bytes(text: str, name: str) -> None:
    """A NUL in a line means a damaged file (or one that is not a table): name its lines."""
    position = text.find("\x00")
    if position < 0:
        return
    lines: list[int] = []
    line, done = 1, 0
    while position >= 0:
        part = text[done:position]
        line += part.count("\n") + part.count("\r") - part.count("\r\n")  # as csv counts
        if not lines or lines[-1] != line:
            if len(lines) == 5:
                break
            lines.append(line)
        done = position
        position = text.find("\x00", position + 1)
    where = (_lines_named(lines) if position < 0
             else f"lines {', '.join(f'{n:,}' for n in lines)} and more")
    one = position < 0 and len(lines) == 1 and text.count("\x00") == 1
    what, them = ("a zero byte (NUL)", "it") if one else ("zero bytes (NUL)", "them")
    raise FileRefused(f"{name} {where}: {what}, which text never holds; the file is damaged "
                      f"or not a table. Remove {them} and import again.")


def sniff_delimiter(first_line: str) -> str:
    """The candidate the header line holds most often outside quotes (comma if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, name: str) -> SourceTable:
    if not data or data.isspace():
        raise FileRefused(f"{name} is empty.")
    held = Held(name, len(data), MAX_HELD)
    # Refused before decoding when the text cannot fit: a character of text takes one byte,
    # or two (four) once one of the text's characters needs it.
    expected = len(data) if data.isascii() else 2 * len(data)
    held.add(expected, "once decoded")
    text, encoding = decode(data, name)
    held.add(sys.getsizeof(text) - expected, "once decoded")
    if _looks_binary(text):
        raise _binary(name)
    _refuse_zero_bytes(text, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        raise FileRefused(f"{name} is empty.")
    first_line = re.match(r"[\r\n]*([^\n]*)", text)
    delimiter = sniff_delimiter(first_line.group(1) if first_line else "")
    lines = _csv_rows(text, delimiter, name)
    first = next(lines, None)
    if first is None:
        raise FileRefused(f"{name} has no header line (every line is blank).")
    header = first[1]
    rows: list[SourceRow] = []
    for line, cells in lines:
        if len(rows) == MAX_ROWS:
            raise too_many_rows(name, f"line {line:,}", MAX_ROWS)
        row = tuple(cells)
        held.add_row(row_size(row), f"by line {line:,}")
        rows.append(SourceRow(line, row))
    return SourceTable(name, header_names(header), tuple(rows), encoding, delimiter)


def _text_lines(text: str) -> Iterator[str]:
    """The lines of the text with their ends, a megabyte at a time: io.StringIO holds four
    bytes a character, so one over the whole text would quadruple it."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + 2**20)  # cut after a \n: never inside a \r\n
        end = len(text) if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _csv_rows(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for each non-blank record."""
    reader = csv.reader(_text_lines(text), delimiter=delimiter, strict=True)
    previous_end = 0
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(MAX_CELL)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(_csv_problem(name, previous_end + 1, reader.line_num,
                                               str(exc))) from None
            start = previous_end + 1
            previous_end = reader.line_num
            if any(cell.strip() for cell in cells):
                yield start, cells
    finally:
        csv.field_size_limit(limit)


def _csv_problem(name: str, start: int, end: int, reason: str) -> str:
    if "field larger than field limit" in reason:
        return (f"{name} line {start}: a cell is longer than {MAX_CELL:,} characters. Either a "
                "quote (\") that opens a cell is never closed, or the file is not a table.")
    if "unexpected end of data" in reason or "EOF" in reason:
        return (f"{name} line {start}: a quote (\") that opens a cell is never closed, so the "
                "rest of the file would be one cell. Close the quote (or double a quote inside "
                "a quoted cell: \"\").")
    if "expected after" in reason:
        return (f"{name} line {end}: a quote (\") inside a cell must be doubled (\"\") and the "
                "cell quoted.")
    return f"{name} line {start}: cannot be read as CSV ({reason})."
