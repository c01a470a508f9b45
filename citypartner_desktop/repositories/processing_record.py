"""Read queries behind the record of processing activities (GDPR Art. 30): counts over the
contacts and the registers around them, aggregated in SQL, the same on SQLite and PostgreSQL.

"Live" contacts are those not deleted and not in the erasure register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from citypartner_desktop.db.models import (
    Attachment,
    City,
    Contact,
    Coordinator,
    Erasure,
    Participant,
    Setting,
    Signatory,
)
from citypartner_desktop.db.models.packs import PackMerge

# The personal fields of a contact, as (key, column): "filled" means not empty.
PERSONAL_FIELDS: tuple[tuple[str, Any], ...] = (
    ("full_name", Contact.full_name), ("title", Contact.title),
    ("position", Contact.position), ("organisation", Contact.organisation),
    ("city", Contact.city_id), ("email", Contact.email), ("phone", Contact.phone),
    ("languages", Contact.languages), ("notes", Contact.notes),
)


@dataclass(frozen=True)
class StorageFacts:
    """Where the engine keeps the data, without a password."""

    engine: str  # the SQLAlchemy dialect name: "sqlite", "postgresql"
    host: str | None
    database: str | None  # the server's database, or the file's path


def _not_erased() -> ColumnElement[bool]:
    return Contact.id.not_in(select(Erasure.contact_id))


def _live() -> ColumnElement[bool]:
    return and_(Contact.deleted_at.is_(None), _not_erased())


def _filled(column: Any) -> ColumnElement[bool]:
    if column is Contact.city_id:
        return column.is_not(None)
    return func.coalesce(func.trim(column), "") != ""


def _count_where(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def storage(session: Session) -> StorageFacts:
    url = session.get_bind().engine.url
    host = url.host or url.query.get("host")  # libpq also takes the host as a parameter
    if isinstance(host, tuple):
        host = host[0] if host else None
    return StorageFacts(engine=url.get_backend_name(), host=host, database=url.database)


def setting(session: Session, key: str) -> str | None:
    stmt = select(Setting.value).where(Setting.key == key, Setting.deleted_at.is_(None))
    return session.execute(stmt).scalar_one_or_none()


def count_live_contacts(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Contact).where(_live()))
               .scalar_one())


def count_soft_deleted_contacts(session: Session) -> int:
    """Contacts deleted (kept as tombstones until purged), not counting erased people."""
    stmt = (select(func.count()).select_from(Contact)
            .where(Contact.deleted_at.is_not(None), _not_erased()))
    return int(session.execute(stmt).scalar_one())


def contacts_per_country(session: Session) -> list[tuple[str | None, int]]:
    """(country code or None when the contact has no city, contacts) for live contacts."""
    n = func.count(Contact.id)
    stmt = (
        select(City.country, n)
        .select_from(Contact)
        .outerjoin(City, City.id == Contact.city_id)
        .where(_live())
        .group_by(City.country)
        .order_by(n.desc(), City.country)
    )
    return [(code, int(count)) for code, count in session.execute(stmt)]


def contacts_linked(session: Session) -> dict[str, int]:
    """Live contacts that are coordinators, participants, signatories, and none of these."""
    coordinator = exists().where(Coordinator.contact_id == Contact.id,
                                 Coordinator.deleted_at.is_(None))
    participant = exists().where(Participant.contact_id == Contact.id,
                                 Participant.deleted_at.is_(None))
    signatory = exists().where(Signatory.contact_id == Contact.id,
                               Signatory.deleted_at.is_(None))
    stmt = select(
        _count_where(coordinator), _count_where(participant), _count_where(signatory),
        _count_where(~or_(coordinator, participant, signatory)),
    ).select_from(Contact).where(_live())
    row = session.execute(stmt).one()
    return dict(zip(("coordinator", "participant", "signatory", "none"),
                    (int(v) for v in row), strict=True))


def filled_fields(session: Session) -> dict[str, int]:
    """For each personal field, how many live contacts have it filled."""
    stmt = (select(*(_count_where(_filled(column)) for _key, column in PERSONAL_FIELDS))
            .select_from(Contact).where(_live()))
    row = session.execute(stmt).one()
    return {key: int(v) for (key, _c), v in zip(PERSONAL_FIELDS, row, strict=True)}


def contacts_with_attachments(session: Session) -> int:
    stmt = (
        select(func.count(func.distinct(Attachment.owner_id)))
        .select_from(Attachment)
        .join(Contact, Contact.id == Attachment.owner_id)
        .where(Attachment.owner_kind == "contact", Attachment.deleted_at.is_(None), _live())
    )
    return int(session.execute(stmt).scalar_one())


def _blank_as_null(column: Any) -> Any:
    return func.nullif(func.trim(column), "")


def legal_bases(session: Session) -> list[tuple[str | None, int]]:
    """(stored legal basis or None when none is recorded, live contacts)."""
    basis = _blank_as_null(Contact.legal_basis)
    stmt = select(basis, func.count()).select_from(Contact).where(_live()).group_by(basis)
    return [(value, int(n)) for value, n in session.execute(stmt)]


def data_sources(session: Session) -> list[tuple[str | None, int]]:
    """(source of data or None when none is recorded, live contacts), most frequent first."""
    source = _blank_as_null(Contact.data_source)
    n = func.count()
    stmt = (select(source, n).select_from(Contact).where(_live()).group_by(source)
            .order_by(n.desc(), source))
    return [(value, int(count)) for value, count in session.execute(stmt)]


def consent_withdrawn(session: Session) -> int:
    stmt = (select(func.count()).select_from(Contact)
            .where(_live(), Contact.consent_withdrawn_on.is_not(None)))
    return int(session.execute(stmt).scalar_one())


def review_dates(session: Session, today: date) -> dict[str, int]:
    """Live contacts whose review date has passed (before ``today``), and those with none.
    (Those due on or before ``today`` are the personal-data review's.)"""
    stmt = select(
        _count_where(Contact.review_date < today),
        _count_where(Contact.review_date.is_(None)),
    ).select_from(Contact).where(_live())
    overdue, missing = session.execute(stmt).one()
    return {"overdue": int(overdue), "none": int(missing)}


def erasures(session: Session) -> tuple[int, datetime | None]:
    """How many people were erased, and when the latest was."""
    count, latest = session.execute(
        select(func.count(), func.max(Erasure.erased_at))).one()
    return int(count), _utc(latest)


def pack_merges(session: Session) -> tuple[int, datetime | None]:
    """Visit packs merged (and not undone), and when the latest was."""
    count, latest = session.execute(
        select(func.count(), func.max(PackMerge.merged_at))
        .where(PackMerge.undone_at.is_(None))).one()
    return int(count), _utc(latest)


def _utc(value: Any) -> datetime | None:
    """An aggregate of a UTC column comes back naive (or as text on SQLite): make it aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    stamp: datetime = value
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
