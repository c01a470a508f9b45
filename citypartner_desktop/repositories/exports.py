"""What the vCard and iCalendar exports need of a page of records, in one query each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from citypartner_desktop.db.models import Activity, City, Contact, Partnership


def contact_cards(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Contact id -> the values a vCard holds (city as name and country code)."""
    city = aliased(City)
    rows = session.execute(
        select(Contact.id, Contact.full_name, Contact.title, Contact.position,
               Contact.organisation, Contact.email, Contact.phone, Contact.languages,
               Contact.notes, city.name, city.country, Contact.updated_at, Contact.given_name,
               Contact.family_name, Contact.department, Contact.tags, Contact.details,
               Contact.card_uid)
        .outerjoin(city, city.id == Contact.city_id).where(Contact.id.in_(ids)))
    keys = ("full_name", "title", "position", "organisation", "email", "phone", "languages",
            "notes", "city", "country", "updated_at", "first_name", "last_name", "department",
            "tags", "details", "card_uid")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


def activity_events(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Activity id -> the values an iCalendar event holds."""
    city = aliased(City)
    rows = session.execute(
        select(Activity.id, Activity.title, Activity.kind, Activity.start_date,
               Activity.end_date, Activity.summary, Partnership.title, city.name, city.country,
               Activity.updated_at, Activity.created_at, Activity.version)
        .join(Partnership, Partnership.id == Activity.partnership_id)
        .outerjoin(city, city.id == Activity.city_id).where(Activity.id.in_(ids)))
    keys = ("title", "kind", "start_date", "end_date", "summary", "partnership", "city",
            "country", "updated_at", "created_at", "version")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}
