"""What an import compares its rows with: the live records, read once as plain tuples."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from citypartner_desktop.db.models import Activity, City, Contact, Membership, Partnership


def live_cities(session: Session) -> list[tuple[str, str, str | None, str, int | None, str]]:
    """(id, name, native name, country, GeoNames id, search key) of every live city."""
    rows = session.execute(
        select(City.id, City.name, City.native_name, City.country, City.geonames_id,
               City.search_key).where(City.deleted_at.is_(None)).order_by(City.created_at))
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


def home_country(session: Session) -> str | None:
    """The office's own country (its home city's), for numbers written without a country
    code."""
    return session.execute(select(City.country).where(
        City.is_home.is_(True), City.deleted_at.is_(None)).limit(1)).scalar()
