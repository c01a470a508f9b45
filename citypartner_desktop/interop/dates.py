"""Dates as spreadsheets hold them: ISO, and the common local forms, never a guess.

"03/04/2025" is the 3rd of April in Europe and the 4th of March in the United States; such a
value is refused with the two readings spelled out, unless the user names the format, or the
rest of its column settles it (``infer_column_format``: one "17/05/2026" in the column means
day first for all of it). Forms that only one convention uses (31.12.2025 day first, 2025/12/31
year first) and values that only one reading allows (25/12/2025) are read. ISO is read even
where a local format is given (a list mixes both), and so is a number Excel keeps a date as
(days since 1899-12-30: a cell not formatted as a date, or a CSV saved from it).

Dates written with the month's name are read in the common languages of the offices that use
the app ("17 May 2026", "17. Mai 2026", "17 maja 2026", "17 de mayo de 2026", "17 травня 2026
р."): the names are Unicode CLDR's, as Babel ships them (wide and abbreviated, in the "format"
context, which is the genitive in Polish, Czech, Ukrainian and Russian, and "stand-alone").
A name that means different months in two of the languages is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache

from citypartner_desktop.domain.text import fold

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")
_DAY_DOT = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})([/-])(\d{1,2})[/-](\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
_EXCEL_DAYS = re.compile(r"\d{5}(?:\.\d+)?")  # 10000 (1927) to 99999 (2173), a time after .

# The languages whose month names are read (Babel locale names; en_GB writes "Sept").
MONTH_NAME_LOCALES = ("en", "en_GB", "de", "fr", "pl", "es", "it", "pt", "nl", "cs", "uk", "ru")
# Words around a written date that are not part of it: "17 de mayo de 2026", "17 maja 2026 r.",
# "17 мая 2026 г.", "the 17th of May", and ordinals ("1er", "1st", "17th", "1º").
_FILLERS = frozenset({"de", "del", "of", "the", "r", "roku", "г", "года", "р", "року", "rok"})
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|e|o)?")  # folded: "1º" is "1o"
_WORD = re.compile(r"\w+")


def _make(year: str, month: str, day: str, text: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f'"{text}" is not a valid date') from None


def _reading(value: date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


@cache
def month_names() -> dict[str, int]:
    """Folded month name (no trailing dot) -> month, in every language of MONTH_NAME_LOCALES;
    a name two languages give to different months is left out."""
    from babel.dates import get_month_names

    found: dict[str, set[int]] = {}
    for locale in MONTH_NAME_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale).items():
                    key = fold(name).rstrip(".")
                    if key:
                        found.setdefault(key, set()).add(month)
    return {name: months.pop() for name, months in found.items() if len(months) == 1}


def _written_date(text: str) -> date | None:
    """A date with its month's name ("17 maja 2026", "May 17, 2026"), None when the text is
    not one; ValueError when it is one but no such day exists ("31 February 2026")."""
    names = month_names()
    day = month = year = None
    for word in _WORD.findall(fold(text)):
        if word in _FILLERS:
            continue
        if word in names and month is None:
            month = names[word]
        elif word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        elif (match := _DAY.fullmatch(word)) and day is None:
            day = int(match[1])
        else:
            return None
    if day is None or month is None or year is None:
        return None
    return _make(str(year), str(month), str(day), text)


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
        first, second, year = int(match[1]), int(match[3]), int(match[4])
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
    if (written := _written_date(text)) is not None:
        return written
    raise ValueError(f'"{text}" is not a date; use YYYY-MM-DD')


def infer_column_format(values: Iterable[object]) -> str | None:
    """The strptime format that settles a column's ambiguous dates, from the column itself.

    "03/04/2026" alone may be either order; a "17/05/2026" in the same column can only be day
    first, so the whole column is ("%d/%m/%Y"), and a "05/17/2026" month first ("%m/%d/%Y").
    None when nothing needs settling: no value is ambiguous, nothing in the column tells the
    order, or a value the format would not read (a date in another form) is in the column,
    so that reading it with the format would refuse what reads today. Raises ValueError with
    both values when the column holds a date that is only day first and one that is only
    month first.
    """
    day_first: str | None = None
    month_first: str | None = None
    ambiguous: list[str] = []  # the separators of the ambiguous values
    texts: list[str] = []
    for raw in values:
        if raw is None or isinstance(raw, date | int | float):
            continue  # a date cell, an Excel day number: never ambiguous
        text = " ".join(str(raw).split())
        if not text:
            continue
        texts.append(text)
        match = _SLASHED.fullmatch(text)
        if match is None:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 and 1 <= second <= 12:
            day_first = day_first or text
        elif second > 12 and 1 <= first <= 12:
            month_first = month_first or text
        elif first != second and 1 <= first <= 12 and 1 <= second <= 12:
            ambiguous.append(match[2])
    if day_first and month_first:
        raise ValueError(
            f'"{day_first}" can only be day first and "{month_first}" only month first: the '
            "column contradicts itself; give the date format (e.g. %d/%m/%Y)")
    if not ambiguous or not (day_first or month_first):
        return None
    separator = ambiguous[0]
    order = ("%d", "%m") if day_first else ("%m", "%d")
    form = f"{order[0]}{separator}{order[1]}{separator}%Y"
    for text in texts:
        try:
            datetime.strptime(text, form)
        except ValueError:
            if not _ISO.fullmatch(text) and not _EXCEL_DAYS.fullmatch(text):
                return None
    return form
