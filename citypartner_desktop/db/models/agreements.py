"""Agreements with their signatories and the responsibilities of each member city."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Agreement(RecordMixin, Base):
    __tablename__ = "agreements"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(40))
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_at: Mapped[str | None] = mapped_column(String(200))
    effective_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_period_months: Mapped[int | None] = mapped_column(Integer)
    review_on: Mapped[date | None] = mapped_column(Date)
    council_resolution: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")


class Signatory(RecordMixin, Base):
    __tablename__ = "signatories"

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    signed_as: Mapped[str | None] = mapped_column(String(200))


class Responsibility(RecordMixin, Base):
    __tablename__ = "responsibilities"

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    city_id: Mapped[str] = mapped_column(ForeignKey("cities.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
