"""Read a CSV or Excel file into a header and rows, or say precisely why it cannot be read.

``read_table`` chooses the reader by the file's type: an Excel workbook goes to ``workbook``
(streamed part by part), a LibreOffice (.ods) or old Excel (.xls) one to ``calamine_sheets``,
a vCard file to ``vcard``, and any other file is read here as CSV. A workbook's sheet is the
one named (``sheet=``), else the one open when the file was saved; where its header is and
which of its lines are data is decided by ``sheet_layout`` (title lines, two-line headers,
merged and hidden cells, a totals line), and said in the table's notes. A file named .xls
that is text (as web applications export a "spreadsheet") is read as CSV.

CSV: the encoding is found by ordered tries (a byte-order mark, UTF-16 by its zero bytes,
strict UTF-8; a file whose lines were written partly in UTF-8 and partly in a Windows code page
is read line by line), and otherwise it is the Windows code page ``charsets`` finds the text
reads right in (Windows-1252 on most Western PCs, Windows-1250 in Central Europe,
Windows-1251 for Cyrillic, …), with a note when it is not certain; the delimiter is the one of
, ; tab that the header line uses most.

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

from citypartner_desktop.interop import calamine_sheets, charsets, workbook
from citypartner_desktop.interop.ics_reader import read_ics

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
from citypartner_desktop.interop.sheet_layout import lines_named as _lines_named
from citypartner_desktop.interop.source_table import FileRefused as FileRefused
from citypartner_desktop.interop.source_table import SourceRow as SourceRow
from citypartner_desktop.interop.source_table import SourceTable as SourceTable
from citypartner_desktop.interop.vcard import read_vcards
from citypartner_desktop.interop.workbook import MAX_PARTS as MAX_PARTS
from citypartner_desktop.interop.workbook import _cell as _cell

DELIMITERS = (",", ";", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (and .doc)


def read_table(path: Path, sheet: str | None = None) -> SourceTable:
    """The file's header and non-blank rows; for a workbook, those of the sheet named
    ``sheet`` (else the one open when it was saved). Raises FileRefused with the reason."""
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
    suffix = path.suffix.lower()
    limits = Limits(cell=MAX_CELL, rows=MAX_ROWS, held=MAX_HELD)
    if suffix == ".ods" or (data.startswith(_ZIP_MAGIC) and calamine_sheets.is_ods(data)):
        return calamine_sheets.read_ods(data, name, limits, sheet=sheet, max_parts=MAX_PARTS)
    if data.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name, sheet)
    if data.startswith(_OLE_MAGIC):
        return calamine_sheets.read_xls(data, name, limits, sheet=sheet)
    # Many web applications export a web page, or text, as ".xls": the text is read as CSV.
    if suffix == ".xls" and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise FileRefused(f"{name} is a web page (HTML) named .xls, not an Excel file; open "
                          "it in Excel or LibreOffice and save it as .xlsx or CSV.")
    if sheet is not None:
        raise FileRefused(f'{name} is not a workbook: it has no sheets (asked for "{sheet}").')
    if suffix in (".vcf", ".vcard") or data.lstrip(b"\xef\xbb\xbf \r\n")[
            :11].upper() == b"BEGIN:VCARD":
        return read_vcards(data, name)
    if suffix in (".ics", ".ical", ".ifb") or data.lstrip(b"\xef\xbb\xbf \r\n")[
            :15].upper() == b"BEGIN:VCALENDAR":
        return read_ics(data, name, limits)
    return read_csv(data, name)


def read_xlsx(data: bytes, name: str, sheet: str | None = None) -> SourceTable:
    """A worksheet of an Excel workbook (read by ``workbook``), within the limits as this
    module's names hold them now."""
    return workbook.read_xlsx(data, name, Limits(cell=MAX_CELL, rows=MAX_ROWS, held=MAX_HELD),
                              max_parts=MAX_PARTS, sheet=sheet)


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
    text, encoding, _notes = decode_noted(data, name)
    return text, encoding


def decode_noted(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """The text, the name of its encoding, and a note when the encoding is not certain."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", name), "UTF-16", ()
    head = data[:4096]
    if b"\x00" in head:
        # Text in UTF-16 without a mark has a zero in every other byte of Latin text.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) * 0.3 and even == 0:
            return _decode(data, "utf-16-le", name), "UTF-16", ()
        if even > len(head) * 0.3 and odd == 0:
            return _decode(data, "utf-16-be", name), "UTF-16", ()
        if len(head) - len(head.translate(None, _CONTROLS)) > max(16, len(head) // 20):
            raise _binary(name)
        # else a stray zero byte in text: read_csv names its line
    try:
        return data.decode("utf-8-sig"), "UTF-8", ()
    except UnicodeDecodeError:
        return _decode_lines(data, name)


def _code_page(sample: bytes) -> tuple[str, tuple[str, ...]]:
    """The code page the sample reads right in, and a note when that is not certain (when no
    code page reads it right, Windows-1252, as Excel writes on most Western PCs)."""
    found = charsets.guess(sample)
    if found is None:
        return "cp1252", (
            "The file's encoding could not be told: it was read as Windows-1252 (Western "
            "European). If names look wrong in the preview, save the file from Excel as "
            '"CSV UTF-8" and import it again.',)
    return found.codec, (found.note,) if found.note else ()


def _legacy(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Text in one Windows code page as a whole."""
    codec, notes = _code_page(charsets.sample_of(data))
    try:
        return data.decode(codec), charsets.human_name(codec), notes
    except UnicodeDecodeError:
        pass
    unreadable = []
    for number, line in enumerate(data.splitlines(), 1):
        try:
            line.decode(codec)
        except UnicodeDecodeError:
            unreadable.append(number)
    raise FileRefused(f"{name} {_lines_named(unreadable)}: neither UTF-8 nor "
                      f"{charsets.human_name(codec)} text; save the file as CSV UTF-8 and "
                      "import again.")


def _decode_lines(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Text that is not UTF-8 as a whole: one Windows code page, or, when some lines are
    UTF-8 (or the file starts with UTF-8's mark) and others not, each line in its own
    encoding."""
    marked = data.startswith(codecs.BOM_UTF8)
    if not marked and not _UTF8_CHARACTER.search(data):  # no line can be UTF-8
        return _legacy(data, name)
    if len(data) > _LINE_BY_LINE_MAX:
        raise FileRefused(f"{name} is not UTF-8 text as a whole, and at "
                          f"{size_text(len(data))} too large to be read line by line (the limit "
                          f"is {size_text(_LINE_BY_LINE_MAX)}); save it as CSV UTF-8 and import "
                          "again.")
    lines = (data[3:] if marked else data).splitlines(keepends=True)
    utf8 = 0  # lines with UTF-8 characters
    others: list[int] = []  # lines that are not UTF-8
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            others.append(index)
    if not utf8 and not marked:
        return _legacy(data, name)
    # The code page of the other lines, told by those that hold nothing UTF-8 would read.
    sample = b"".join(lines[i] for i in others if not _UTF8_CHARACTER.search(lines[i]))
    codec, notes = _code_page(sample[:charsets.SAMPLE]) if sample else ("cp1252", ())
    page = charsets.human_name(codec)
    parts: list[str] = []
    mixed: list[int] = []  # lines read in the code page that hold something UTF-8 would read
    unreadable: list[int] = []
    other = set(others)
    for index, line in enumerate(lines):
        if index not in other:
            parts.append(line.decode("utf-8"))
            continue
        try:
            parts.append(line.decode(codec))
        except UnicodeDecodeError:
            unreadable.append(index + 1)
            continue
        if _UTF8_CHARACTER.search(line):
            mixed.append(index + 1)
    if unreadable:
        raise FileRefused(f"{name} {_lines_named(unreadable)}: neither UTF-8 nor {page} "
                          "text; save the file as CSV UTF-8 and import again.")
    if mixed:
        raise FileRefused(
            f"{name} {_lines_named(mixed)}: UTF-8 and {page} characters mixed in one "
            "line, which cannot be read safely; save the file as CSV UTF-8 and import again.")
    encoding = MIXED if codec == "cp1252" else f"UTF-8 and {page} (line by line)"
    return "".join(parts), encoding, notes


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
    text, encoding, notes = decode_noted(data, name)
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
    preamble = _preamble_lines(text)
    if preamble:  # the header is below a few lines of notes (LinkedIn's Connections.csv)
        delimiter = sniff_delimiter(text.splitlines()[preamble])
    lines = _csv_rows(text, delimiter, name)
    first = next(lines, None)
    while first is not None and preamble and first[0] <= preamble:
        first = next(lines, None)
    if first is None:
        raise FileRefused(f"{name} has no header line (every line is blank).")
    if preamble:
        notes = (*notes, f"header on line {first[0]} (the lines above it were taken as a "
                         "title)")
    header = first[1]
    rows: list[SourceRow] = []
    for line, cells in lines:
        if len(rows) == MAX_ROWS:
            raise too_many_rows(name, f"line {line:,}", MAX_ROWS)
        row = tuple(cells)
        held.add_row(row_size(row), f"by line {line:,}")
        rows.append(SourceRow(line, row))
    return SourceTable(name, header_names(header), tuple(rows), encoding, delimiter, notes)


_PREAMBLE_LOOK = 12  # lines a CSV's header may be below


def _preamble_lines(text: str) -> int:
    """How many lines of notes stand above the header: 0 unless the first line holds no
    delimiter while a line below it, which every line after it matches, holds several."""
    head = text[:65_536].splitlines()[:_PREAMBLE_LOOK + 3]
    if not head or any(d in _unquoted(head[0]) for d in DELIMITERS):
        return 0
    for index, line in enumerate(head[1:_PREAMBLE_LOOK], start=1):
        delimiter = sniff_delimiter(line)
        count = _unquoted(line).count(delimiter)
        if count < 1 or line.startswith('"'):
            continue
        following = [x for x in head[index + 1:] if x.strip()]
        if following and all(_unquoted(x).count(delimiter) == count for x in following[:2]):
            return index
    return 0


def _unquoted(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


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
