"""Text as other programs can take it.

CSV injection: a cell whose text starts with = + - @ tab or carriage return is run as a
formula by spreadsheets. Exports put an apostrophe before such text (the OWASP advice;
spreadsheets show the text and hide the apostrophe); imports take it off again, so an export
read back gives the same text. Text that already starts with apostrophes before such a
character gets one more, so that it, too, comes back unchanged.

Control characters: Word's soft line break (vertical tab), a form feed or a Unicode line
separator pasted into a note are line breaks to a person; XML (so .xlsx) forbids them, and
vCard and iCalendar readers choke on them raw. ``printable`` makes them line breaks and drops
the other control characters."""

from __future__ import annotations

import re

_RISKY = re.compile(r"'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"'+[=+\-@\t\r]")


_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def printable(text: str) -> str:
    """``text`` with line-break-like control characters as "\n" and the others removed
    (tabs, line feeds and carriage returns stay)."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def neutralise(text: str) -> str:
    return f"'{text}" if _RISKY.match(text) else text


def restore(text: str) -> str:
    return text[1:] if _PROTECTED.match(text) else text
