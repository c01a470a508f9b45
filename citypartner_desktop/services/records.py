"""Create, update, soft-delete, restore, get and list every kind of record.

One generic use case per verb, driven by the entity specs; the rules that belong to one kind
(duplicate cities, the phone's home region, records that must share a partnership, …) are in
``services.rules``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from citypartner_desktop.db.base import new_id, utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import NotFoundError, ValidationError
from citypartner_desktop.domain.records import Choice, ListQuery, RecordData, RowData
from citypartner_desktop.domain.specs import ENTITIES, EntitySpec, FieldKind, spec_for
from citypartner_desktop.domain.text import search_key
from citypartner_desktop.domain.validation import parse_field
from citypartner_desktop.repositories import records as repo
from citypartner_desktop.repositories import scores as scores_repo
from citypartner_desktop.repositories import table_rows
from citypartner_desktop.services import audit, rules
from citypartner_desktop.services.pages import check_page
from citypartner_desktop.services.retrying import retried


def _column_fields(spec: EntitySpec) -> list[str]:
    return [f.name for f in spec.fields if f.kind is not FieldKind.SCORES]


def _validate(
    uow: UnitOfWork,
    spec: EntitySpec,
    values: Mapping[str, Any],
    record_id: str | None,
    *,
    confirm_duplicate: bool,
) -> dict[str, Any]:
    """Parse every field, then check the cross-field and database rules; all errors at once."""
    unknown = set(values) - set(spec.field_names)
    if unknown:
        raise ValidationError({name: "is not a field of this record" for name in sorted(unknown)})
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    region = rules.phone_region(uow, spec, values)
    for field in spec.fields:
        # A field left out entirely (a script, an import, an older dialog) takes its default;
        # one given empty is checked as given.
        raw = values.get(field.name, field.default)
        try:
            parsed[field.name] = parse_field(field, raw, phone_region=region)
        except ValueError as exc:
            errors[field.name] = str(exc)
    for field in spec.fields:
        ref_id = parsed.get(field.name)
        if (
            field.kind is FieldKind.REF
            and field.ref
            and ref_id
            and field.name not in errors
            and not repo.exists(uow.session, field.ref, ref_id)
        ):
            errors[field.name] = f"the chosen {spec_for(field.ref).label.lower()} does not exist"
    for start, end in spec.date_ranges:
        if parsed.get(start) and parsed.get(end) and parsed[end] < parsed[start]:
            errors.setdefault(end, f"is before {spec.field(start).label.lower()} ({parsed[start]})")
    if not errors:
        errors.update(rules.check(uow, spec, parsed, record_id))
    if errors:
        raise ValidationError(errors)
    rules.check_duplicates(uow, spec, parsed, record_id, confirm_duplicate=confirm_duplicate)
    return parsed


def validate(
    uow: UnitOfWork,
    kind: str,
    values: Mapping[str, Any],
    record_id: str | None = None,
    *,
    confirm_duplicate: bool = False,
) -> None:
    """Check values without saving (used by dialogs to mark fields before Save)."""
    with uow:
        _validate(uow, spec_for(kind), values, record_id, confirm_duplicate=confirm_duplicate)


def _search_key(spec: EntitySpec, parsed: Mapping[str, Any]) -> str:
    return search_key(*(str(parsed.get(f) or "") for f in spec.search_fields))


@retried
def create(
    uow: UnitOfWork, kind: str, values: Mapping[str, Any], *, confirm_duplicate: bool = False
) -> RecordData:
    with uow:
        record = create_in(uow, kind, values, confirm_duplicate=confirm_duplicate)
        uow.commit()
        return _to_data(uow, spec_for(kind), record)


def create_in(
    uow: UnitOfWork,
    kind: str,
    values: Mapping[str, Any],
    *,
    confirm_duplicate: bool = False,
    record_id: str | None = None,
    created_at: datetime | None = None,
) -> Any:
    """Validate and add a record inside the caller's open unit of work (which commits), so a
    use case can save several records in one transaction. Returns the new row. ``record_id``
    and ``created_at``: a record made elsewhere (a visit pack) keeps its id and birth time."""
    spec = spec_for(kind)
    parsed = _validate(uow, spec, values, None, confirm_duplicate=confirm_duplicate)
    model: Any = repo.model_for(kind)
    now = utcnow()
    record = model(id=record_id or new_id(), created_at=created_at or now, updated_at=now,
                   **_new_columns(uow, spec, parsed))
    uow.session.add(record)
    uow.flush()
    _after_create(uow, spec, record.id, parsed, now)
    return record


def _new_columns(uow: UnitOfWork, spec: EntitySpec, parsed: Mapping[str, Any],
                 copies: dict[tuple[str, str], Any] | None = None) -> dict[str, Any]:
    """The stored columns of a new record: its fields, search key and search copies."""
    columns = {name: _to_column(parsed[name]) for name in _column_fields(spec)}
    if spec.search_fields:
        columns["search_key"] = _search_key(spec, parsed)
    columns.update(repo.search_copies(uow.session, spec.kind, parsed, copies))
    return columns


def _after_create(uow: UnitOfWork, spec: EntitySpec, record_id: str,
                  parsed: Mapping[str, Any], now: datetime) -> None:
    """What a new record brings besides its row: scores, and its history."""
    if "scores" in parsed:
        scores_repo.write(uow.session, record_id, parsed["scores"], now)
    audit.record(uow, spec.kind, record_id, "*", None, "created", now)
    for name in spec.field_names:
        if parsed.get(name) not in (None, "", (), {}, False):
            audit.record(uow, spec.kind, record_id, name, None, parsed[name], now)


@dataclass(frozen=True)
class NewRecord:
    """One record of a batch: its own id and birth time, and its values."""

    record_id: str
    values: Mapping[str, Any]
    created_at: datetime | None = None


def create_many_in(uow: UnitOfWork, kind: str, batch: list[NewRecord], *,
                   confirm_duplicate: bool = False) -> dict[str, str]:
    """``create_in`` for many records of one kind (a visit pack's thousand new activities):
    each validated by the same rules, then all written at once instead of one flush each.
    Returns the records refused, id -> the reason; the others are added. Kinds whose rules
    compare a record with others of its kind are added one by one, so that a second one
    breaking a rule together with the first is refused as ``create_in`` would."""
    refused: dict[str, str] = {}
    if kind in rules.COMPARED_WITH_THEIR_KIND:
        for item in batch:
            try:
                create_in(uow, kind, item.values, confirm_duplicate=confirm_duplicate,
                          record_id=item.record_id, created_at=item.created_at)
            except ValidationError as exc:
                refused[item.record_id] = "; ".join(exc.errors.values())
        return refused
    spec = spec_for(kind)
    now = utcnow()
    accepted: list[tuple[str, dict[str, Any]]] = []
    rows: list[dict[str, Any]] = []
    copies: dict[tuple[str, str], Any] = {}  # search keys of the records they refer to
    for item in batch:
        try:
            parsed = _validate(uow, spec, item.values, None,
                               confirm_duplicate=confirm_duplicate)
        except ValidationError as exc:
            refused[item.record_id] = "; ".join(exc.errors.values())
            continue
        accepted.append((item.record_id, parsed))
        rows.append({"id": item.record_id, "created_at": item.created_at or now,
                     "updated_at": now, "version": 1, "deleted_at": None,
                     **_new_columns(uow, spec, parsed, copies)})
    uow.flush()
    repo.insert_new(uow.session, kind, rows)
    for record_id, parsed in accepted:
        _after_create(uow, spec, record_id, parsed, now)
    return refused


@retried
def update(
    uow: UnitOfWork,
    kind: str,
    record_id: str,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    confirm_duplicate: bool = False,
) -> RecordData:
    """Change the given fields; others keep their value. ``expected_version`` guards edits."""
    with uow:
        record = update_in(uow, kind, record_id, values, expected_version=expected_version,
                           confirm_duplicate=confirm_duplicate)
        uow.commit()
        return _to_data(uow, spec_for(kind), record)


def update_in(
    uow: UnitOfWork,
    kind: str,
    record_id: str,
    values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    confirm_duplicate: bool = False,
) -> Any:
    """``update`` inside the caller's open unit of work (which commits); returns the row."""
    spec = spec_for(kind)
    record = _live(uow, kind, record_id)
    if expected_version is not None and record.version != expected_version:
        from citypartner_desktop.domain.errors import ConflictError

        raise ConflictError(
            f"This {spec.label.lower()} was changed elsewhere since you opened it; "
            "reopen it and try again."
        )
    current = _values(uow, spec, record)
    merged = {**current, **values}
    parsed = _validate(uow, spec, merged, record_id, confirm_duplicate=confirm_duplicate)
    now = utcnow()
    changed = [n for n in spec.field_names if parsed[n] != current.get(n)]
    if not changed:
        return record
    for name in changed:
        if spec.field(name).kind is not FieldKind.SCORES:
            setattr(record, name, _to_column(parsed[name]))
        audit.record(uow, kind, record_id, name, current.get(name), parsed[name], now)
    if "scores" in changed:
        scores_repo.write(uow.session, record_id, parsed["scores"], now)
    if spec.search_fields:
        record.search_key = _search_key(spec, parsed)
    for column, value in repo.search_copies(uow.session, kind, parsed).items():
        setattr(record, column, value)
    record.updated_at = now
    return record


@dataclass(frozen=True)
class DeleteImpact:
    """What goes with a record when it is deleted: kind label -> count."""

    dependants: dict[str, int]

    def describe(self) -> str:
        return ", ".join(f"{n} {spec_for(k).plural.lower()}" for k, n in self.dependants.items())


def _dependants(
    uow: UnitOfWork, kind: str, record_id: str, deleted_at: datetime | None = None
) -> list[tuple[str, str]]:
    """Records that cannot exist without this one (required references, and attachments),
    recursively: the live ones, or with ``deleted_at`` those deleted together at that time."""
    found: list[tuple[str, str]] = []
    for spec in ENTITIES.values():
        for field in spec.fields:
            if field.kind is FieldKind.REF and field.ref == kind and field.required:
                for child_id in repo.find_ids(
                    uow.session, spec.kind, field.name, record_id, deleted_at
                ):
                    found.append((spec.kind, child_id))
                    found.extend(_dependants(uow, spec.kind, child_id, deleted_at))
    found.extend(
        ("attachment", a)
        for a in repo.attachments_of(uow.session, kind, record_id, deleted_at=deleted_at)
    )
    return list(dict.fromkeys(found))


def delete_impact(uow: UnitOfWork, kind: str, record_id: str) -> DeleteImpact:
    with uow:
        _live(uow, kind, record_id)
        counts: dict[str, int] = {}
        for child_kind, _ in _dependants(uow, kind, record_id):
            counts[child_kind] = counts.get(child_kind, 0) + 1
        return DeleteImpact(counts)


@retried
def delete(uow: UnitOfWork, kind: str, record_id: str) -> datetime:
    """Soft-delete the record and what depends on it, with one timestamp (undo restores all)."""
    with uow:
        now = delete_in(uow, kind, record_id)
        uow.commit()
        return now


def delete_in(uow: UnitOfWork, kind: str, record_id: str) -> datetime:
    """``delete`` inside the caller's open unit of work (which commits)."""
    record = _live(uow, kind, record_id)
    now = utcnow()
    _set_deleted_at(uow, kind, record_id, record, None, now, now)
    return now


def _set_deleted_at(
    uow: UnitOfWork,
    kind: str,
    record_id: str,
    record: Any,
    old: datetime | None,
    new: datetime | None,
    now: datetime,
) -> None:
    """Change ``deleted_at`` from ``old`` to ``new`` on the record and on what depends on it
    (with ``old`` None the live dependants, else those deleted together at ``old``), each
    change in the audit trail at ``now``."""
    for child_kind, child_id in [(kind, record_id), *_dependants(uow, kind, record_id, old)]:
        target = record if child_id == record_id else repo.get(uow.session, child_kind, child_id)
        assert target is not None  # found by this session a moment ago
        target.deleted_at = new
        audit.record(uow, child_kind, child_id, "deleted_at", old, new, now)


@retried
def restore(uow: UnitOfWork, kind: str, record_id: str) -> None:
    """Bring back a deleted record and everything that was deleted together with it."""
    with uow:
        restore_in(uow, kind, record_id)
        uow.commit()


def restore_in(uow: UnitOfWork, kind: str, record_id: str) -> None:
    """``restore`` inside the caller's open unit of work (which commits)."""
    record = repo.get(uow.session, kind, record_id)
    if record is None:
        raise NotFoundError(f"No {spec_for(kind).label.lower()} with id {record_id}.")
    if record.deleted_at is None:
        return
    stamp = record.deleted_at
    now = utcnow()
    _set_deleted_at(uow, kind, record_id, record, stamp, None, now)
    spec = spec_for(kind)
    _validate(uow, spec, _values(uow, spec, record), record_id, confirm_duplicate=True)


def get(uow: UnitOfWork, kind: str, record_id: str, *, include_deleted: bool = False) -> RecordData:
    spec = spec_for(kind)
    with uow:
        record = repo.get(uow.session, kind, record_id)
        if record is None or (record.deleted_at is not None and not include_deleted):
            raise NotFoundError(f"No {spec.label.lower()} with id {record_id}.")
        return _to_data(uow, spec, record)


def list_page(uow: UnitOfWork, kind: str, query: ListQuery) -> list[RowData]:
    check_page(query)
    with uow:
        return table_rows.list_rows(uow, kind, query)


EXPORT_PAGE = 20_000


def iter_list(uow: UnitOfWork, kind: str, query: ListQuery, *, ref_ids: bool = False,
              only_ids: bool = False) -> Iterator[RowData]:
    """All rows of a list (its search and order; ``query.offset`` and ``query.limit`` do not
    apply), page after page of one read transaction, so an export sees one consistent state
    however long it takes. Each page starts after the last row of the one before (its sort
    value and id: ``table_rows.list_rows_after``), never by counting past the earlier rows.
    ``ref_ids``: each row's values end with the ids its reference fields hold; ``only_ids``:
    the rows hold their id alone, for a caller that reads the values page by page."""
    with uow:
        uow.one_snapshot()
        after: table_rows.Keyset | None = None
        while True:
            page = table_rows.list_rows_after(uow, kind, query, after, EXPORT_PAGE,
                                              ref_ids=ref_ids, only_ids=only_ids)
            yield from page.rows
            if page.after is None:
                return
            after = page.after


def count(uow: UnitOfWork, kind: str, query: ListQuery) -> int:
    with uow:
        return table_rows.count_rows(uow, kind, query)


def lookup(
    uow: UnitOfWork,
    kind: str,
    text: str,
    limit: int = 30,
    filters: tuple[tuple[str, str], ...] = (),
) -> list[Choice]:
    with uow:
        return repo.lookup(uow.session, kind, text, limit, filters)


def label(uow: UnitOfWork, kind: str, record_id: str) -> str:
    with uow:
        return repo.label(uow.session, kind, record_id) or ""


def _live(uow: UnitOfWork, kind: str, record_id: str) -> Any:
    record = repo.get(uow.session, kind, record_id)
    if record is None or record.deleted_at is not None:
        raise NotFoundError(f"No {spec_for(kind).label.lower()} with id {record_id}.")
    return record


def _to_column(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _values(uow: UnitOfWork, spec: EntitySpec, record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind is FieldKind.SCORES:
            values[field.name] = scores_repo.read(uow.session, record.id)
        elif field.kind is FieldKind.MULTICHOICE:
            values[field.name] = tuple(getattr(record, field.name) or ())
        else:
            values[field.name] = getattr(record, field.name)
    return values


def _to_data(uow: UnitOfWork, spec: EntitySpec, record: Any) -> RecordData:
    values = _values(uow, spec, record)
    labels = {
        f.name: repo.label(uow.session, f.ref, values[f.name]) or ""
        for f in spec.fields
        if f.kind is FieldKind.REF and f.ref and values.get(f.name)
    }
    return RecordData(
        kind=spec.kind,
        id=record.id,
        version=record.version,
        values=values,
        created_at=record.created_at,
        updated_at=record.updated_at,
        deleted_at=record.deleted_at,
        labels=labels,
    )


def exists_in(uow: UnitOfWork, kind: str, record_id: str) -> bool:
    """Whether a live record exists, inside the caller's open unit of work."""
    return repo.exists(uow.session, kind, record_id)


def values_in(uow: UnitOfWork, kind: str, record_id: str) -> tuple[dict[str, Any], int]:
    """A live record's field values and version, inside the caller's open unit of work."""
    record = _live(uow, kind, record_id)
    return _values(uow, spec_for(kind), record), int(record.version)


def ids_in(uow: UnitOfWork, kind: str, field: str, value: str) -> list[str]:
    """Live records of ``kind`` whose ``field`` is ``value`` (children of a record)."""
    return list(repo.find_ids(uow.session, kind, field, value))
