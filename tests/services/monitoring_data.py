"""A small office on a fixed day, for the monitoring tests (services and GUI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from citypartner_desktop.db.database import Database
from citypartner_desktop.services import records

TODAY = date(2026, 11, 28)


@dataclass(frozen=True)
class Office:
    busy: str  # active, agreement expiring, overdue action, evaluated 13 months ago
    quiet: str  # active, no activity for two years
    lapsed: str  # active, every agreement expired
    agreement: str
    overdue_action: str
    goal: str
    evaluation: str


def build(db: Database) -> Office:
    def new(record_kind: str, **values: object) -> str:
        return records.create(db.uow(), record_kind, values).id

    busy = new("partnership", title="Nürnberg – Kraków", kind="twinning", status="active",
               start_date="1979-05-12", themes=["culture", "youth"])
    quiet = new("partnership", title="Friendship with Łódź", kind="friendship", status="active",
                start_date="2001-01-01", evaluation_cadence_months=24)
    lapsed = new("partnership", title="Αθήνα cooperation", kind="cooperation", status="active",
                 start_date="2015-03-01")
    agreement = new("agreement", partnership_id=busy, kind="cooperation",
                    title="Cooperation programme 2024–2027", status="in_force",
                    expires_on="2027-01-31", notice_period_months=3)
    new("agreement", partnership_id=lapsed, kind="memorandum", title="MoU 2015–2025",
        status="in_force", expires_on="2025-02-28")
    for when, kind in (("2026-10-01", "visit"), ("2026-11-20", "meeting")):
        new("activity", partnership_id=busy, kind=kind, title=f"{kind} in Kraków",
            start_date=when)
    new("activity", partnership_id=quiet, kind="call", title="Call", start_date="2024-10-01")
    new("activity", partnership_id=lapsed, kind="visit", title="Visit", start_date="2026-09-01")
    overdue = new("action", partnership_id=busy, title="Send the youth camp invitation",
                  owner="Anna", due_date="2026-11-20")
    new("action", partnership_id=busy, title="Book the hall", due_date="2026-12-10")
    new("action", partnership_id=busy, title="Done already", due_date="2026-11-01",
        done_date="2026-11-02")
    goal = new("goal", partnership_id=busy, title="Pupils in exchanges", unit="pupils",
               baseline=10, target=50, status="open")
    evaluation = new("evaluation", partnership_id=busy, period="2025", evaluated_on="2025-10-15",
                     kind="annual", scores={"relevance": (4, "fits"), "impact": (2, "small")})
    new("evaluation", partnership_id=quiet, period="2025", evaluated_on="2025-06-01",
        kind="annual")
    new("evaluation", partnership_id=lapsed, period="2026", evaluated_on="2026-06-01",
        kind="annual")
    return Office(busy, quiet, lapsed, agreement, overdue, goal, evaluation)
