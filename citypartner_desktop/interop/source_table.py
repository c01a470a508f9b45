"""A file read as a table: its header and rows (SourceTable, SourceRow), or why it was refused.

The shared vocabulary of the readers: ``tables`` (CSV, Excel, and the dispatch by file type),
``vcard`` and ``ics_reader`` produce these, and the column matchers (``mapping``,
``contact_columns``) compare headers by ``header_key``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.text import fold

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def header_key(text: str) -> str:
    """A header as the importers compare it: case, accents, spaces, "-", "_", "." and "/" do
    not matter ("E-Mail", "e_mail" and "email" are one name)."""
    return " ".join(re.sub(r"[-_./]+", " ", fold(text)).split())


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
    encoding: str | None = None  # of a text file (CSV, vCard, iCalendar)
    delimiter: str | None = None  # CSV only
    # What the reader decided or left out, for the preview: "header on line 3 (below the
    # title rows)", "rows 7 and 12 hidden by a filter: skipped", "not kept: PHOTO (12 cards)".
    notes: tuple[str, ...] = ()
    file_type: str = ""  # what a reader other than CSV's calls the file ("vCard", …)

    @property
    def described(self) -> str:
        """How the file was read, for the preview ("CSV, UTF-8, semicolon-separated")."""
        if self.delimiter is None:  # not CSV: the reader named it
            return self.file_type
        return f"CSV, {self.encoding}, {DELIMITER_NAMES[self.delimiter]}-separated"
