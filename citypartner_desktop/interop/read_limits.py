"""The limits every table reader (CSV, Excel) keeps to, and the helpers that enforce them.

Files to import come from anywhere: a CSV whose quote is never closed, a spreadsheet of
millions of rows, a workbook whose text unpacks to gigabytes. Read without limits, such a
file would take the computer's memory (and minutes) before anything could be said about it.
So a reading holds at most a cell of MAX_CELL characters, MAX_ROWS rows and MAX_HELD bytes
in memory (estimated from the sizes of the objects kept); past one, the file is refused with
what and where (FileRefused), so that the user can find it and split or mend the file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from citypartner_desktop.interop.source_table import FileRefused

# A cell longer than this is certainly not a value but a missing closing quote (or not a
# table); the longest field the app stores is 100,000 characters.
MAX_CELL = 131_072
# An office list is thousands of rows; a million is far past any, and still fits in memory.
MAX_ROWS = 1_000_000
# What a file's bytes, text and rows may take in memory together (estimated from the sizes
# of the objects kept), so that an import stays under 400 MB with the program around it.
MAX_HELD = 256 * 2**20
# What the import holds for each row once read, whatever its width: the import row (a dict of
# its values) and its plan. Measured 1.3 KB a row (benchmarks.import_limits, `citypartner
# import contacts --dry-run` of narrow and wide files); counted with the row, so that the
# held limit keeps the whole import, not only the reading, under 400 MB.
PER_ROW_AFTER_READING = 1_400


@dataclass(frozen=True)
class Limits:
    """The limits one reading keeps to: characters in a cell, rows, bytes held in memory."""

    cell: int = MAX_CELL
    rows: int = MAX_ROWS
    held: int = MAX_HELD


LIMITS = Limits()


class Held:
    """A running estimate of the memory a reading holds; refuses the file past ``limit``."""

    def __init__(self, name: str, start: int, limit: int) -> None:
        self.name = name
        self.total = start
        self.limit = limit

    def add(self, size: int, where: str) -> None:
        self.total += size
        if self.total > self.limit:
            raise FileRefused(
                f"{self.name} is too large to import at once: {where} it holds more than "
                f"{size_text(self.limit)} of data. Split it into smaller files.")

    def add_row(self, size: int, where: str) -> None:
        """A row of ``size`` bytes read, and what the import will hold for it after."""
        self.add(size + PER_ROW_AFTER_READING, where)


def row_size(cells: tuple[Any, ...] | list[Any]) -> int:
    """Bytes a SourceRow of these cells holds (the row, its tuple, its values)."""
    return 56 + sys.getsizeof(cells) + sum(map(sys.getsizeof, cells))


def size_text(count: int) -> str:
    """A number of bytes as a message shows it: "12 MB", "1.5 MB", "300 KB"."""
    if count >= 10 * 2**20:
        return f"{count / 2**20:,.0f} MB"
    if count >= 2**20:
        return f"{count / 2**20:.1f} MB"
    return f"{max(count, 1) / 1024:,.0f} KB"


def too_many_rows(name: str, where: str, limit: int) -> FileRefused:
    return FileRefused(f"{name} has more than {limit:,} rows ({where} is one too many); "
                       "split it into smaller files.")


def header_names(raw: Iterable[Any]) -> tuple[str, ...]:
    """The header line's cells as column names (a blank one named by its place)."""
    headers = []
    for index, cell in enumerate(raw, start=1):
        text = " ".join(str(cell if cell is not None else "").split())
        headers.append(text or f"column {index}")
    if not headers:
        raise FileRefused("the file has no header line.")
    return tuple(headers)
