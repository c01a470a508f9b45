"""Dates as spreadsheets hold them: ISO, and the common local forms, never a guess.

"03/04/2025" is the 3rd of April in Europe and the 4th of March in the United States; such a
value is refused with the two readings spelled out, unless the user names the format. Forms that
only one convention uses (31.12.2025 day first, 2025/12/31 year first) and values that only one
reading allows (25/12/2025) are read. ISO is read even where a local format is given (a list
mixes both), and so is a number Excel keeps a date as (days since 1899-12-30: a cell not
formatted as a date, or a CSV saved from it).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")
_DAY_DOT = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
_EXCEL_DAYS = re.compile(r"\d{5}(?:\.\d+)?")  # 10000 (1927) to 99999 (2173), a time after .
_WORDS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
          "%d. %B %Y", "%d-%b-%Y")


def _make(year: str, month: str, day: str, text: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f'"{text}" is not a valid date') from None


def _reading(value: date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


def parse_import_date(raw: object, date_format: str | None = None) -> date:
    """A date from a cell, or ValueError saying why not (with the value in quotes)."""
    if isinstance(raw, datetime):  # Excel cells come as datetimes
        return raw.date()
    if isinstance(raw, date):
        return raw
    # From 10000 (1927) on: a year typed as a number (2025) is not day 2025 (1905).
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 10_000 <= raw < 100_000:
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    text = " ".join(str(raw).split())
    if _EXCEL_DAYS.fullmatch(text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    if date_format:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            if match := _ISO.fullmatch(text):  # ISO is never ambiguous: it always works
                year, month, day = match.groups()[:3]
                return _make(year, month, day, text)
            raise ValueError(f'"{text}" does not match the date format {date_format}') from None
    if match := _ISO.fullmatch(text) or _YEAR_FIRST.fullmatch(text):
        year, month, day = match.groups()[:3]
        return _make(year, month, day, text)
    if match := _DAY_DOT.fullmatch(text):
        day, month, year = match.groups()
        return _make(year, month, day, text)
    if match := _SLASHED.fullmatch(text):
        first, second, year = (int(g) for g in match.groups())
        if first > 12 and second <= 12:
            return _make(str(year), str(second), str(first), text)
        if second > 12 and first <= 12:
            return _make(str(year), str(first), str(second), text)
        if first == second:
            return _make(str(year), str(first), str(second), text)
        if 1 <= first <= 12 and 1 <= second <= 12:
            day_first = date(year, second, first)
            month_first = date(year, first, second)
            raise ValueError(
                f'"{text}" is ambiguous ({_reading(day_first)} or {_reading(month_first)}); '
                "give the date format (e.g. %d/%m/%Y)")
        raise ValueError(f'"{text}" is not a valid date')
    for form in _WORDS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f'"{text}" is not a date; use YYYY-MM-DD')
