"""One record at a time for scripts and checks (``citypartner get`` and ``set``): every field
by its data-model name, with id and version; a change guarded by the version the script saw,
refused with what is there now and who put it there."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import NotFoundError, ValidationError, VersionMovedError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import ENTITIES, EntitySpec, spec_for
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.services import records


def kind_named(name: str) -> str:
    """A record kind from its name or its table's (``city`` or ``cities``)."""
    wanted = name.strip().lower()
    for kind, spec in ENTITIES.items():
        if wanted in (kind, spec.table):
            return kind
    known = ", ".join(sorted(ENTITIES))
    raise ValidationError.single("kind", f'"{name}" is not a kind of record (one of: {known})')


def _plain(value: Any) -> Any:
    """A field value as JSON holds it: dates as ISO text, tuples as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def first_id(uow: UnitOfWork, kind: str) -> str:
    """The record listed first on its page (the page's own order)."""
    rows = records.list_page(uow, kind, ListQuery(limit=1))
    if not rows:
        raise NotFoundError(f"There are no {spec_for(kind).plural.lower()}.")
    return rows[0].id


def get_record(uow: UnitOfWork, kind: str, record_id: str) -> dict[str, Any]:
    """Every field of the record, named as in the data model, with its id and version."""
    data = records.get(uow, kind, record_id)
    fields = {name: _plain(value) for name, value in data.values.items()}
    return {"id": data.id, "version": data.version, **fields,
            "created_at": _plain(data.created_at), "updated_at": _plain(data.updated_at)}


def _assignments(spec: EntitySpec, pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            errors[pair] = "is not FIELD=VALUE"
        elif name not in spec.field_names:
            errors[name] = f"is not a field of a {spec.label.lower()}"
        else:
            values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _moved(uow: UnitOfWork, kind: str, record_id: str, fields: list[str], expected: int,
           current: dict[str, Any]) -> VersionMovedError:
    """The refusal of a stale change: each field asked for, what it holds now and who last
    changed it, and when."""
    with uow:
        history = changes_repo.of_record(uow.session, kind, record_id, 500)
    lines = []
    for name in fields:
        last = next(((when, who) for field, _o, _n, when, who in history if field == name), None)
        since = f", changed by {last[1]} at {last[0]:%Y-%m-%d %H:%M} UTC" if last else ""
        lines.append(f"{name} is now {current['fields'][name]!r}{since}")
    who = next(((w, by) for f, _o, _n, w, by in history if f != "*"), None)
    by = f" (last saved by {who[1]} at {who[0]:%Y-%m-%d %H:%M} UTC)" if who else ""
    return VersionMovedError(
        f"The {spec_for(kind).label.lower()} {record_id} is at version {current['version']}, "
        f"not {expected}{by}; nothing was changed: " + "; ".join(lines),
        expected, current["version"])


def set_fields(uow: UnitOfWork, kind: str, record_id: str, pairs: list[str],
               if_version: int | None = None) -> dict[str, Any]:
    """Change the named fields from their text (parsed and checked like a dialog's input);
    with ``if_version``, only if the record is still at that version. Returns the record."""
    spec = spec_for(kind)
    values = _assignments(spec, pairs)
    if not values:
        raise ValidationError.single("fields", "give at least one FIELD=VALUE")
    if if_version is not None:
        data = records.get(uow, kind, record_id)
        if data.version != if_version:
            current = {"version": data.version,
                       "fields": {n: _plain(data.values.get(n)) for n in values}}
            raise _moved(uow, kind, record_id, list(values), if_version, current)
    records.update(uow, kind, record_id, values, expected_version=if_version)
    return get_record(uow, kind, record_id)

