"""A file read as a table: its header and rows (SourceTable, SourceRow), or why it was refused.

The shared vocabulary of the readers: ``tables`` (CSV, Excel, and the dispatch by file type)
and ``vcard`` both produce these, and neither needs the other to do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citypartner_desktop.domain.errors import CityPartnerError

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class FileRefused(CityPartnerError):
    """The file cannot be read as a table; the message says why, nothing was changed."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class SourceTable:
    name: str
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    # What the reader decided or left out, for the preview: "header on line 3 (below the
    # title rows)", "rows 7 and 12 hidden by a filter: skipped", "not kept: PHOTO (12 cards)".
    notes: tuple[str, ...] = ()
    file_type: str = ""  # "vCard", "iCalendar", "LibreOffice sheet": what described says

    @property
    def described(self) -> str:
        """How the file was read, for the preview ("CSV, UTF-8, semicolon-separated")."""
        if self.file_type:
            return self.file_type
        if self.delimiter is None:
            return "vCard" if self.encoding else "Excel workbook"
        return f"CSV, {self.encoding}, {DELIMITER_NAMES[self.delimiter]}-separated"
