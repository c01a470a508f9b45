"""What duplicate finding and merging read and move: candidate rows, and the references."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.models import Attachment, City, Contact
from citypartner_desktop.repositories.records import model_for


def city_rows(session: Session) -> list[tuple[str, str, str | None, str, int | None]]:
    """(id, name, native name, country, GeoNames id) of the live cities."""
    rows = session.execute(select(City.id, City.name, City.native_name, City.country,
                                  City.geonames_id).where(City.deleted_at.is_(None)))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def contact_rows(session: Session) -> list[tuple[str, str, str | None, str | None]]:
    """(id, full name, e-mail, city id) of the live contacts."""
    rows = session.execute(select(Contact.id, Contact.full_name, Contact.email, Contact.city_id)
                           .where(Contact.deleted_at.is_(None)))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def referring_rows(session: Session, kind: str, field: str, record_id: str
                   ) -> list[tuple[str, dict[str, Any]]]:
    """Live rows of ``kind`` whose ``field`` is ``record_id``: (id, all column values)."""
    model: Any = model_for(kind)
    table = model.__table__
    rows = session.execute(select(table).where(getattr(table.c, field) == record_id,
                                               table.c.deleted_at.is_(None)))
    return [(row.id, dict(row._mapping)) for row in rows]


def set_reference(session: Session, kind: str, row_id: str, field: str, value: str,
                  copies: dict[str, Any] | None = None) -> None:
    """Point ``field`` of the row at ``value`` (with the search-key copies that go with it)."""
    model: Any = model_for(kind)
    table = model.__table__
    session.execute(update(table).where(table.c.id == row_id).values(
        {field: value, **(copies or {}), "updated_at": utcnow(),
         "version": table.c.version + 1}))


def mark_deleted(session: Session, kind: str, row_id: str) -> None:
    model: Any = model_for(kind)
    table = model.__table__
    session.execute(update(table).where(table.c.id == row_id).values(
        deleted_at=utcnow(), version=table.c.version + 1))


def move_attachments(session: Session, owner_kind: str, from_id: str, to_id: str) -> list[str]:
    ids = list(session.execute(select(Attachment.id).where(
        Attachment.owner_kind == owner_kind, Attachment.owner_id == from_id,
        Attachment.deleted_at.is_(None))).scalars())
    if ids:
        session.execute(update(Attachment).where(Attachment.id.in_(ids)).values(
            owner_id=to_id, updated_at=utcnow(), version=Attachment.version + 1))
    return ids
