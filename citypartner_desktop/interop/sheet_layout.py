"""From a worksheet's cells to a table: where its header is, what its columns are called, which
of its lines are data. The same rules for every spreadsheet reader (.xlsx, .ods, .xls).

Spreadsheets made by people are laid out for people: a title above the table, a header in two
lines with groups merged over several columns, a country merged over the five lines of its
cities, lines hidden by a filter, a "Total:" line at the end. An import reads the table in it
as a person would, and says in notes (shown in the preview) what it decided and left out:

- The header is the first line among the first 20 that looks like one: two or more cells,
  all text (not numbers or dates), and about as wide as the lines below it (reaching at least
  three quarters as many columns as the next five lines do, by their median, so that a title,
  a "Prepared by: Anna" or a line of groups above the header is not taken for it, and one
  stray cell far to the right does not make the header look narrow). When none does, the
  first line of two or more text cells is the header, else the first line, as before. Lines
  above the header are a title: left out, and said in a note ("header on line 3 (the lines
  above it were taken as a title)").
- Two-line headers: when the line directly above the header has text merged over two or more
  columns and two or more labels, it names groups of columns ("Contact" over Name, E-mail,
  Phone; "Address" over City, Country). A column is named by its own name in the lower line;
  where that name is in the header more than once ("City" under "Home" and under "Partner"),
  it is prefixed by its group: "Home City", "Partner City" (as the mapping knows "home city"
  and "partner city"); names that do not repeat stay as they are, so that "E-mail" under
  "Contact" is still "E-mail" to the mapping. A column without a lower name takes its group's
  ("Since" merged over both lines). A single label over all columns is a title, not a group.
  When the line of groups looks like a header itself (it reaches as far), the next line is
  taken when it is all text and the groups are merged.
- Cells merged in the data (a country merged over five lines) hold their value on every line
  they cover, in the merge's first column.
- Hidden lines (by a filter or by hand) are left out, and said in a note.
- Blank lines are left out (the readers drop them), and so are "Total" lines at the end of
  the table: the first filled cell is a word for a total ("Total:", "Summe", "Razem",
  "Итого", …) and every other cell is a number or blank.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Any

from citypartner_desktop.domain.text import fold
from citypartner_desktop.interop.read_limits import header_names
from citypartner_desktop.interop.source_table import FileRefused, SourceRow, SourceTable

HEADER_SEARCH = 20  # lines in which the header is looked for
_LOOK_AHEAD = 5  # lines below a header candidate it must be about as wide as
_WIDE_ENOUGH = 0.75  # of the median of their widths
# Words a totals line starts with, folded (lower case, without accents), with or without ":".
TOTAL_WORDS = frozenset({
    "total", "totals", "grand total", "sum", "subtotal",  # English (and French, Spanish, …)
    "summe", "gesamt", "insgesamt", "gesamtsumme", "zusammen",  # German
    "razem", "suma", "ogolem", "lacznie",  # Polish
    "total general", "somme",  # French
    "totale", "somma", "totale generale",  # Italian
    "soma", "total geral",  # Portuguese
    "totaal", "som",  # Dutch
    "celkem", "soucet", "celkom",  # Czech, Slovak
    "osszesen", "yhteensa", "summa", "i alt", "totalt", "kokku", "kopa", "is viso",
    "итого", "всего", "разом", "усього", "всього", "общо",  # Russian, Ukrainian, Bulgarian
})
_NUMBER = re.compile(
    r"(?:[€$£]\s*)?[-+−]?[\d\s.,'’]*\d[\d\s.,'’]*\s*(?:%|€|\$|£|zł|zl|kč|kc|eur|usd|pln)?",
    re.IGNORECASE)


# (first line, first column, last line, last column), 1-based and inclusive.
Merge = tuple[int, int, int, int]


@dataclass
class Grid:
    """A worksheet as a reader found it: its non-blank lines (line number as the spreadsheet
    shows it, cells from column A on), its merged cells, its hidden lines, and notes so far."""

    name: str  # the file's name, for messages
    where: str  # 'partners.xlsx sheet "Cities"', for messages
    rows: list[tuple[int, list[Any]]]
    merged: Sequence[Merge] = ()
    hidden: Container[int] = frozenset()
    notes: list[str] = field(default_factory=list)
    file_type: str = "Excel workbook"  # what the preview calls the file


class LineRanges:
    """Line numbers held as ranges (a hidden block may be a million lines long)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ordered = True

    def add(self, first: int, count: int = 1) -> None:
        last = first + count - 1
        if self.starts and self.starts[-1] <= first <= self.ends[-1] + 1:
            self.ends[-1] = max(self.ends[-1], last)
            return
        self.ordered = self.ordered and (not self.starts or first > self.starts[-1])
        self.starts.append(first)
        self.ends.append(last)

    def _order(self) -> None:
        """Sorted and merged, once, if they came out of order (a hand-made file)."""
        ranges = sorted(zip(self.starts, self.ends, strict=True))
        self.starts, self.ends, self.ordered = [], [], True
        for first, last in ranges:
            self.add(first, last - first + 1)

    def __contains__(self, line: object) -> bool:
        if not isinstance(line, int):
            return False
        if not self.ordered:
            self._order()
        index = bisect.bisect_right(self.starts, line) - 1
        return index >= 0 and line <= self.ends[index]

    def __bool__(self) -> bool:
        return bool(self.starts)


def lines_named(numbers: Sequence[int]) -> str:
    """ "line 4" / "lines 4, 9 and 12" / "lines 4, 9, 12, 30, 31 and 20 more" """
    if len(numbers) == 1:
        return f"line {numbers[0]:,}"
    shown = [f"{n:,}" for n in numbers[:5]]
    tail = f"{len(numbers) - 5:,} more" if len(numbers) > 5 else shown.pop()
    return f"lines {', '.join(shown)} and {tail}"


def _is_text(cell: Any) -> bool:
    return isinstance(cell, str) and not _NUMBER.fullmatch(cell)


def _span(cells: Sequence[Any]) -> int:
    """How many columns the line reaches: to its last filled cell."""
    return next((n for n in range(len(cells), 0, -1) if cells[n - 1] != ""), 0)


def _looks_like_header(index: int, rows: list[tuple[int, list[Any]]]) -> bool:
    cells = rows[index][1]
    if not _all_text(cells):
        return False
    below = [_span(row) for _, row in rows[index + 1:index + 1 + _LOOK_AHEAD]]
    # A header has data below it; the last line alone is never taken for one (the fallback
    # may still take it).
    return bool(below) and _span(cells) >= math.ceil(_WIDE_ENOUGH * statistics.median(below))


def _find_header(rows: list[tuple[int, list[Any]]], merged: Sequence[Merge]) -> int:
    texts = [i for i in range(min(len(rows), HEADER_SEARCH)) if _all_text(rows[i][1])]
    for index in texts:
        if _looks_like_header(index, rows):
            line, cells = rows[index]
            below = index + 1
            if (below < len(rows) and rows[below][0] == line + 1
                    and _groups(line, cells, merged) is not None
                    and _all_text(rows[below][1])):
                return below  # the line found names groups; the header is the next one
            return index
    return texts[0] if texts else 0


def _all_text(cells: Sequence[Any]) -> bool:
    filled = [cell for cell in cells if cell != ""]
    return len(filled) >= 2 and all(_is_text(cell) for cell in filled)


def _groups(line: int, cells: list[Any], merged: Sequence[Merge]) -> dict[int, str] | None:
    """Column (1-based) -> its group's label, when the line above the header names groups of
    columns: text merged over two or more columns, two labels or more. None otherwise."""
    labels: dict[int, str] = {}
    wide = False
    spans = {m[1]: m for m in merged if m[0] == line and m[1] <= len(cells)}
    for column, cell in enumerate(cells, start=1):
        if cell == "":
            continue
        if not _is_text(cell):
            return None
        label = " ".join(str(cell).split())
        span = spans.get(column)
        last = span[3] if span else column
        wide = wide or last > column
        for covered in range(column, last + 1):
            labels[covered] = label
    if not wide or len(set(labels.values())) < 2:
        return None
    return labels


def _header(raw: list[Any], groups: dict[int, str] | None) -> tuple[tuple[str, ...], bool]:
    """The column names, and whether a group named any of them."""
    if not groups:
        return header_names(raw), False
    width = max(len(raw), max(groups))
    lower = [" ".join(str(cell).split()) for cell in raw] + [""] * (width - len(raw))
    counts: dict[str, int] = {}
    for name in lower:
        if name:
            counts[fold(name)] = counts.get(fold(name), 0) + 1
    named: list[str] = []
    grouped = False
    for column, name in enumerate(lower, start=1):
        group = groups.get(column, "")
        if not name:
            name = group
        elif group and counts[fold(name)] > 1:
            name, grouped = f"{group} {name}", True
        named.append(name)
    return header_names(named), grouped


def _fill_merged(rows: list[tuple[int, list[Any]]], first_data: int,
                 merged: Sequence[Merge]) -> None:
    """A value merged over several lines of the data holds on each of them (its column)."""
    if not merged:
        return
    at = {line: cells for line, cells in rows}
    for top, left, bottom, _right in merged:
        if bottom <= top or top < first_data or top not in at:
            continue
        cells = at[top]
        value = cells[left - 1] if left <= len(cells) else ""
        if value == "":
            continue
        for line in range(top + 1, bottom + 1):
            below = at.get(line)
            if below is None:
                continue
            if len(below) < left:
                below.extend([""] * (left - len(below)))
            if below[left - 1] == "":
                below[left - 1] = value


def _is_total(cells: list[Any]) -> bool:
    filled = [cell for cell in cells if cell != ""]
    if len(filled) < 2 or not isinstance(filled[0], str):
        return False
    if fold(filled[0]).rstrip(":").strip() not in TOTAL_WORDS:
        return False
    return all((isinstance(cell, int | float) and not isinstance(cell, bool))
               or (isinstance(cell, str) and _NUMBER.fullmatch(cell))
               for cell in filled[1:])


def lay_out(grid: Grid) -> SourceTable:
    """The table in the worksheet: its header, its data lines, and notes on what was decided
    and left out. Raises FileRefused when the sheet is empty."""
    rows = grid.rows
    if not rows:
        raise FileRefused(f"{grid.where} is empty.")
    notes = list(grid.notes)
    index = _find_header(rows, grid.merged)
    line, raw = rows[index]
    groups = None
    if index > 0 and rows[index - 1][0] == line - 1:
        groups = _groups(line - 1, rows[index - 1][1], grid.merged)
    headers, grouped = _header(raw, groups)
    title = " (the lines above it were taken as a title)"
    if groups:
        how = ("its upper line groups the columns; names that repeat are prefixed by their "
               "group" if grouped else "its upper line groups the columns")
        title = "; the lines above were taken as a title" if index > 1 else ""
        notes.append(f"header on lines {line - 1:,} and {line:,} ({how}{title})")
    elif index > 0:
        notes.append(f"header on line {line:,}{title}")
    body = rows[index + 1:]
    _fill_merged(body, line + 1, grid.merged)
    hidden = [number for number, _ in body if number in grid.hidden] if grid.hidden else []
    if hidden:
        shown = set(hidden)
        body = [row for row in body if row[0] not in shown]
        verb = "is" if len(hidden) == 1 else "are"
        notes.append(f"{lines_named(hidden)} {verb} hidden in the sheet (a filter?): skipped")
    while body and _is_total(body[-1][1]):
        number, cells = body.pop()
        word = next(cell for cell in cells if cell != "")
        notes.append(f'line {number:,} ("{word}") is a totals line: skipped')
    return SourceTable(grid.name, headers, tuple(SourceRow(n, tuple(c)) for n, c in body),
                       notes=tuple(notes), file_type=grid.file_type)



# --- which sheet --------------------------------------------------------------------------------


def pick_sheet(requested: str, titles: Sequence[str]) -> str | None:
    """The sheet the user named: its exact name, else the one name that matches it without
    regard to case, accents and spaces."""
    if requested in titles:
        return requested
    near = [title for title in titles if fold(title) == fold(requested)]
    return near[0] if len(near) == 1 else None


def no_such_sheet(name: str, requested: str, titles: Sequence[str]) -> FileRefused:
    listed = ", ".join(f'"{title}"' for title in titles)
    return FileRefused(f'{name} has no sheet "{requested}"; its sheets are: {listed}.')


def sheet_note(chosen: str, others: Sequence[str], active: bool) -> str:
    """What the preview says about a workbook of several sheets read without a sheet named."""
    why = "the one open when the file was saved" if active else "the first"
    listed = ", ".join(f'"{title}"' for title in others[:10])
    more = f" and {len(others) - 10:,} more" if len(others) > 10 else ""
    return (f'sheet "{chosen}" read ({why}); the file also has {listed}{more}: name one to '
            "read it instead")
