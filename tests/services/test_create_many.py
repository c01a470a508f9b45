"""Many records of a kind added at once (a visit pack's merge): each checked by the same rules
as one added alone, stored exactly as ``create_in`` stores it (search key, search copies,
labels, counts, history), a refused one named with its reason and the others added."""

from __future__ import annotations

from typing import Any

from citypartner_desktop.db.base import new_id
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import records
from citypartner_desktop.services.records import NewRecord

_BOOKKEEPING = {"id", "created_at", "updated_at"}


def _row(db: Database, table: str, record_id: str) -> dict[str, Any]:
    with db.uow() as uow:
        [row] = packs_repo.rows(uow.session, table, [record_id])
    return {k: v for k, v in row.items() if k not in _BOOKKEEPING}


def _history(db: Database, kind: str, record_id: str) -> list[tuple[str, str | None]]:
    with db.uow() as uow:
        return sorted((name, new) for name, _old, new, _when, _who in
                      changes_repo.of_record(uow.session, kind, record_id, 100))


def test_a_batch_stores_what_one_by_one_stores(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
    values = {"partnership_id": partnership, "kind": "meeting", "title": "Łódź youth forum",
              "start_date": "2026-05-12", "city_id": city, "summary": "Agreed next steps"}
    alone = records.create(db.uow(), "activity", values).id
    together = [new_id(), new_id()]
    with db.uow() as uow:
        refused = records.create_many_in(uow, "activity", [
            NewRecord(together[0], values),
            NewRecord(together[1], {**values, "title": "Second"}),
        ])
        uow.commit()
    assert refused == {}
    assert _row(db, "activities", together[0]) == _row(db, "activities", alone)
    assert _history(db, "activity", together[0]) == _history(db, "activity", alone)
    found = records.list_page(db.uow(), "activity", ListQuery(search="lodz youth", limit=5))
    assert sorted(r.id for r in found) == sorted([alone, together[0]])
    assert records.count(db.uow(), "activity", ListQuery()) == 3


def test_a_refused_record_is_named_and_the_others_are_added(db: Database) -> None:
    partnership = records.create(db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
    good, bad = new_id(), new_id()
    with db.uow() as uow:
        refused = records.create_many_in(uow, "activity", [
            NewRecord(good, {"partnership_id": partnership, "kind": "meeting", "title": "Ok",
                             "start_date": "2026-05-12"}),
            NewRecord(bad, {"partnership_id": partnership, "kind": "meeting", "title": "Bad",
                            "start_date": "2026-05-12", "end_date": "2026-05-01"}),
        ])
        uow.commit()
    assert list(refused) == [bad] and "is before" in refused[bad]
    assert [r.id for r in records.list_page(db.uow(), "activity", ListQuery())] == [good]


def test_two_that_break_a_rule_together_are_not_both_added(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
    first, second = new_id(), new_id()
    member = {"partnership_id": partnership, "city_id": city}
    with db.uow() as uow:
        refused = records.create_many_in(uow, "membership", [NewRecord(first, member),
                                                             NewRecord(second, member)])
        uow.commit()
    assert refused == {second: "this city is already a member of the partnership"}
    assert records.count(db.uow(), "membership", ListQuery()) == 1
