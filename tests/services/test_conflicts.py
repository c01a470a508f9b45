"""A save refused because a colleague saved first: field by field, who changed what, and the
values saved once the user chose. Two people on one database: two units of work, two actors."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.errors import ConflictError
from citypartner_desktop.domain.records import RecordData
from citypartner_desktop.services import conflicts, records

COLLEAGUE = Actor(user="anna@office-pc", installation_id="00000000-0000-4000-8000-000000000002")


def colleague_of(db: Database) -> Database:
    """The same database as another person sees it (their name goes into the history)."""
    return dataclasses.replace(db, actor=COLLEAGUE)


def typed(record: RecordData, **changes: Any) -> dict[str, Any]:
    """What an edit dialog holds: the loaded values, with the user's changes as typed."""
    return {**record.values, **changes}


@pytest.fixture
def krakow(db: Database) -> RecordData:
    return records.create(db.uow(), "city", {
        "name": "Kraków", "country": "PL", "population": "780 000",
        "notes": "Twin since 1990"})


def test_decide_is_one_rule_per_case() -> None:
    assert conflicts.decide("a", "a", "a") == "mine"  # nobody changed it
    assert conflicts.decide("a", "b", "a") == "mine"  # only I did
    assert conflicts.decide("a", "a", "c") == "theirs"  # only they did
    assert conflicts.decide("a", "b", "b") == "mine"  # both, the same way
    assert conflicts.decide("a", "b", "c") == "conflict"  # both, differently


def test_fields_changed_by_both_only_them_and_only_me(db: Database, krakow: RecordData
                                                      ) -> None:
    original = records.get(db.uow(), "city", krakow.id)  # the dialog opens
    records.update(colleague_of(db).uow(), "city", krakow.id,
                   {"population": "800000", "region": "Lesser Poland",
                    "notes": "Twin since 1990; charter renewed"})
    mine = typed(original, population="781 500", website="www.krakow.pl")

    conflict = conflicts.compute(db.uow(), "city", krakow.id, original, mine)

    assert conflict.current.version == original.version + 1
    assert [f.name for f in conflict.fields] == ["population"]
    population = conflict.fields[0]
    assert (population.original, population.mine, population.theirs) == (
        780000, "781 500", 800000)
    assert population.label == "Population"
    assert population.mine_text == "781\u202f500" and population.theirs_text == "800\u202f000"
    assert population.changed_by == COLLEAGUE.user
    assert population.changed_at is not None and population.changed_at.tzinfo is not None
    assert conflict.taken_silently == ["region", "notes"]
    assert all(f.changed_by == COLLEAGUE.user for f in conflict.taken)
    assert conflict.changed_by == COLLEAGUE.user
    assert conflict.needs_choice

    merged = conflict.merged({"population": "theirs"})
    assert merged["population"] == 800000
    assert merged["region"] == "Lesser Poland"
    assert merged["notes"] == "Twin since 1990; charter renewed"
    assert merged["website"] == "www.krakow.pl"  # only mine: kept
    saved = records.update(db.uow(), "city", krakow.id, merged,
                           expected_version=conflict.current.version)
    assert saved.values["population"] == 800000
    assert saved.values["region"] == "Lesser Poland"
    assert saved.values["website"] == "https://www.krakow.pl"

    # Keep mine (also what an unchosen conflict does).
    assert conflict.merged()["population"] == "781 500"
    assert conflict.merged({"population": "mine"})["population"] == "781 500"


def test_only_their_changes_need_no_choice(db: Database, krakow: RecordData) -> None:
    original = records.get(db.uow(), "city", krakow.id)
    records.update(colleague_of(db).uow(), "city", krakow.id, {"region": "Lesser Poland"})
    # The dialog shows no value as "" and a number as text: neither is a change of mine.
    mine = typed(original, region="", native_name="", population="780000")
    conflict = conflicts.compute(db.uow(), "city", krakow.id, original, mine)
    assert conflict.fields == ()
    assert not conflict.needs_choice
    assert conflict.taken_silently == ["region"]
    assert conflict.taken[0].theirs_text == "Lesser Poland"
    assert conflict.merged()["region"] == "Lesser Poland"


def test_the_same_change_on_both_sides_is_no_conflict(db: Database, krakow: RecordData) -> None:
    original = records.get(db.uow(), "city", krakow.id)
    records.update(colleague_of(db).uow(), "city", krakow.id, {"population": 800000})
    conflict = conflicts.compute(db.uow(), "city", krakow.id, original,
                                 typed(original, population="800 000"))
    assert conflict.fields == () and conflict.taken == ()


def test_untouched_fields_take_the_stored_value_exactly(db: Database) -> None:
    """An editor may show fewer digits than are stored: a field the user never edited is not
    their change, and the merged save keeps the stored value to the last digit."""
    city = records.create(db.uow(), "city", {"name": "Łódź", "country": "PL",
                                             "latitude": "51.759445"})
    records.update(colleague_of(db).uow(), "city", city.id, {"longitude": "19.457216"})
    shown = typed(city, latitude="51.7594")  # what the dialog's editor shows
    conflict = conflicts.compute(db.uow(), "city", city.id, city, shown,
                                 untouched={"latitude", "longitude"})
    assert conflict.fields == ()
    assert conflict.taken_silently == ["longitude"]
    merged = conflict.merged()
    assert merged["latitude"] == 51.759445 and merged["longitude"] == 19.457216


def test_reference_fields_are_shown_by_name(db: Database) -> None:
    krakow = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    lyon = records.create(db.uow(), "city", {"name": "Lyon", "country": "FR"}).id
    kyiv = records.create(db.uow(), "city", {"name": "Kyiv", "country": "UA"}).id
    contact = records.create(db.uow(), "contact", {"full_name": "Jan Kowalski",
                                                   "city_id": krakow})
    records.update(colleague_of(db).uow(), "contact", contact.id, {"city_id": lyon})
    conflict = conflicts.compute(db.uow(), "contact", contact.id, contact,
                                 typed(contact, city_id=kyiv))
    [field] = conflict.fields
    assert field.label == "City"
    assert (field.mine_text, field.theirs_text) == ("Kyiv (UA)", "Lyon (FR)")
    assert conflict.merged({"city_id": "theirs"})["city_id"] == lyon


def test_a_record_that_moves_again_is_compared_with_what_was_merged(
        db: Database, krakow: RecordData) -> None:
    original = records.get(db.uow(), "city", krakow.id)
    colleague = colleague_of(db)
    records.update(colleague.uow(), "city", krakow.id, {"population": 800000})
    first = conflicts.compute(db.uow(), "city", krakow.id, original,
                              typed(original, population="790000", region="Małopolska"))
    merged = first.merged({"population": "mine"})
    records.update(colleague.uow(), "city", krakow.id, {"region": "Lesser Poland"})
    with pytest.raises(ConflictError):
        records.update(db.uow(), "city", krakow.id, merged,
                       expected_version=first.current.version)
    second = conflicts.compute(db.uow(), "city", krakow.id, first.current, merged)
    assert [f.name for f in second.fields] == ["region"]
    assert second.fields[0].mine_text == "Małopolska"
    assert second.fields[0].theirs_text == "Lesser Poland"
    final = second.merged({"region": "mine"})
    saved = records.update(db.uow(), "city", krakow.id, final,
                           expected_version=second.current.version)
    assert (saved.values["population"], saved.values["region"]) == (790000, "Małopolska")


def test_choices_name_conflicting_fields_and_a_side(db: Database, krakow: RecordData) -> None:
    original = records.get(db.uow(), "city", krakow.id)
    records.update(colleague_of(db).uow(), "city", krakow.id, {"population": 800000})
    conflict = conflicts.compute(db.uow(), "city", krakow.id, original,
                                 typed(original, population="1"))
    with pytest.raises(ValueError, match="not conflicting"):
        conflict.merged({"region": "theirs"})
    with pytest.raises(ValueError, match="mine or theirs"):
        conflict.merged({"population": "both"})  # type: ignore[dict-item]


def test_moved_since_says_who_saved_and_when(db: Database, krakow: RecordData) -> None:
    assert conflicts.moved_since(db.uow(), "city", krakow.id, krakow.version) is None
    records.update(colleague_of(db).uow(), "city", krakow.id, {"region": "Lesser Poland"})
    moved = conflicts.moved_since(db.uow(), "city", krakow.id, krakow.version)
    assert moved is not None and not moved.deleted
    assert moved.version == krakow.version + 1
    assert moved.changed_by == COLLEAGUE.user
    assert moved.changed_at is not None and moved.changed_at.tzinfo is not None
    records.delete(colleague_of(db).uow(), "city", krakow.id)
    gone = conflicts.moved_since(db.uow(), "city", krakow.id, krakow.version + 1)
    assert gone is not None and gone.deleted
