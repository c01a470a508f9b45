"""People the office works with: name, position, organisation, city, how to reach them, and
the data-protection facts (legal basis, source, consent and review dates)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Contact(RecordMixin, Base):
    __tablename__ = "contacts"

    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    city_id: Mapped[str | None] = mapped_column(ForeignKey("cities.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164
    languages: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(String(40))
    data_source: Mapped[str | None] = mapped_column(String(200))
    consent_date: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[str | None] = mapped_column(String(500))
    # The UID of the card the contact came from: the same card imported again updates it.
    card_uid: Mapped[str | None] = mapped_column(String(200), index=True)
    # Every e-mail, phone, address and web page (domain.contact_details, canonical JSON);
    # email and phone above are the preferred ones.
    details: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")
    # Written by SQLite triggers (db/derived.py), never by the app: the sort key of a column.
    city_label: Mapped[str | None] = mapped_column(Text)
    # The city's search key, written with the row (services) and by a trigger when the city
    # changes: the second column of the contact's full-text index (db/derived.py).
    city_key: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_contacts_full_name", "full_name"),)
