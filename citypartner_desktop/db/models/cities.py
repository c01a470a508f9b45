"""Cities: the office's own (is_home) and its partners, with gazetteer facts and a review note."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class City(RecordMixin, Base):
    __tablename__ = "cities"

    name: Mapped[str] = mapped_column(String(200))
    native_name: Mapped[str | None] = mapped_column(String(200))
    # "de: Krakau" a line: the spellings sources used (domain.city_names)
    other_names: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str | None] = mapped_column(String(64))
    geonames_id: Mapped[int | None] = mapped_column(Integer, index=True)
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    # Why a person should look at this city (set by imports: not in the world gazetteer, …).
    review: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_cities_name", "name"),
        Index("ix_cities_country_name", "country", "name"),
    )
