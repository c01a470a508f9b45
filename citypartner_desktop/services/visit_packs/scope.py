"""Which records a pack takes: the chosen partnerships (or a city's partnerships, or all) and
what a visitor needs around them — member cities and their contacts, coordinators, goals,
agreements with signatories and responsibilities, recent activities with participants, open
actions, evaluations with scores, health checks and KPI measurements, the programme, the home
city, the settings, attachments (unless left out) and the history of all of them — then every
record they refer to (so nothing in the pack points outside it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.repositories import archive as archive_repo
from citypartner_desktop.repositories import packs as repo

RECENT_YEARS = 3  # activities since then (and all to come); older ones stay in the office
# Children of a partnership: all of their live rows go with it.
_OF_PARTNERSHIP = ("memberships", "coordinators", "goals", "agreements", "evaluations")
_OF_AGREEMENT = ("signatories", "responsibilities")
_OF_EVALUATION = ("criterion_scores", "health_checks", "kpi_measurements")
KIND_OF_TABLE = {spec.table: kind for kind, spec in ENTITIES.items()}


@dataclass(frozen=True)
class Scope:
    """What to pack: ``partnerships``/``cities`` chosen, or ``everything``; with
    ``minimal_contacts`` the contacts go without their private details (``minimal``)."""

    partnerships: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    everything: bool = False
    attachments: bool = True
    minimal_contacts: bool = False

    def as_json(self) -> dict[str, object]:
        return {"partnerships": list(self.partnerships), "cities": list(self.cities),
                "all": self.everything, "attachments": self.attachments,
                "minimal_contacts": self.minimal_contacts}  # minimal.SCOPE_KEY


Selection = dict[str, set[str]]  # table -> ids


def select(uow: UnitOfWork, scope: Scope, today: date) -> Selection:
    """The ids of every row the pack takes, per table (inside the caller's unit of work)."""
    session = uow.session
    tables = archive_repo.tables()
    if scope.everything:
        chosen = {t: repo.all_ids(session, t, live_only=False) for t in tables}
        if not scope.attachments:
            chosen["attachments"] = set()
        if scope.minimal_contacts:  # a contact's files are private, and their history too
            files = repo.ids_where(session, "attachments", "owner_kind", {"contact"},
                                   live_only=False)
            chosen["attachments"] -= files
            chosen["changes"] -= repo.owned_ids(session, "changes", "record_kind",
                                                "record_id", {"attachment": files})
        return chosen
    picked: Selection = {t: set() for t in tables}
    partnerships = set(scope.partnerships)
    found = repo.ids_where(session, "partnerships", "id", partnerships)
    missing = partnerships - found
    if missing:
        raise ValidationError.single("partnership", f"no partnership with id "
                                                    f"{', '.join(sorted(missing))}")
    if scope.cities:
        cities = set(scope.cities)
        known = repo.ids_where(session, "cities", "id", cities)
        if cities - known:
            raise ValidationError.single("city", f"no city with id "
                                                 f"{', '.join(sorted(cities - known))}")
        picked["cities"] |= known
        members = repo.ids_where(session, "memberships", "city_id", known)
        found |= repo.column_values(session, "memberships", "partnership_id", members)
        found = repo.ids_where(session, "partnerships", "id", found)
    if not found and not picked["cities"]:
        raise ValidationError.single("pack", "has nothing to take: choose partnerships or "
                                             "cities")
    picked["partnerships"] = found
    for table in _OF_PARTNERSHIP:
        picked[table] = repo.ids_where(session, table, "partnership_id", found)
    since = today - timedelta(days=365 * RECENT_YEARS)
    activities = repo.ids_where(session, "activities", "partnership_id", found)
    picked["activities"] = {row["id"] for row in repo.rows(session, "activities", activities)
                            if row["start_date"] is None or row["start_date"] >= since}
    actions = repo.rows(session, "actions", repo.ids_where(session, "actions",
                                                           "partnership_id", found))
    picked["actions"] = {row["id"] for row in actions if row["deleted_at"] is None and (
        row["done_date"] is None or row["done_date"] >= since)}
    for table in _OF_AGREEMENT:
        picked[table] = repo.ids_where(session, table, "agreement_id", picked["agreements"])
    for table in _OF_EVALUATION:
        picked[table] = repo.ids_where(session, table, "evaluation_id", picked["evaluations"])
    picked["participants"] = repo.ids_where(session, "participants", "activity_id",
                                            picked["activities"])
    picked["cities"] |= repo.column_values(session, "memberships", "city_id",
                                           picked["memberships"])
    picked["cities"] |= repo.home_city_ids(session)
    picked["contacts"] = repo.ids_where(session, "contacts", "city_id", picked["cities"])
    picked["settings"] = repo.all_ids(session, "settings", live_only=True)
    _close(uow, picked)
    owners = {KIND_OF_TABLE[t]: ids for t, ids in picked.items() if t in KIND_OF_TABLE and ids}
    if scope.attachments:
        files_of = ({k: v for k, v in owners.items() if k != "contact"}
                    if scope.minimal_contacts else owners)  # a contact's files are private
        picked["attachments"] = repo.owned_ids(session, "attachments", "owner_kind",
                                               "owner_id", files_of)
    picked["changes"] = repo.owned_ids(session, "changes", "record_kind", "record_id", owners)
    return picked


def _close(uow: UnitOfWork, picked: Selection) -> None:
    """Add every record a picked one refers to, until nothing is missing."""
    while True:
        added = False
        for table, ids in list(picked.items()):
            for column, target in repo.foreign_keys(table):
                wanted = repo.column_values(uow.session, table, column, ids) - picked[target]
                if wanted:
                    picked[target] |= wanted
                    added = True
        if not added:
            return
