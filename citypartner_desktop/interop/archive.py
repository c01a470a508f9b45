"""The whole database as one JSON document, and back (``export all`` / ``import all``).

    {"format": "citypartner-archive", "format_version": 1, "schema_revision": "0004_…",
     "exported_at": "2026-…Z", "tables": {"cities": {"columns": [...], "rows": [[...], ...]},
     ...}}

Values: text and numbers as they are; timestamps as ISO 8601 UTC with microseconds
("2026-11-28T13:05:00.123456Z"); dates "YYYY-MM-DD"; attachment bytes as base64; lists (themes)
as JSON arrays. Written table by table (a row per line, so a large office does not need the
whole document in memory), to a temporary file renamed into place.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.interop.export import write_atomically
from citypartner_desktop.services import archive

FORMAT = "citypartner-archive"
FORMAT_VERSION = 1

Encoder = Callable[[Any], Any]
_ENCODERS: dict[str, Encoder] = {
    "datetime": lambda v: v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    "date": lambda v: v.isoformat(),
    "bytes": lambda v: base64.b64encode(v).decode("ascii"),
}
_DECODERS: dict[str, Encoder] = {
    "datetime": lambda v: datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
    "date": date.fromisoformat,
    "bytes": lambda v: base64.b64decode(v.encode("ascii"), validate=True),
}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def export_archive(db: Database, path: Path) -> dict[str, int]:
    """Write the archive; rows per table."""
    counts: dict[str, int] = {}

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            header = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "schema_revision": archive.schema_revision(db),
                      "exported_at": _ENCODERS["datetime"](datetime.now(UTC))}
            out.write(_dumps(header)[:-1] + ',"tables":{\n')
            for index, (table, columns, rows) in enumerate(archive.read_all(db)):
                kinds = archive.column_kinds(table)
                encoders = [_ENCODERS.get(kinds[c]) for c in columns]
                out.write(("," if index else "") + f'{_dumps(table)}:{{"columns":'
                          f'{_dumps(columns)},"rows":[\n')
                n = 0
                for row in rows:
                    values = [e(v) if e is not None and v is not None else v
                              for v, e in zip(row, encoders, strict=True)]
                    out.write(("," if n else "") + _dumps(values) + "\n")
                    n += 1
                out.write("]}\n")
                counts[table] = n
            out.write("}}\n")

    write_atomically(path, write)
    return counts


def read_archive(path: Path) -> tuple[str, dict[str, tuple[list[str], list[list[Any]]]]]:
    """(schema revision, table -> (columns, decoded rows)). Raises CityPartnerError."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CityPartnerError(f"{path} does not exist.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CityPartnerError(f"{path.name} is not a CityPartner archive (not JSON: {exc}).") \
            from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CityPartnerError(f"{path.name} is not a CityPartner archive.")
    if document.get("format_version") != FORMAT_VERSION:
        raise CityPartnerError(f"{path.name} is an archive of format version "
                               f"{document.get('format_version')}; this version reads "
                               f"{FORMAT_VERSION}.")
    data: dict[str, tuple[list[str], list[list[Any]]]] = {}
    known = set(archive.tables())
    try:
        for table, content in document["tables"].items():
            columns = list(content["columns"])
            if table not in known:
                data[table] = (columns, [])  # refused by the service, naming the table
                continue
            kinds = archive.column_kinds(table)
            decoders = [_DECODERS.get(kinds.get(c, "plain")) for c in columns]
            rows = [[d(v) if d is not None and v is not None else v
                     for v, d in zip(row, decoders, strict=True)] for row in content["rows"]]
            data[table] = (columns, rows)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CityPartnerError(f"{path.name} is a damaged archive ({type(exc).__name__}: "
                               f"{exc}).") from None
    return str(document.get("schema_revision")), data


def import_archive(db: Database, path: Path, *,
                   notes: Callable[[str], None] | None = None) -> dict[str, int]:
    """Restore the archive at ``path``; rows per table. ``notes`` hears what was changed on
    the way in (an attachment's unsafe file name replaced by a safe one)."""
    revision, data = read_archive(path)
    return archive.restore_all(db, data, revision, notes=notes)
