"""CSV injection: a cell whose text starts with = + - @ tab or carriage return is run as a
formula by spreadsheets. Exports put an apostrophe before such text (the OWASP advice;
spreadsheets show the text and hide the apostrophe); imports take it off again, so an export
read back gives the same text. Text that already starts with apostrophes before such a
character gets one more, so that it, too, comes back unchanged."""

from __future__ import annotations

import re

_RISKY = re.compile(r"'*[=+\-@\t\r]")
_PROTECTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    return f"'{text}" if _RISKY.match(text) else text


def restore(text: str) -> str:
    return text[1:] if _PROTECTED.match(text) else text
