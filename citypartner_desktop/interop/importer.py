"""From a file to import rows: read, match the columns, read dates and countries, hand over.

What is created, matched or refused is decided by ``services.imports``; this module knows
files and their ways (a date in local form, "England, United Kingdom" for GB).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.contact_details import preferred_address
from citypartner_desktop.domain.validation import parse_languages
from citypartner_desktop.interop.cells import restore
from citypartner_desktop.interop.contact_columns import details_of, tags_of
from citypartner_desktop.interop.countries import resolve_country
from citypartner_desktop.interop.dates import infer_column_format, parse_import_date
from citypartner_desktop.interop.mapping import ColumnMap, guess_fields, match_columns
from citypartner_desktop.interop.tables import FileRefused, SourceRow, SourceTable, read_table
from citypartner_desktop.services.imports import (
    ImportReport,
    ImportRow,
    is_year_alone,
    run_import,
)

DATE_FIELDS = frozenset({"start_date", "end_date", "consent_date", "review_date"})
COUNTRY_FIELDS = frozenset({"country", "country_a", "country_b"})


@dataclass(frozen=True)
class ImportOptions:
    mapping: Mapping[str, str] | None = None  # column -> field (or "-" to skip)
    date_format: str | None = None  # strptime format for dates in local form
    sheet: str | None = None  # a workbook's sheet by name (default: the active one)
    # field -> value for rows that give none (the partnership of a calendar's events)
    defaults: Mapping[str, str] = field(default_factory=dict)
    # the language of the file's names ("de": "Krakau" is kept as Kraków's German name)
    language: str = ""


def to_rows(table: SourceTable, columns: ColumnMap, date_format: str | None = None
            ) -> list[ImportRow]:
    """One ImportRow per table row; unreadable dates and countries become row problems."""
    headers = columns.headers
    field_columns = {f: headers[i] for f, i in columns.fields.items()}
    if columns.details:  # named in a message as its first column
        first, *more = (headers[i] for i in columns.details)
        field_columns.setdefault("details", f"{first} (and {len(more)} more)" if more else first)
    formats = _date_formats(table, columns, date_format)
    width = len(headers)
    result: list[ImportRow] = []
    for source_row in table.rows:
        cells = source_row.cells
        problems: list[str] = []
        if len(cells) > width and any(str(c).strip() for c in cells[width:]):
            problems.append(f"has {len(cells)} cells but the header has {width} columns (a "
                            "delimiter inside a cell that is not quoted?)")
        values: dict[str, Any] = {}
        for name, index in columns.fields.items():
            cell = cells[index] if index < len(cells) else ""
            if isinstance(cell, str):
                # an exported "'=…" is the text "=…"; Windows line ends are line ends
                cell = restore(cell.strip()).replace("\r\n", "\n")
            if cell == "" or cell == []:
                values[name] = None
                continue
            if (name == "start_date" and columns.kind == "partnerships"
                    and is_year_alone(str(cell))):
                values.setdefault("since_year", str(cell).strip())  # "since 1979": a year
                field_columns.setdefault("since_year", field_columns[name])
                cell = None
            elif name in DATE_FIELDS:
                try:
                    cell = parse_import_date(cell, formats.get(name))
                except ValueError as exc:
                    problems.append(f"column {field_columns[name]}: {exc}")
                    cell = None
            elif name in COUNTRY_FIELDS:
                code = resolve_country(str(cell))
                if code is None:
                    problems.append(f'column {field_columns[name]}: "{cell}" is not a known '
                                    "country")
                cell = code
            elif name == "tags":
                cell = tags_of(str(cell)) or None
            values[name] = cell
        if columns.details:
            values["details"] = [*(values.get("details") or []),
                                 *details_of(cells, columns.details)] or None
        if columns.kind == "contacts":
            _complete_contact(values, field_columns, problems)
        result.append(ImportRow(source_row.line, values, field_columns, tuple(problems)))
    return result


def _date_formats(table: SourceTable, columns: ColumnMap, given: str | None
                  ) -> dict[str, str | None]:
    """The format of each date column: the one given, else what the column's own values
    settle (one "17/05/2026" makes the whole column day-first)."""
    formats: dict[str, str | None] = {}
    for name, index in columns.fields.items():
        if name not in DATE_FIELDS:
            continue
        if given:
            formats[name] = given
            continue
        try:
            formats[name] = infer_column_format(
                row.cells[index] for row in table.rows if index < len(row.cells))
        except ValueError:
            formats[name] = None  # contradicts itself: each ambiguous value says so
    return formats


def _complete_contact(values: dict[str, Any], field_columns: dict[str, str],
                      problems: list[str]) -> None:
    """The full name from its parts, and the city and country of the preferred address
    when no column names them."""
    if not values.get("full_name"):
        parts = [str(values.get(n) or "").strip()
                 for n in ("first_name", "middle_name", "last_name")]
        if any(parts):
            values["full_name"] = " ".join(p for p in parts if p)
    details = values.get("details")
    if not details or values.get("city") or values.get("country"):
        return
    place = preferred_address(details)
    if place is None or len(place.parts) < 5:
        return
    if place.parts[2]:
        values["city"] = place.parts[2]
        field_columns.setdefault("city", "(address)")
    if place.parts[4]:
        code = resolve_country(place.parts[4])
        field_columns.setdefault("country", "(address)")
        if code is None:
            problems.append(f'address: "{place.parts[4]}" is not a known country')
        values["country"] = code


def with_defaults(kind: str, table: SourceTable, defaults: Mapping[str, str],
                  mapping: Mapping[str, str] | None) -> SourceTable:
    """The table with each default filled in where a row gives no value, as a column of its
    own when no column of the file holds the field."""
    if not defaults:
        return table
    held = {**{i: f for i, f in guess_fields(kind, table.headers).items()},
            **{table.headers.index(c): f for c, f in (mapping or {}).items()
               if c in table.headers}}
    column_of = {f: i for i, f in held.items() if f != "-"}
    headers = list(table.headers)
    added = [f for f in defaults if f not in column_of]
    for name in added:
        column_of[name] = len(headers)
        headers.append(name)
    rows = []
    for row in table.rows:
        cells = list(row.cells) + [""] * (len(headers) - len(row.cells))
        for name, value in defaults.items():
            index = column_of[name]
            if not str(cells[index] or "").strip():
                cells[index] = value
        rows.append(SourceRow(row.line, tuple(cells)))
    return replace(table, headers=tuple(headers), rows=tuple(rows))


@dataclass(frozen=True)
class PreparedImport:
    """A file read and mapped, ready to be previewed or imported."""

    kind: str
    table: SourceTable
    columns: ColumnMap
    rows: list[ImportRow]


def prepare(kind: str, path: Path, options: ImportOptions | None = None) -> PreparedImport:
    """Read and map the file. Raises FileRefused (a CityPartnerError) with the reason."""
    options = options or ImportOptions()
    table = read_table(path, sheet=options.sheet) if options.sheet else read_table(path)
    table = with_defaults(kind, table, options.defaults, options.mapping)
    columns = match_columns(kind, table, options.mapping)
    return PreparedImport(kind, table, columns, to_rows(table, columns, options.date_format))


def import_file(
    db: Database,
    kind: str,
    path: Path,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> tuple[PreparedImport, ImportReport]:
    language = language_code((options or ImportOptions()).language)
    prepared = prepare(kind, path, options)
    report = run_import(db, kind, prepared.rows, source=path.name, dry_run=dry_run,
                        valid_only=valid_only, progress=progress, should_cancel=should_cancel,
                        language=language)
    return prepared, report


def language_code(text: str) -> str:
    """The ISO code of the language of a file's names ("German", "de", "deu" -> "de"), ""
    for none. Raises FileRefused for one not known, before anything is read."""
    if not text.strip():
        return ""
    try:
        code = parse_languages(text)
    except ValueError as exc:
        raise FileRefused(f"--language: {exc}.") from None
    if "," in code:
        raise FileRefused(f'--language: give one language, not "{text}".')
    return code
