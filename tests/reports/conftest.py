"""A small office made through the services, with names in every script the reports print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from citypartner_desktop.db.database import Database
from citypartner_desktop.services import records

GENERATED = date(2026, 3, 15)
# Latin with diacritics, Cyrillic, Greek, Chinese, Japanese, and right-to-left scripts.
CITY_NAMES = {
    "Łódź": ("PL", "Europe/Warsaw"), "İzmir": ("TR", "Europe/Istanbul"),
    "Gödöllő": ("HU", "Europe/Budapest"), "Київ": ("UA", "Europe/Kyiv"),
    "Αθήνα": ("GR", "Europe/Athens"), "北京市": ("CN", "Asia/Shanghai"),
    "京都市": ("JP", "Asia/Tokyo"), "東京都": ("JP", "Asia/Tokyo"),
}
CONTACT_NAMES = ("Zoë Łukasiewicz", "Олена Коваленко", "Νίκος Παπαδόπουλος", "田中 由美",
                 "Gülşen Öztürk")


@dataclass
class Office:
    db: Database
    home: str
    cities: dict[str, str]  # name -> id
    network: str  # a partnership with all of them, and an evaluation, goals, agreements
    empty: str  # a partnership with nothing recorded
    evaluation: str


def create(db: Database, record: str, **values: object) -> str:
    return records.create(db.uow(), record, values).id


@pytest.fixture
def office(db: Database) -> Office:
    home = create(db, "city", name="Nuremberg", native_name="Nürnberg", country="DE",
                  timezone="Europe/Berlin", is_home=True)
    cities = {name: create(db, "city", name=name, country=c, timezone=tz, population=100_000)
              for name, (c, tz) in CITY_NAMES.items()}
    cities["Cairo"] = create(db, "city", name="Cairo", native_name="القاهرة", country="EG",
                             timezone="Africa/Cairo")
    network = create(db, "partnership", title="Network Łódź–Київ–京都市", kind="network",
                     status="active", themes=["culture", "youth"], start_date="2015-01-01")
    create(db, "membership", partnership_id=network, city_id=home, role="lead")
    for city_id in cities.values():
        create(db, "membership", partnership_id=network, city_id=city_id, role="partner")
    kyoto = cities["京都市"]
    for n, name in enumerate(CONTACT_NAMES):
        contact = create(db, "contact", full_name=name, city_id=kyoto, position="Officer",
                         email=f"person{n}@kyoto.example")
        if n == 0:
            create(db, "coordinator", partnership_id=network, contact_id=contact,
                   responsibility="Coordination in Αθήνα")
    goal = create(db, "goal", partnership_id=network, title="Youth exchanges", unit="people",
                  baseline=10, target=50, status="on_track")
    create(db, "agreement", partnership_id=network, kind="charter",
           title="Charter of Gödöllő", status="in_force", signed_on="2015-03-01",
           expires_on="2026-09-30", notice_period_months=3)
    for month in range(1, 13):
        create(db, "activity", partnership_id=network, kind="meeting",
               title=f"Meeting {month:02d} in 東京都", start_date=f"2025-{month:02d}-10",
               city_id=cities["東京都"], summary="Minutes: agreed on the İzmir youth camp.")
    create(db, "action", partnership_id=network, title="Send the invitation to Київ",
           due_date="2026-04-01")
    evaluation = create(
        db, "evaluation", partnership_id=network, period="2025", evaluated_on="2025-12-01",
        kind="annual", findings="Strong ties with 北京市.", lessons="Plan early.",
        recommendation="continue",
        scores={"relevance": (5, "Central to the city strategy"), "impact": (3, "Modest")})
    create(db, "health_check", evaluation_id=evaluation, side="ours", aspect="trust",
           rating="green")
    create(db, "health_check", evaluation_id=evaluation, side="partner", aspect="trust",
           rating="amber")
    create(db, "kpi_measurement", evaluation_id=evaluation, goal_id=goal, actual=30)
    create(db, "action", partnership_id=network, evaluation_id=evaluation,
           title="Agree the 2026 plan with Αθήνα", due_date="2026-06-01")
    empty = create(db, "partnership", title="Friendship with Gödöllő", kind="friendship",
                   status="proposed")
    return Office(db, home, cities, network, empty, evaluation)


def _flat(text: str) -> str:
    """Text with all white space removed: a table cell may wrap a name over two lines, and a
    header drawn run by run is extracted with breaks between the fonts."""
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    return _flat("".join(page.extract_text() or "" for page in PdfReader(path).pages))


def pdf_pages(path: Path) -> list[str]:
    return [_flat(page.extract_text() or "") for page in PdfReader(path).pages]


def has(text: str, expected: str) -> bool:
    return _flat(expected) in text
