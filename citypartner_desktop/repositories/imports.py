"""What an import compares its rows with: the live records, read once as plain tuples."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from citypartner_desktop.db.models import Activity, City, Contact, Membership, Partnership


def live_cities(session: Session
                ) -> list[tuple[str, str, str | None, str, int | None, str, str | None]]:
    """(id, name, native name, country, GeoNames id, search key, other names) of every live
    city."""
    rows = session.execute(
        select(City.id, City.name, City.native_name, City.country, City.geonames_id,
               City.search_key, City.other_names)
        .where(City.deleted_at.is_(None)).order_by(City.created_at))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def pair_partnerships(session: Session) -> dict[frozenset[str], str]:
    """Live partnerships with exactly two live member cities, by the pair of city ids."""
    live = Membership.deleted_at.is_(None)
    two = (select(Membership.partnership_id).where(live)
           .group_by(Membership.partnership_id).having(func.count() == 2).subquery())
    rows = session.execute(
        select(Membership.partnership_id, Membership.city_id)
        .join(Partnership, Partnership.id == Membership.partnership_id)
        .where(live, Partnership.deleted_at.is_(None),
               Membership.partnership_id.in_(select(two.c.partnership_id))))
    members: dict[str, list[str]] = {}
    for partnership_id, city_id in rows:
        members.setdefault(partnership_id, []).append(city_id)
    return {frozenset(cities): pid for pid, cities in members.items() if len(set(cities)) == 2}


def live_contacts(session: Session) -> list[tuple[str, str, str | None, str | None]]:
    """(id, full name, e-mail, city id) of every live contact."""
    rows = session.execute(select(Contact.id, Contact.full_name, Contact.email, Contact.city_id)
                           .where(Contact.deleted_at.is_(None)))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def contacts_by_uid(session: Session, uids: set[str], columns: Sequence[str]
                    ) -> dict[str, dict[str, Any]]:
    """Card UID -> the live contact it became ("id" and ``columns``): by the UID it was
    imported with, or by its own id (a card this app exported carries it as its UID)."""
    if not uids:
        return {}
    wanted = [getattr(Contact, c) for c in ("id", "card_uid", *columns)]
    found: dict[str, dict[str, Any]] = {}
    listed = sorted(uids)
    for start in range(0, len(listed), 500):
        part = listed[start:start + 500]
        rows = session.execute(select(*wanted).where(
            Contact.deleted_at.is_(None),
            or_(Contact.card_uid.in_(part), Contact.id.in_(part))))
        for row in rows:
            values = dict(row._mapping)
            for uid in (values["card_uid"], values["id"]):
                if uid in uids:
                    found.setdefault(uid, values)
    return found


def live_partnerships(session: Session) -> list[tuple[str, str]]:
    """(id, title) of every live partnership."""
    rows = session.execute(select(Partnership.id, Partnership.title)
                           .where(Partnership.deleted_at.is_(None)))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def live_activities(session: Session) -> list[tuple[str, str, str, date]]:
    """(id, partnership id, title, start date) of every live activity."""
    rows = session.execute(
        select(Activity.id, Activity.partnership_id, Activity.title, Activity.start_date)
        .where(Activity.deleted_at.is_(None)))
    return [tuple(row) for row in rows]  # type: ignore[misc]


def city_search_keys(session: Session, ids: list[str]) -> dict[str, Any]:
    rows = session.execute(select(City.id, City.search_key).where(City.id.in_(ids)))
    return dict(rows.tuples().all())


def home_city_ids(session: Session) -> set[str]:
    """The office's own cities (normally one)."""
    return set(session.execute(select(City.id).where(
        City.is_home.is_(True), City.deleted_at.is_(None))).scalars())


def home_country(session: Session) -> str | None:
    """The office's own country (its home city's), for numbers written without a country
    code."""
    return session.execute(select(City.country).where(
        City.is_home.is_(True), City.deleted_at.is_(None)).limit(1)).scalar()
