"""The demo's contacts: the office's own staff, then the mayor, international relations staff and
other people of each city, with names from the city's language, valid phone numbers and e-mail
addresses under the reserved ``.example`` domain."""

from __future__ import annotations

import random

from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.names import name_lists
from citypartner_desktop.services.demo.phones import Phones
from citypartner_desktop.services.demo.state import DemoLoad
from citypartner_desktop.services.demo.wording import languages as _languages


def _contacts_per_city(demo: DemoLoad, rng: random.Random) -> list[int]:
    """How many contacts each city gets: the office its staff, every city at least one."""
    sizes = demo.sizes
    n_cities = len(demo.cities)
    if sizes.contacts < sizes.home_staff + n_cities:
        raise ValueError("too few contacts for one per city")
    counts = [1] * n_cities
    counts[0] = sizes.home_staff
    rest = sizes.contacts - sizes.home_staff - (n_cities - 1)
    # The hand-picked partner cities get a coordinator too.
    for index in range(1, min(len(data.curated_cities()), n_cities)):
        if rest:
            counts[index] += 1
            rest -= 1
    for _ in range(rest):
        counts[1 + int(rng.random() * (n_cities - 1))] += 1
    return counts


def load_contacts(demo: DemoLoad) -> None:
    sizes = demo.sizes
    rng = random.Random(f"{demo.seed}:contacts")
    r = rng.random
    counts = _contacts_per_city(demo, rng)
    words = data.people()
    home_roles, city_roles, other_roles = words.home_roles, words.city_roles, words.other_roles
    lists = name_lists()
    phones = Phones(demo.seed, sizes.phones_per_country)
    emails: set[str] = set()
    sink, ids = demo.sinks["contacts"], demo.ids["contacts"]
    home = demo.cities[0].name
    reported = 0
    for index, city in enumerate(demo.cities):
        names = lists[city.names]
        kept: list[str] = []
        for j in range(counts[index]):
            contact_id = ids()
            female = r() < 0.5
            given_list = names.female if female else names.male
            given, given_latin = given_list[int(r() * len(given_list))]
            family_list = names.family_female if female else names.family
            family, family_latin = family_list[int(r() * len(family_list))]
            full_name = (f"{family}{names.separator}{given}" if names.family_first
                         else f"{given} {family}")
            if index == 0:
                municipal = True
                if j < len(home_roles):
                    position = home_roles[j]
                    organisation = f"City of {home}"
                    subdomain = ""
                else:
                    position, organisation, subdomain = other_roles[int(r() * len(other_roles))]
                    organisation = organisation.format(city=home)
            elif j < len(city_roles):
                position, organisation, subdomain = city_roles[j], f"City of {city.name}", ""
                municipal = True
            else:
                position, organisation, subdomain = other_roles[int(r() * len(other_roles))]
                organisation = organisation.format(city=city.name)
                municipal = subdomain == ""
            title = None
            if "Mayor" not in position:
                title = "Prof." if subdomain == "uni." and r() < 0.5 else (
                    "Dr." if r() < 0.1 else None)
            local = f"{given_latin}.{family_latin}"
            email = f"{local}@{subdomain}{city.domain}"
            number = 2
            while email in emails:
                email = f"{local}{number}@{subdomain}{city.domain}"
                number += 1
            emails.add(email)
            languages = city.language if city.language == "en" or r() < 0.3 else _languages(
                city.language, "en")
            consent = int(r() * 2500) + 30
            notes = (words.contact_notes[int(r() * len(words.contact_notes))] if r() < 0.08
                     else None)
            sink.add((contact_id, full_name, title, position, organisation, city.id, email,
                      phones.pick(city.country, r()), languages, notes,
                      "public_task" if municipal else (
                          "legitimate_interest" if r() < 0.6 else "consent"),
                      words.data_sources[int(r() * len(words.data_sources))], demo.day(-consent),
                      demo.day(730 - consent), None, given, family, None, None, None, None))
            if index == 0:
                demo.staff.append((contact_id, full_name))
            elif j < 8:
                kept.append(contact_id)
        demo.city_contacts.append(kept if index else [s for s, _ in demo.staff[:8]])
        if sink.count - reported >= sizes.chunk:
            demo.run.advance(sink.count - reported, "Contacts")
            reported = sink.count
    sink.flush()
    demo.run.advance(sink.count - reported, "Contacts")
