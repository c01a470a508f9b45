"""Read a CSV or Excel file into a header and rows, or say precisely why it cannot be read.

``read_table`` chooses the reader by the file's type; a vCard file goes to ``vcard``.

CSV: the encoding is found by ordered tries (a byte-order mark, UTF-16 by its zero bytes,
strict UTF-8, then Windows-1252, which is what Excel writes on most Western PCs); the delimiter
is the one of , ; tab that the header line uses most. Excel: the first worksheet, read in
openpyxl's read-only mode (rows are streamed, not loaded as objects).

Row numbers are the file's line numbers (the header is line 1), as an editor or a spreadsheet
shows them, so a message "line 14" can be found.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

# FileRefused, SourceRow and SourceTable live in source_table, which vcard shares; callers may
# go on importing them from here (re-exported explicitly, "as" themselves).
from citypartner_desktop.interop.source_table import FileRefused as FileRefused
from citypartner_desktop.interop.source_table import SourceRow as SourceRow
from citypartner_desktop.interop.source_table import SourceTable as SourceTable
from citypartner_desktop.interop.vcard import read_vcards

DELIMITERS = (",", ";", "\t")
# A cell longer than this is certainly not a value but a missing closing quote (or not a
# table); the longest field the app stores is 100,000 characters.
MAX_CELL = 131_072
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format (and .doc)


def read_table(path: Path) -> SourceTable:
    """The file's header and non-blank rows. Raises FileRefused with the reason."""
    name = path.name
    try:
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


# --- CSV --------------------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the name of its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", name), "UTF-8"
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
        raise FileRefused(f"{name} is not a text file (it contains binary data); "
                          "import a CSV or an Excel (.xlsx) file.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(f"{name} is neither UTF-8 nor Windows-1252 text; save it as "
                          "CSV UTF-8 and import again.") from None
    return text, "Windows-1252"


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(f"{name} is not valid {encoding.upper()} text "
                          f"(at byte {exc.start:,}).") from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(16, len(sample) // 20)


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
    if not data.strip():
        raise FileRefused(f"{name} is empty.")
    text, encoding = decode(data, name)
    if _looks_binary(text):
        raise FileRefused(f"{name} is not a text file (it contains binary data); "
                          "import a CSV or an Excel (.xlsx) file.")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileRefused(f"{name} is empty.")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    lines = _csv_rows(text, delimiter, name)
    first = next(lines, None)
    if first is None:
        raise FileRefused(f"{name} has no header line (every line is blank).")
    header = first[1]
    rows = tuple(SourceRow(line, tuple(cells)) for line, cells in lines)
    return SourceTable(name, _headers(header), rows, encoding, delimiter)


def _csv_rows(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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


def _headers(raw: Iterable[Any]) -> tuple[str, ...]:
    headers = []
    for index, cell in enumerate(raw, start=1):
        text = " ".join(str(cell if cell is not None else "").split())
        headers.append(text or f"column {index}")
    if not headers:
        raise FileRefused("the file has no header line.")
    return tuple(headers)


# --- Excel ------------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> SourceTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(f"{name} is not a readable Excel workbook ({exc}).") from None
    except Exception as exc:  # openpyxl raises its own kinds for damaged parts
        raise FileRefused(f"{name} is not a readable Excel workbook ({exc}).") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(f"{name} has no worksheet.")
        rows = sheet.iter_rows(values_only=True)
        header: tuple[Any, ...] | None = None
        body: list[SourceRow] = []
        for line, values in enumerate(rows, start=1):
            cells = tuple(_cell(v) for v in values)
            if not any(c != "" for c in cells):
                continue
            if header is None:
                header = cells
                continue
            body.append(SourceRow(line, cells))
    finally:
        workbook.close()
    if header is None:
        raise FileRefused(f"{name} is empty.")
    headers = _headers(header)
    # Trailing blank header cells come from formatting, not from columns.
    while len(headers) > 1 and headers[-1].startswith("column ") and header[-1] == "":
        headers, header = headers[:-1], header[:-1]
    return SourceTable(name, headers, tuple(body))


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
