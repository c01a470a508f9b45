"""Which city a row means: one already in the database, a place of the world gazetteer, or a
new city marked for review — never a guess.

The rules, in order, for a name and an ISO country:
1. a city in the database with that name or native name (accents and case ignored) is reused;
2. else the gazetteer's places in that country whose main name is the name (alternate names
   only when no main name is): one place is taken; of several, the largest only when it has
   at least three times the inhabitants of the next ("Pittsburgh", not the villages of that
   name), otherwise none (Everett, Washington or Everett, Massachusetts is for a person to say);
3. a place already in the database (same GeoNames id) is reused, so "Krakow" and "Kraków"
   are one city; a new place is created with the gazetteer's facts;
4. otherwise a city is created from the name and country, unlinked, its "to check" field
   saying why, and listed for review.
Names in a non-Latin script are kept as the city's native name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from citypartner_desktop.db.base import new_id
from citypartner_desktop.domain import city_names
from citypartner_desktop.domain.places import Place
from citypartner_desktop.domain.text import fold, search_key
from citypartner_desktop.domain.validation import country_name

DOMINANCE = 3  # the largest of several namesakes is taken when it is this many times larger

# A list names the same towns again and again (Kraków on every row of its partners): fold once.
cached_fold = lru_cache(maxsize=100_000)(fold)


class PlaceLookup(Protocol):
    def matches(self, name: str, country: str) -> list[tuple[Place, bool]]: ...


@dataclass
class NewCity:
    """A city an import creates (written only if a row that needs it is imported)."""

    id: str
    name: str
    country: str
    native_name: str | None = None
    region: str | None = None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    timezone: str | None = None
    geonames_id: int | None = None
    website: str | None = None
    notes: str | None = None
    other_names: str | None = None  # the spellings the file used (domain.city_names)
    review: str | None = None  # the report's line: "Name (Country): why to check it"
    check: str | None = None  # the city's "to check" note, stored with it
    lines: list[int] = field(default_factory=list)
    used: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def search_key(self) -> str:
        return search_key(self.name, self.native_name, self.other_names, self.region)


@dataclass(frozen=True)
class CityRef:
    id: str
    label: str
    new: NewCity | None = None  # set when the import creates the city


def is_latin(text: str) -> bool:
    """True when every letter is Latin (basic, extended, Vietnamese); else a native name."""
    return all(not ch.isalpha() or ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF
               for ch in text)


def pick_place(candidates: Sequence[tuple[Place, bool]]) -> tuple[Place | None, str | None]:
    """The place meant by an exact-name match list, or None and the reason."""
    if not candidates:
        return None, "not in the world gazetteer"
    main = [place for place, by_main in candidates if by_main]
    tier = main or [place for place, _ in candidates]
    tier = list({p.geonames_id: p for p in tier}.values())
    if len(tier) == 1:
        return tier[0], None
    tier.sort(key=lambda p: -p.population)
    first, second = tier[0], tier[1]
    if first.population >= DOMINANCE * max(second.population, 1):
        return first, None
    sizes = " and ".join(f"{p.population:,}" for p in tier[:2])
    return None, (f"{len(tier)} places of that name in the world gazetteer ({sizes} "
                  "inhabitants); pick the right one")


class CityResolver:
    """Resolves (name, country) pairs of one import; the same pair always gives one city."""

    def __init__(self, existing: Sequence[tuple[str, str, str | None, str, int | None, str,
                                                str | None]],
                 lookup: PlaceLookup | None, source: str) -> None:
        self._source = source
        self._lookup = lookup
        self._by_name: dict[tuple[str, str], CityRef] = {}
        self._by_geonames: dict[int, CityRef] = {}
        self._by_plain_name: dict[str, list[CityRef]] = {}
        self.new_cities: list[NewCity] = []
        self.search_keys: dict[str, str] = {}
        # Database cities' names (name, native, other names) and the spellings to add to them.
        self._names: dict[str, tuple[str | None, ...]] = {}
        self._other_names: dict[str, str | None] = {}
        self.spellings: dict[str, str] = {}  # city id -> its other names with the new ones
        self._anywhere: dict[tuple[str, str], tuple[Place | None, str | None]] = {}
        for city_id, name, native, country, geonames_id, key, others in existing:
            ref = CityRef(city_id, f"{name} ({country})")
            self.search_keys[city_id] = key
            self._names[city_id] = (name, native)
            self._other_names[city_id] = others
            for text in (name, native):
                if text:
                    self._by_name.setdefault((fold(text), country), ref)
                    self._by_plain_name.setdefault(fold(text), []).append(ref)
            if geonames_id:
                self._by_geonames.setdefault(geonames_id, ref)

    def resolve(self, name: str, country: str) -> CityRef:
        name = " ".join(name.split())
        key = (cached_fold(name), country)
        ref = self._by_name.get(key)
        if ref is None:
            ref = self._resolve_new(name, country)
            self._by_name[key] = ref
        return ref

    def note_spelling(self, ref: CityRef, written: str, language: str) -> None:
        """Keep ``written`` as one of the city's names in ``language`` ("" when not known),
        unless the city has that name already."""
        if ref.new is not None:
            city = ref.new
            added = city_names.with_name(city.other_names, language, written, city.name,
                                         city.native_name)
            if added is not None:
                city.other_names = added
            return
        current = self.spellings.get(ref.id, self._other_names.get(ref.id))
        added = city_names.with_name(current, language, written, *self._names.get(ref.id, ()))
        if added is not None:
            self.spellings[ref.id] = added

    def find_existing(self, name: str, country: str) -> CityRef | None:
        """The city already known (database or this import) for the pair, if any."""
        return self._by_name.get((cached_fold(" ".join(name.split())), country))

    def find_existing_by_name(self, name: str) -> CityRef | None:
        """The one database city of that name in any country (None if none or several)."""
        refs = {ref.id: ref for ref in self._by_plain_name.get(fold(name), [])}
        return next(iter(refs.values())) if len(refs) == 1 else None

    def find_geonames(self, geonames_id: int) -> CityRef | None:
        return self._by_geonames.get(geonames_id)

    def find_place_anywhere(self, name: str, region: str = ""
                            ) -> tuple[Place | None, str | None]:
        """The place of that name in whatever country, when one stands out (the only one, or
        far the largest; with ``region``, among the places in that region)."""
        anywhere = getattr(self._lookup, "matches_anywhere", None)
        if anywhere is None:
            return None, "not looked up (no gazetteer)"
        key = (cached_fold(name), cached_fold(region))
        if key not in self._anywhere:  # a file names the same country-less city many times
            self._anywhere[key] = self._place_anywhere(anywhere, name, region)
        return self._anywhere[key]

    @staticmethod
    def _place_anywhere(anywhere: Callable[[str], list[tuple[Place, bool]]], name: str,
                        region: str) -> tuple[Place | None, str | None]:
        candidates = anywhere(name)
        if region:
            wanted = fold(region)
            candidates = [(p, m) for p, m in candidates if fold(p.region or "") == wanted]
        place, problem = pick_place(candidates)
        if problem and candidates:
            countries = sorted({p.country for p, _m in candidates})
            shown = ", ".join(countries[:6]) + (" …" if len(countries) > 6 else "")
            problem = f"{problem.split(';')[0]} (in {shown})"
        return place, problem

    def find_place(self, name: str, country: str) -> tuple[Place | None, str | None]:
        if self._lookup is None:
            return None, "not looked up (no gazetteer)"
        return pick_place(self._lookup.matches(name, country))

    def _resolve_new(self, name: str, country: str) -> CityRef:
        place, problem = self.find_place(name, country)
        if place is not None:
            known = self._by_geonames.get(place.geonames_id) or self._by_name.get(
                (fold(place.name), country))
            if known is not None:
                return known
            city = NewCity(
                new_id(), place.name, country,
                native_name=None if is_latin(name) else name,
                region=place.region, population=place.population or None,
                latitude=place.latitude, longitude=place.longitude, timezone=place.timezone,
                geonames_id=place.geonames_id)
        else:
            where = country_name(country)
            city = NewCity(new_id(), name, country,
                           native_name=None if is_latin(name) else name,
                           review=f"{name} ({where}): {problem}",
                           check=f"{problem} (imported from {self._source})")
        return self.add(city)

    def add(self, city: NewCity) -> CityRef:
        ref = CityRef(city.id, city.label, city)
        self.new_cities.append(city)
        self.search_keys[city.id] = city.search_key
        self._by_name.setdefault((fold(city.name), city.country), ref)
        if city.native_name:
            self._by_name.setdefault((fold(city.native_name), city.country), ref)
        if city.geonames_id:
            self._by_geonames[city.geonames_id] = ref
        return ref
