"""A place from the offline world gazetteer, and how it fills in a City form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames populated place, as found by a gazetteer search."""

    geonames_id: int
    name: str
    country: str  # ISO 3166-1 alpha-2 (GeoNames also uses XK for Kosovo)
    region: str | None  # only where the name is known for sure (US states); else None
    latitude: float
    longitude: float
    population: int
    timezone: str | None
    matched_name: str  # the name or alternate name the query matched; == name for the main name


def place_to_city_values(place: Place) -> dict[str, object]:
    """The City form values a place provides (native_name is left to the user: GeoNames'
    alternate names do not say which one is the local official name)."""
    return {
        "name": place.name,
        "country": place.country,
        "region": place.region,
        "population": place.population,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "timezone": place.timezone,
        "geonames_id": place.geonames_id,
    }
