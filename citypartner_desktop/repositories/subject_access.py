"""The queries of a subject access export: one person's row, every row that refers to it (found
by walking the foreign keys of the metadata, so a new table that refers to contacts is never
forgotten), their attachments, their record's history, and the rows of other records whose text
names them.

Rows come back as plain tuples and dicts; what they mean is the service's business
(``services.subject_access``). Deleted rows are read like live ones: a subject access request
covers everything that is held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, or_, select
from sqlalchemy.orm import Session, aliased

from citypartner_desktop.db.base import WrittenOrder
from citypartner_desktop.db.models import MODELS, Attachment, Base, Change, Contact, Erasure
from citypartner_desktop.domain.specs import ENTITIES, FieldKind
from citypartner_desktop.repositories.records import label, label_expression

PERSON_TABLE = "contacts"
# Columns the application derives from others (sort labels, search keys): no data of their own.
DERIVED_SUFFIXES = ("_label", "_key")
# The columns every record carries (``db.base.RecordMixin``); a link row's own fields are the rest.
RECORD_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted_at"})
# Tables whose text is not searched for mentions: the audit trail is the history section.
NOT_SEARCHED = frozenset({"changes"})


def is_derived(column: str) -> bool:
    return column == "search_key" or column.endswith(DERIVED_SUFFIXES)


def _kind_of_table() -> dict[str, str]:
    return {model.__tablename__: kind for kind, model in MODELS.items()}


# -- the person ------------------------------------------------------------------------------


def erased_at(session: Session, contact_id: str) -> datetime | None:
    """When the contact was erased (the erasure register), or None."""
    return session.execute(
        select(Erasure.erased_at).where(Erasure.contact_id == contact_id)).scalar()


def person(session: Session, contact_id: str) -> dict[str, Any] | None:
    """Every column of the contact's row (deleted or not), in the table's order."""
    table = Contact.__table__
    row = session.execute(select(table).where(table.c.id == contact_id)).mappings().first()
    return None if row is None else dict(row)


def record_label(session: Session, kind: str, record_id: str) -> str | None:
    return label(session, kind, record_id)


# -- rows that refer to the person -----------------------------------------------------------


def referencing_columns() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to ``contacts.id`` in the metadata, by table name."""
    found: set[tuple[str, str]] = set()
    for table in Base.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name == PERSON_TABLE and key.column.name == "id":
                found.add((table.name, key.parent.name))
    return sorted(found)


@dataclass(frozen=True)
class Target:
    """A record a link row points to besides the person (its partnership, agreement, …)."""

    column: str
    kind: str
    id: str | None
    title: str | None
    deleted_at: datetime | None


@dataclass(frozen=True)
class LinkRow:
    table: str
    id: Any
    fields: dict[str, Any]  # the row's own columns (role, signed_as, …), with the record ones
    targets: tuple[Target, ...]


# What names a record of a kind without a spec (a criterion score, an attachment, …).
TITLE_COLUMNS = ("title", "name", "file_name", "period", "criterion", "aspect", "description")


def _title_is_ref(kind: str) -> bool:
    """Whether records of ``kind`` are named by another record (a signatory by its contact)."""
    spec = ENTITIES.get(kind)
    return spec is not None and spec.field(spec.title_field).kind is FieldKind.REF


def _title(kind: str, model: Any) -> ColumnElement[Any]:
    """The expression naming a record of ``kind``: its label, or its id when it is named by
    another record (``label`` then reads that one's name)."""
    if kind in ENTITIES:
        return model.id if _title_is_ref(kind) else label_expression(kind, model)
    table: Table = model.__table__
    return next((getattr(model, c) for c in TITLE_COLUMNS if c in table.c), model.id)


def _other_keys(table: Table, column: str) -> list[tuple[Column[Any], Table]]:
    keys = []
    for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        if key.parent.name != column:
            keys.append((key.parent, key.column.table))
    return keys


def links(session: Session, table_name: str, column: str, contact_id: str) -> list[LinkRow]:
    """The rows of ``table_name`` whose ``column`` is the person, deleted ones too, each with
    the records its other foreign keys point to (id, title, deleted_at): one query."""
    table = Base.metadata.tables[table_name]
    kinds = _kind_of_table()
    keys = _other_keys(table, column)
    own = [c for c in table.columns if c.name != column and not is_derived(c.name)
           and not c.foreign_keys]
    selected: list[ColumnElement[Any]] = list(own)
    joined: list[tuple[Any, ColumnElement[bool]]] = []
    reads: list[tuple[str, str, bool]] = []  # column, kind, title read by a query of its own
    for n, (key_column, target_table) in enumerate(keys):
        kind = kinds.get(target_table.name, target_table.name)
        model = MODELS.get(kind)
        selected.append(key_column.label(f"t{n}_id"))
        if model is None:  # a table that is no record: its id only
            reads.append((key_column.name, kind, False))
            continue
        target: Any = aliased(model)
        by_query = _title_is_ref(kind)
        title = _title(kind, target)
        selected += [title.label(f"t{n}_title"), target.deleted_at.label(f"t{n}_deleted")]
        reads.append((key_column.name, kind, by_query))
        joined.append((target, target.id == key_column))
    stmt = select(*selected).select_from(table)
    for target, on in joined:
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(table.c[column] == contact_id)
    if "created_at" in table.c:
        stmt = stmt.order_by(table.c.created_at)
    rows = []
    for row in session.execute(stmt).mappings():
        targets = []
        for n, (name, kind, by_query) in enumerate(reads):
            target_id = row[f"t{n}_id"]
            named: str | None = row.get(f"t{n}_title")
            if by_query and target_id is not None:
                named = label(session, kind, target_id)
            targets.append(Target(name, kind, target_id, named, row.get(f"t{n}_deleted")))
        fields = {c.name: row[c.name] for c in own}
        rows.append(LinkRow(table_name, fields.get("id"), fields, tuple(targets)))
    return rows


# -- attachments and history -----------------------------------------------------------------


def attachments(session: Session, owner_kind: str, owner_id: str) -> list[dict[str, Any]]:
    """The files attached to the record, without their bytes, oldest first."""
    stmt = (select(Attachment.id, Attachment.file_name, Attachment.media_type, Attachment.size,
                   Attachment.sha256, Attachment.created_at, Attachment.deleted_at)
            .where(Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id)
            .order_by(Attachment.created_at, Attachment.id))
    return [dict(r) for r in session.execute(stmt).mappings()]


def attachment_bytes(session: Session, attachment_id: str) -> tuple[bytes, str] | None:
    """An attachment's bytes and stored SHA-256, deleted or not."""
    row = session.execute(select(Attachment.content, Attachment.sha256)
                          .where(Attachment.id == attachment_id)).first()
    return None if row is None else (bytes(row[0]), row[1])


def history(session: Session, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Every change of the record, oldest first (in the order they were written)."""
    stmt = (select(Change.changed_at, Change.changed_by, Change.field, Change.old_value,
                   Change.new_value, Change.installation_id)
            .where(Change.record_kind == kind, Change.record_id == record_id)
            .order_by(Change.changed_at, WrittenOrder("changes")))
    return [dict(r) for r in session.execute(stmt).mappings()]


# -- mentions in other records ---------------------------------------------------------------


def searched_columns(table: Table) -> list[str]:
    """The text columns of a record table that hold what people wrote: not ids, references,
    derived keys and labels."""
    return [c.name for c in table.columns
            if isinstance(c.type, String) and not c.primary_key and not c.foreign_keys
            and not c.name.endswith("_id") and not is_derived(c.name)]


def searched_tables() -> list[tuple[str, str, list[str]]]:
    """(kind, table, text columns) of every record table searched for mentions."""
    found = []
    for kind, model in MODELS.items():
        table: Table = model.__table__  # type: ignore[assignment]
        columns = searched_columns(table)
        if table.name not in NOT_SEARCHED and columns:
            found.append((kind, table.name, columns))
    return found


ESCAPE = "!"  # not a backslash: engines and settings disagree on what one means in a literal


def _escaped(text: str) -> str:
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def mentioning(session: Session, kind: str, columns: Sequence[str], needles: Sequence[str],
               exclude_id: str | None = None) -> list[dict[str, Any]]:
    """Rows of ``kind`` (deleted ones too) where a ``columns`` text contains a needle, without
    regard to case: one query, an OR of case-insensitive LIKEs. Each row: ``id``, ``title``,
    ``deleted_at`` and the columns' texts. SQLite folds only ASCII letters, so each needle is
    also looked for in lower and upper case ("ŁUKASZ" finds "Łukasz"); the caller confirms
    each match in Python."""
    model: Any = MODELS[kind]
    variants = list(dict.fromkeys(v for n in needles for v in (n, n.lower(), n.upper()) if v))
    if not variants or not columns:
        return []
    conditions = [getattr(model, c).ilike(f"%{_escaped(v)}%", escape=ESCAPE)
                  for c in columns for v in variants]
    title_is_ref = _title_is_ref(kind)
    title = _title(kind, model)
    stmt = select(model.id, title.label("title"), model.deleted_at,
                  *(getattr(model, c) for c in columns)).where(or_(*conditions))
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    rows = []
    for row in session.execute(stmt.order_by(model.id)):
        found = {"id": row[0], "title": row[1], "deleted_at": row[2],
                 "texts": dict(zip(columns, row[3:], strict=True))}
        if title_is_ref:
            found["title"] = label(session, kind, row[0])
        rows.append(found)
    return rows
