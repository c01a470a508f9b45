"""A record's history: field, old → new, when, who, newest first — also once it is deleted."""

from __future__ import annotations

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import NotFoundError
from citypartner_desktop.services import history, records


def test_history_lists_changes_newest_first(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Lodz", "country": "PL"}).id
    records.update(db.uow(), "city", city, {"name": "Łódź", "population": "664 860"})
    records.delete(db.uow(), "city", city)
    records.restore(db.uow(), "city", city)
    entries = history.history(db.uow(), "city", city)
    assert [(e.field, e.old, e.new) for e in entries[:4]] == [
        ("Record", "", "restored"),
        ("Record", "", "deleted"),
        ("Population", "", "664860"),
        ("Name", "Lodz", "Łódź"),
    ]
    assert entries[-1].field == "Record" and entries[-1].new == "created"
    assert all(e.who == db.actor.user for e in entries)  # on a server: its user's name
    times = [e.when for e in entries]
    assert times == sorted(times, reverse=True)
    assert all(t.tzinfo is not None for t in times)


def test_history_of_a_deleted_record_is_still_shown(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    records.delete(db.uow(), "city", city)
    assert history.history(db.uow(), "city", city)[0].new == "deleted"


def test_history_of_an_unknown_record_is_refused(db: Database) -> None:
    with pytest.raises(NotFoundError, match="No city"):
        history.history(db.uow(), "city", "00000000-0000-4000-8000-000000000000")
