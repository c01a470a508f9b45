"""City profile: facts, people, partnerships and recent activities of one city."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from citypartner_desktop.reports.document import ReportInfo
from citypartner_desktop.reports.parts import (
    bounded_note,
    city_name,
    day,
    facts,
    gap,
    heading,
    number,
    started,
    table,
)
from citypartner_desktop.services.report_data import CityFacts, CityProfileData

TITLE = "City profile"


def city_facts(city: CityFacts, width: float) -> Flowable:
    coordinates = ("—" if city.latitude is None or city.longitude is None
                   else f"{city.latitude:.4f}, {city.longitude:.4f}")
    return facts([
        ("Name", city.name), ("Local name", city.native_name or "—"),
        ("Country", f"{city.country_name} ({city.country})"), ("Region", city.region or "—"),
        ("Population", number(city.population)), ("Coordinates", coordinates),
        ("Time zone", city.timezone or "—"), ("Website", city.website or "—"),
    ], width)


def build(data: CityProfileData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    city = data.city
    info = ReportInfo(TITLE, city_name(city), office, generated,
                      (", ".join(x for x in (city.region, city.country_name) if x),))
    story: list[Flowable] = [gap(10), city_facts(city, width)]

    story.append(heading("Partnerships"))
    story.append(table(
        ["Partnership", "Kind", "Status", "Role", "Since"],
        [[p.title, p.kind, p.status, p.role, started(p.start_date, p.since_year)]
         for p in data.partnerships],
        [0.42, 0.19, 0.12, 0.12, 0.15], total_width=width, empty="partnerships"))

    story.append(heading("Contacts"))
    story.append(table(
        ["Name", "Position", "Organisation", "E-mail", "Phone"],
        [[c.name, c.position, c.organisation, c.email, c.phone] for c in data.contacts.rows],
        [0.2, 0.22, 0.2, 0.22, 0.16], total_width=width, empty="contacts"))
    story += bounded_note(data.contacts, "contacts", "first (by name)")

    story.append(heading("Recent activities"))
    story.append(table(
        ["Date", "Kind", "Activity", "Partnership", "Place"],
        [[day(a.start_date), a.kind, a.title, a.partnership, a.place or "—"]
         for a in data.activities.rows],
        [0.12, 0.13, 0.33, 0.28, 0.14], total_width=width, empty="activities"))
    story += bounded_note(data.activities, "activities of its partnerships", "latest")
    return info, story
