"""Possible duplicates (rapidfuzz) and the merge that moves links and records the audit."""

from __future__ import annotations

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import NotFoundError, ValidationError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import history, records
from citypartner_desktop.services.duplicates import find_duplicates, merge


def _city(db: Database, name: str, country: str = "DE", **values: object) -> str:
    return records.create(db.uow(), "city", {"name": name, "country": country, **values},
                          confirm_duplicate=True).id


def test_similar_city_names_in_one_country_are_listed(db: Database) -> None:
    a = _city(db, "Frankfurt am Main")
    b = _city(db, "Frankfurt a. Main")
    _city(db, "Frankfurt (Oder)")
    _city(db, "Frankfurt am Main", "US")  # another country: not a duplicate
    c = _city(db, "Kraków", "PL", geonames_id=3094802)
    d = _city(db, "Cracow", "PL", geonames_id=3094802)
    pairs = find_duplicates(db, "city")
    found = {frozenset((p.first_id, p.second_id)): p for p in pairs}
    assert found[frozenset((c, d))].reason == "the same place in the world gazetteer"
    assert found[frozenset((a, b))].score >= 90
    assert len(pairs) == 2


def test_contacts_with_one_email_or_near_name_in_one_city(db: Database) -> None:
    city = _city(db, "Lviv", "UA")
    a = records.create(db.uow(), "contact", {"full_name": "Olena Shevchenko", "city_id": city}).id
    b = records.create(db.uow(), "contact", {"full_name": "Olena Schevchenko",
                                             "city_id": city}).id
    c = records.create(db.uow(), "contact", {"full_name": "Ann", "email": "x@example.org"}).id
    d = records.create(db.uow(), "contact", {"full_name": "Anna K", "email": "X@example.org"}).id
    records.create(db.uow(), "contact", {"full_name": "Olena Shevchenko"})  # no city
    pairs = {frozenset((p.first_id, p.second_id)): p.reason
             for p in find_duplicates(db, "contact")}
    assert pairs == {frozenset((a, b)): "similar names, same city",
                     frozenset((c, d)): "the same e-mail address"}


def test_merge_cities_moves_links_field_by_field_with_audit(db: Database) -> None:
    keep = _city(db, "Krakow", "PL", population=800_000)
    drop = _city(db, "Kraków", "PL", native_name="Kraków", timezone="Europe/Warsaw")
    other = _city(db, "Lviv", "UA")
    contact = records.create(db.uow(), "contact", {"full_name": "Jan", "city_id": drop}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Kraków – Lviv", "kind": "twinning", "status": "active"}).id
    for city in (keep, other):
        records.create(db.uow(), "membership", {"partnership_id": partnership, "city_id": city,
                                                "role": "partner"})
    second = records.create(db.uow(), "partnership", {
        "title": "Kraków – Kyoto", "kind": "twinning", "status": "active"}).id
    records.create(db.uow(), "membership", {"partnership_id": second, "city_id": drop,
                                            "role": "partner"})
    moved = merge(db, "city", keep, drop, {"name": "drop"})
    assert moved == {"contact": 1, "membership": 1}
    merged = records.get(db.uow(), "city", keep).values
    assert merged["name"] == "Kraków"  # chosen from the other record
    assert merged["population"] == 800_000  # the kept value
    assert merged["timezone"] == "Europe/Warsaw"  # empty in the kept one: filled
    assert records.get(db.uow(), "contact", contact).values["city_id"] == keep
    with pytest.raises(NotFoundError):
        records.get(db.uow(), "city", drop)
    assert records.list_page(db.uow(), "contact", ListQuery(search="krakow"))  # search copy
    kept = {(e.field, e.new) for e in history.history(db.uow(), "city", keep)}
    assert ("Name", "Kraków") in kept and ("Time zone", "Europe/Warsaw") in kept
    assert ("Record", f"merged with (and took the links of) the record {drop}") in kept
    dropped = {(e.field, e.new) for e in history.history(db.uow(), "city", drop)}
    assert ("Record", f"merged into the record {keep}") in dropped


def test_merge_keeps_a_partnership_to_one_membership(db: Database) -> None:
    keep, drop = _city(db, "Krakow", "PL"), _city(db, "Kraków", "PL")
    partnership = records.create(db.uow(), "partnership", {
        "title": "P", "kind": "twinning", "status": "active"}).id
    for city in (keep, drop):
        records.create(db.uow(), "membership", {"partnership_id": partnership, "city_id": city,
                                                "role": "partner"})
    merge(db, "city", keep, drop)
    members = records.list_page(db.uow(), "membership", ListQuery(
        filters=(("partnership_id", partnership),)))
    assert len(members) == 1


def test_merge_refuses_nonsense(db: Database) -> None:
    a = _city(db, "A")
    with pytest.raises(ValidationError):
        merge(db, "city", a, a)
    with pytest.raises(ValidationError):
        merge(db, "partnership", a, a + "x")
    with pytest.raises(NotFoundError):
        merge(db, "city", a, "no-such-id")


@pytest.mark.file_only  # the command line on a file's path and its backups
def test_duplicates_and_merge_commands(db: Database, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    from citypartner_desktop.cli import main
    from citypartner_desktop.services.backups import list_backups

    keep, drop = _city(db, "Krakow", "PL"), _city(db, "Kraków", "PL")
    path = str(db.path)
    db.close()
    assert main(["duplicates", "cities", "--db", path]) == 0
    out = capsys.readouterr().out
    assert f"citypartner merge cities {min(keep, drop)} {max(keep, drop)}" in out
    assert "1 possible duplicates." in out
    assert main(["merge", "cities", keep, drop, "--take", "name", "--db", path]) == 0
    assert f"Merged {drop} into {keep}" in capsys.readouterr().out
    assert main(["merge", "cities", keep, drop, "--db", path]) == 1  # already merged
    assert "No city with id" in capsys.readouterr().err
    assert main(["merge", "cities", keep, keep, "--take", "shoe", "--db", path]) == 1
    assert [b.reason for b in list_backups(db.path)] == ["before-merge"]


def test_merge_contacts_moves_roles_without_doubling(db: Database) -> None:
    uow = db.uow
    keep = records.create(uow(), "contact", {"full_name": "Anna Nowak",
                                             "email": "anna@example.pl"}).id
    drop = records.create(uow(), "contact", {"full_name": "Anna  Nowak",
                                             "phone": "+48 12 616 12 00"}).id
    partnership = records.create(uow(), "partnership", {
        "title": "P", "kind": "twinning", "status": "active"}).id
    activity = records.create(uow(), "activity", {
        "partnership_id": partnership, "kind": "meeting", "title": "Kick-off",
        "start_date": "2025-01-10"}).id
    for contact in (keep, drop):  # both took part: one participant remains
        records.create(uow(), "participant", {"activity_id": activity, "contact_id": contact})
    records.create(uow(), "coordinator", {"partnership_id": partnership, "contact_id": drop})
    moved = merge(db, "contact", keep, drop)
    assert moved == {"coordinator": 1, "participant": 1}
    merged = records.get(uow(), "contact", keep).values
    assert (merged["email"], merged["phone"]) == ("anna@example.pl", "+48126161200")
    participants = records.list_page(uow(), "participant", ListQuery(
        filters=(("activity_id", activity),), columns=("contact_id",)))
    assert [r.values for r in participants] == [("Anna Nowak",)]
    coordinators = records.list_page(uow(), "coordinator", ListQuery(
        filters=(("partnership_id", partnership),), columns=("contact_id",)))
    assert [r.values for r in coordinators] == [("Anna Nowak",)]
