"""Rows as the merge compares them: the fields a person changes, in one canonical form
(a moment as ISO text in UTC, a day as ISO text, a file's bytes by their SHA-256), with the
pseudo-field ``DELETED`` for a tombstone. Bookkeeping (id, created/updated times, version) and
derived data (search keys, sort labels, search copies) are left out: the office recomputes them
when it writes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from citypartner_desktop.db import derived
from citypartner_desktop.services.visit_packs.plan import DELETED

BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version", "deleted_at"})


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return value  # 3.0 stays 3.0: JSON keeps floats apart from ints
    return value


def skipped(table: str) -> frozenset[str]:
    """Columns of ``table`` the merge does not compare."""
    extra = {"content"} if table == "attachments" else set()
    return BOOKKEEPING | set(derived.derived_columns(table)) | {"search_key"} | extra


def row(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form of one row of ``table`` (every column read from the database)."""
    leave = skipped(table)
    result = {name: _value(v) for name, v in values.items() if name not in leave}
    result[DELETED] = values.get("deleted_at") is not None
    return result
