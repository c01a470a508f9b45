"""Generic list/lookup queries driven by the entity specs: columns, not entities, on read paths."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy import text as text_clause
from sqlalchemy.orm import Session

from citypartner_desktop.db import derived, fts
from citypartner_desktop.db.base import Base
from citypartner_desktop.db.models import MODELS
from citypartner_desktop.db.search_sql import for_dialect
from citypartner_desktop.domain.records import Choice, RowData
from citypartner_desktop.domain.specs import FieldKind, spec_for
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories import bulk


def model_for(kind: str) -> type[Base]:
    return MODELS[kind]


def label_expression(kind: str, model: Any) -> ColumnElement[Any]:
    """How a record of ``kind`` is named in lists and pickers."""
    # ``model`` is any mapped class, so its columns are typed Any here: say what they make.
    label: ColumnElement[Any]
    if kind == "city":
        label = model.name + literal(" (") + model.country + literal(")")
    elif kind == "evaluation":
        label = model.period + literal(" – ") + func.coalesce(cast(model.evaluated_on, String),
                                                               "")
    else:
        label = getattr(model, spec_for(kind).title_field)
    return label


def _matches(session: Session, kind: str, text: str) -> ColumnElement[bool]:
    """Rows where every typed word is a word prefix of the folded search key (FTS5) — or, for
    kinds with ``search_refs``, of the referenced record's, which the row's full-text index
    holds as a second column (a contact is found by its city; ``db.derived``)."""
    words = fts.search_words(fold(text))
    if not words:  # only punctuation typed: nothing can match
        return literal(False)
    search = for_dialect(session.get_bind().dialect.name)
    matching, [argument] = search.matching(spec_for(kind).table, words)
    return text_clause(  # type: ignore[return-value]
        matching.replace("?", ":search_q")).bindparams(search_q=argument)


def search_copies(session: Session, kind: str, values: Mapping[str, Any],
                  known: dict[tuple[str, str], Any] | None = None) -> dict[str, Any]:
    """The search-key copies a row of ``kind`` with ``values`` must carry (``db.derived``).
    ``known`` (kind, id) -> search key: keys already read, kept across calls of one batch."""
    spec = spec_for(kind)
    copies: dict[str, Any] = {}
    for field in spec.search_refs:
        column = derived.search_copy_column(spec.table, field)
        if column is None:
            raise KeyError(f"{spec.table}.{field} has no search copy column")
        ref_kind = spec.field(field).ref or ""
        ref_id = values.get(field)
        if not ref_id:
            copies[column] = None
        elif known is not None and (ref_kind, ref_id) in known:
            copies[column] = known[(ref_kind, ref_id)]
        else:
            target: Any = model_for(ref_kind)
            copies[column] = session.execute(
                select(target.search_key).where(target.id == ref_id)).scalar()
            if known is not None:
                known[(ref_kind, ref_id)] = copies[column]
    return copies


def insert_new(session: Session, kind: str, rows: list[dict[str, Any]]) -> None:
    """Insert new rows of ``kind`` (every column given) at once (``bulk.insert_all``)."""
    bulk.insert_all(session, spec_for(kind).table, rows)


def get(session: Session, kind: str, record_id: str) -> Any | None:
    return session.get(model_for(kind), record_id)


LIVE_IDS = "live_ids"  # session.info key: live records already found, while a bulk write asks


def exists(session: Session, kind: str, record_id: str) -> bool:
    """Whether a live record ``record_id`` of ``kind`` is there. A bulk write that only adds
    and changes (a visit pack's merge: thousands of records naming the same partnership) puts
    a set under ``session.info[LIVE_IDS]``, and each record found is then looked up once."""
    known: set[tuple[str, str]] | None = session.info.get(LIVE_IDS)
    if known is not None and (kind, record_id) in known:
        return True
    model: Any = model_for(kind)
    stmt = select(model.id).where(model.id == record_id, model.deleted_at.is_(None))
    found = session.execute(stmt).first() is not None
    if found and known is not None:
        known.add((kind, record_id))
    return found


@contextmanager
def remembering_live_records(session: Session) -> Iterator[None]:
    """``exists`` remembers what it found while this lasts (nothing is deleted meanwhile)."""
    session.info[LIVE_IDS] = set()
    try:
        yield
    finally:
        session.info.pop(LIVE_IDS, None)


def label(session: Session, kind: str, record_id: str) -> str | None:
    spec = spec_for(kind)
    title = spec.field(spec.title_field)
    if title.kind is FieldKind.REF and title.ref:
        # A member city is named by its city, a signatory by its contact, …
        target = value_of(session, kind, record_id, title.name)
        return label(session, title.ref, target) if target else None
    model: Any = model_for(kind)
    stmt = select(label_expression(kind, model)).where(model.id == record_id)
    return session.execute(stmt).scalar_one_or_none()


def lookup(
    session: Session, kind: str, text: str, limit: int, filters: Sequence[tuple[str, str]] = ()
) -> list[Choice]:
    """Type-ahead over live records matching the typed words, in label order."""
    model: Any = model_for(kind)
    label_col = label_expression(kind, model)
    stmt = select(model.id, label_col).where(model.deleted_at.is_(None))
    for field, value in filters:
        stmt = stmt.where(getattr(model, field) == value)
    if text.strip() and hasattr(model, "search_key"):
        stmt = stmt.where(_matches(session, kind, text))
    elif text.strip():
        stmt = stmt.where(label_col.like(f"%{text.strip()}%"))
    # Empty labels first, then by id: the order of the pages' sort indexes on both engines
    # (a plain ORDER BY sorts NULLs last on PostgreSQL, which no index there gives).
    stmt = stmt.order_by(label_col.asc().nulls_first(), model.id).limit(limit)
    return [Choice(r[0], r[1]) for r in session.execute(stmt)]


def find_ids(
    session: Session, kind: str, field: str, value: str, deleted_at: datetime | None = None
) -> list[str]:
    """Ids whose ``field`` equals ``value``: live ones, or those deleted at ``deleted_at``."""
    model: Any = model_for(kind)
    state = model.deleted_at.is_(None) if deleted_at is None else model.deleted_at == deleted_at
    stmt = select(model.id).where(getattr(model, field) == value, state)
    return list(session.execute(stmt).scalars())


def attachments_of(
    session: Session, owner_kind: str, owner_id: str, *, deleted_at: datetime | None
) -> list[str]:
    model: Any = model_for("attachment")
    cond = model.deleted_at.is_(None) if deleted_at is None else model.deleted_at == deleted_at
    stmt = select(model.id).where(model.owner_kind == owner_kind, model.owner_id == owner_id, cond)
    return list(session.execute(stmt).scalars())


def same_name_cities(
    session: Session, name: str, country: str, exclude_id: str | None
) -> list[str]:
    model: Any = model_for("city")
    stmt = select(model.id).where(
        func.lower(model.name) == name.lower(), model.country == country, model.deleted_at.is_(None)
    )
    if exclude_id:
        stmt = stmt.where(model.id != exclude_id)
    return list(session.execute(stmt).scalars())


def home_city_ids(session: Session, exclude_id: str | None) -> list[str]:
    model: Any = model_for("city")
    stmt = select(model.id).where(model.is_home.is_(True), model.deleted_at.is_(None))
    if exclude_id:
        stmt = stmt.where(model.id != exclude_id)
    return list(session.execute(stmt).scalars())


def value_of(session: Session, kind: str, record_id: str, field: str) -> Any:
    model: Any = model_for(kind)
    return session.execute(select(getattr(model, field)).where(model.id == record_id)).scalar()


def partnerships_of_city(session: Session, city_id: str, limit: int) -> list[RowData]:
    p: Any = model_for("partnership")
    m: Any = model_for("membership")
    stmt = (
        select(p.id, p.version, p.title, p.kind, p.status, m.role)
        .join(m, m.partnership_id == p.id)
        .where(m.city_id == city_id, m.deleted_at.is_(None), p.deleted_at.is_(None))
        .order_by(p.title)
        .limit(limit)
    )
    return [RowData(r[0], r[1], tuple(r[2:])) for r in session.execute(stmt)]
