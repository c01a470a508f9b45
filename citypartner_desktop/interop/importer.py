"""From a file to import rows: read, match the columns, read dates and countries, hand over.

What is created, matched or refused is decided by ``services.imports``; this module knows
files and their ways (a date in local form, "England, United Kingdom" for GB).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citypartner_desktop.db.database import Database
from citypartner_desktop.interop.cells import restore
from citypartner_desktop.interop.countries import resolve_country
from citypartner_desktop.interop.dates import parse_import_date
from citypartner_desktop.interop.mapping import ColumnMap, match_columns
from citypartner_desktop.interop.tables import SourceTable, read_table
from citypartner_desktop.services.imports import ImportReport, ImportRow, run_import

DATE_FIELDS = frozenset({"start_date", "end_date", "consent_date", "review_date"})
COUNTRY_FIELDS = frozenset({"country", "country_a", "country_b"})


@dataclass(frozen=True)
class ImportOptions:
    mapping: Mapping[str, str] | None = None  # column -> field (or "-" to skip)
    date_format: str | None = None  # strptime format for dates in local form


def to_rows(table: SourceTable, columns: ColumnMap, date_format: str | None = None
            ) -> list[ImportRow]:
    """One ImportRow per table row; unreadable dates and countries become row problems."""
    headers = columns.headers
    field_columns = {f: headers[i] for f, i in columns.fields.items()}
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
                cell = restore(cell.strip())  # an exported "'=…" is the text "=…"
            if cell == "":
                values[name] = None
                continue
            if name in DATE_FIELDS:
                try:
                    cell = parse_import_date(cell, date_format)
                except ValueError as exc:
                    problems.append(f"column {field_columns[name]}: {exc}")
                    cell = None
            elif name in COUNTRY_FIELDS:
                code = resolve_country(str(cell))
                if code is None:
                    problems.append(f'column {field_columns[name]}: "{cell}" is not a known '
                                    "country")
                cell = code
            values[name] = cell
        result.append(ImportRow(source_row.line, values, field_columns, tuple(problems)))
    return result


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
    table = read_table(path)
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
    prepared = prepare(kind, path, options)
    report = run_import(db, kind, prepared.rows, source=path.name, dry_run=dry_run,
                        valid_only=valid_only, progress=progress, should_cancel=should_cancel)
    return prepared, report
