"""Visit packs end to end through the services: packed from the office (a file, or a server
with --engine postgresql), worked on offline as a database of its own by another person,
merged back field by field, merged twice, undone, and refused when it is no pack of this
office — each refusal changing nothing."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import PackMerge
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import archive as archive_repo
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import attachments, backups, history, records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs import merge
from citypartner_desktop.services.visit_packs.create import create
from citypartner_desktop.services.visit_packs.plan import DELETED
from citypartner_desktop.services.visit_packs.scope import Scope

LAPTOP = Actor(user="anna@laptop", installation_id="00000000-0000-4000-8000-00000000000a")
COLLEAGUE = Actor(user="jan@office-pc", installation_id="00000000-0000-4000-8000-00000000000b")
TODAY = date(2026, 12, 6)


@dataclasses.dataclass
class Office:
    db: Database
    krakow: str
    partnership: str
    other: str
    mayor: str
    visit: str
    action: str
    evaluation: str


@pytest.fixture
def office(db: Database) -> Office:
    def new(record_kind: str, **values: object) -> str:
        return records.create(db.uow(), record_kind, values).id

    home = new("city", name="Nürnberg", country="DE", is_home=True)
    krakow = new("city", name="Kraków", country="PL")
    lyon = new("city", name="Lyon", country="FR")
    partnership = new("partnership", title="Nürnberg – Kraków", kind="twinning",
                      status="active", start_date="1979-05-12", themes=["culture", "youth"])
    other = new("partnership", title="Nürnberg – Lyon", kind="twinning", status="active")
    for city in (home, krakow):
        new("membership", partnership_id=partnership, city_id=city)
    new("membership", partnership_id=other, city_id=lyon)
    mayor = new("contact", full_name="Anna Kowalska", city_id=krakow, email="anna@krakow.pl")
    new("contact", full_name="Jean Dupont", city_id=lyon)
    visit = new("activity", partnership_id=partnership, kind="visit",
                title="Delegation visit", start_date="2026-05-12", city_id=krakow)
    new("activity", partnership_id=partnership, kind="visit", title="Visit of 1990",
        start_date="1990-05-12")
    action = new("action", partnership_id=partnership, title="Send the photos",
                 due_date="2026-12-20")
    evaluation = new("evaluation", partnership_id=partnership, period="2025",
                     evaluated_on="2025-10-15", kind="annual",
                     scores={"relevance": (4, "fits")})
    return Office(db, krakow, partnership, other, mayor, visit, action, evaluation)


def _pack(office: Office, tmp_path: Path, **scope: Any) -> Path:
    target = tmp_path / "visit-krakow.cpack"
    create(office.db, Scope(**(scope or {"partnerships": (office.partnership,)})), target,
           today=TODAY)
    return target


def _on_laptop(path: Path) -> Database:
    return open_db(path, LAPTOP)


def _fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.uow() as uow:
        for table in archive_repo.tables():
            for row in archive_repo.read_rows(uow.session, table):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def _merge(office: Office, path: Path, **options: Any) -> merge.MergeResult:
    pack = merge.open_pack(path)
    try:
        analysis = merge.analyse(office.db, pack)
        return merge.apply(office.db, analysis, **options)
    finally:
        pack.close()


def test_a_pack_holds_the_partnership_and_what_a_visitor_needs(office: Office,
                                                               tmp_path: Path) -> None:
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        assert laptop.health() == "ok"
        about = merge.facts(laptop)
        assert about is not None and about.title == "Nürnberg – Kraków"
        assert about.banner.startswith("Visit pack for Nürnberg – Kraków, made on ")
        assert "merge it back when you are home" in about.banner
        titles = {r.values[0] for r in records.list_page(laptop.uow(), "partnership",
                                                         ListQuery(limit=10))}
        assert titles == {"Nürnberg – Kraków"}  # not the Lyon partnership
        cities = {r.values[0] for r in records.list_page(laptop.uow(), "city",
                                                         ListQuery(limit=10))}
        assert cities == {"Nürnberg", "Kraków"}
        contacts = {r.values[0] for r in records.list_page(laptop.uow(), "contact",
                                                           ListQuery(limit=10))}
        assert contacts == {"Anna Kowalska"}
        activities = {r.values[2] for r in records.list_page(laptop.uow(), "activity",
                                                             ListQuery(limit=10))}
        assert activities == {"Delegation visit"}  # the visit of 1990 stays home
        assert records.get(laptop.uow(), "evaluation", office.evaluation).values["scores"] == {
            "relevance": (4, "fits")}
    finally:
        laptop.close()


def test_changes_on_one_side_are_taken_and_both_sides_are_asked(office: Office,
                                                                tmp_path: Path) -> None:
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        records.update(laptop.uow(), "activity", office.visit, {
            "summary": "Met the mayor; agreed a youth camp.", "participant_count": "12"})
        records.update(laptop.uow(), "partnership", office.partnership,
                       {"aims": "Youth exchange", "lead_department": "Mayor's office"})
        new_contact = records.create(laptop.uow(), "contact", {
            "full_name": "Piotr Nowak", "city_id": office.krakow, "email": "p@krakow.pl"}).id
        camp = records.create(laptop.uow(), "activity", {
            "partnership_id": office.partnership, "kind": "meeting", "title": "Camp planning",
            "start_date": "2026-12-01"}).id
        records.create(laptop.uow(), "participant", {"activity_id": camp,
                                                     "contact_id": new_contact})
        records.delete(laptop.uow(), "action", office.action)
    finally:
        laptop.close()
    colleague = dataclasses.replace(office.db, actor=COLLEAGUE)
    records.update(colleague.uow(), "partnership", office.partnership,
                   {"aims": "Culture and youth", "status": "active"})
    records.update(colleague.uow(), "contact", office.mayor, {"phone": "+48 12 616 12 00"})

    result = _merge(office, path)

    [conflict] = result.conflicts_left
    assert (conflict.table, conflict.field) == ("partnerships", "aims")
    assert (conflict.office, conflict.pack) == ("Culture and youth", "Youth exchange")
    partnership = records.get(office.db.uow(), "partnership", office.partnership).values
    assert partnership["aims"] == "Culture and youth"  # the conflict: left as the office has it
    assert partnership["lead_department"] == "Mayor's office"  # the visit's alone: taken
    visit = records.get(office.db.uow(), "activity", office.visit).values
    assert visit["summary"] == "Met the mayor; agreed a youth camp."
    assert visit["participant_count"] == 12
    assert records.get(office.db.uow(), "contact", office.mayor).values["phone"] \
        == "+48126161200"  # the office's alone: kept
    assert records.get(office.db.uow(), "contact", new_contact).values["full_name"] \
        == "Piotr Nowak"  # new on the visit: added with its id
    assert records.get(office.db.uow(), "activity", camp).values["title"] == "Camp planning"
    with pytest.raises(CityPartnerError):
        records.get(office.db.uow(), "action", office.action)  # deleted on the visit
    # The visit's history came home with its author and time.
    entries = history.history(office.db.uow(), "activity", office.visit)
    # once, as the visitor wrote it on the laptop — not again by whoever merged
    assert [e.who for e in entries if e.field.startswith("Summary")] == [LAPTOP.user]


def test_merging_twice_changes_nothing_and_undo_takes_it_back(office: Office,
                                                              tmp_path: Path) -> None:
    before = _fingerprint(office.db)
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        records.update(laptop.uow(), "activity", office.visit, {"summary": "Met the mayor."})
        records.create(laptop.uow(), "contact", {"full_name": "Piotr Nowak",
                                                 "city_id": office.krakow})
        records.delete(laptop.uow(), "action", office.action)
    finally:
        laptop.close()
    _merge(office, path)
    merged = _fingerprint(office.db)
    again = _merge(office, path)
    assert again.refused and "already merged" in again.refused[0]
    assert _fingerprint(office.db) == merged

    pack = merge.open_pack(path)
    try:
        about = merge.facts(pack)
    finally:
        pack.close()
    assert about is not None
    merge.undo(office.db, about.pack_id)
    assert records.get(office.db.uow(), "activity", office.visit).values["summary"] is None
    assert records.get(office.db.uow(), "action", office.action).values["title"] \
        == "Send the photos"  # restored
    names = {r.values[0] for r in records.list_page(office.db.uow(), "contact",
                                                    ListQuery(limit=10))}
    assert "Piotr Nowak" not in names
    assert before != merged
    # Undone, the pack may be merged again.
    _merge(office, path)
    assert _fingerprint(office.db) != before


def test_a_record_deleted_on_one_side_and_changed_on_the_other_is_a_conflict(
        office: Office, tmp_path: Path) -> None:
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        records.delete(laptop.uow(), "activity", office.visit)
        records.update(laptop.uow(), "action", office.action, {"notes": "Photos on USB"})
    finally:
        laptop.close()
    records.update(office.db.uow(), "activity", office.visit, {"summary": "Report written"})
    records.delete(office.db.uow(), "action", office.action)
    result = _merge(office, path)
    assert sorted((c.table, c.field, c.office, c.pack) for c in result.conflicts_left) == [
        ("actions", DELETED, True, False), ("activities", DELETED, False, True)]
    # Left as the office has them: the activity with its edits, the action deleted.
    assert records.get(office.db.uow(), "activity", office.visit).values["summary"] \
        == "Report written"
    with pytest.raises(CityPartnerError):
        records.get(office.db.uow(), "action", office.action)


def test_choosing_the_visit_for_every_conflict(office: Office, tmp_path: Path) -> None:
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        records.delete(laptop.uow(), "activity", office.visit)
        records.update(laptop.uow(), "action", office.action, {"notes": "Photos on USB"})
    finally:
        laptop.close()
    records.update(office.db.uow(), "activity", office.visit, {"summary": "Report written"})
    records.delete(office.db.uow(), "action", office.action)
    result = _merge(office, path, prefer="pack")
    assert result.conflicts_left == ()
    with pytest.raises(CityPartnerError):
        records.get(office.db.uow(), "activity", office.visit)
    assert records.get(office.db.uow(), "action", office.action).values["notes"] \
        == "Photos on USB"  # brought back with the visit's edit


def test_the_same_new_city_on_both_sides_is_not_doubled(office: Office,
                                                        tmp_path: Path) -> None:
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        gdansk = records.create(laptop.uow(), "city", {
            "name": "Gdańsk", "country": "PL", "population": "470000"}).id
        records.create(laptop.uow(), "contact", {"full_name": "Ewa Gdańska", "city_id": gdansk})
    finally:
        laptop.close()
    ours = records.create(office.db.uow(), "city", {"name": "Gdańsk", "country": "PL"}).id
    pack = merge.open_pack(path)
    try:
        analysis = merge.analyse(office.db, pack)
        [duplicate] = analysis.duplicates
        assert (duplicate.pack_id, duplicate.office_id) == (gdansk, ours)
        merge.apply(office.db, analysis)
    finally:
        pack.close()
    found = records.list_page(office.db.uow(), "city", ListQuery(search="gdansk", limit=10))
    assert [r.id for r in found] == [ours]
    assert records.get(office.db.uow(), "city", ours).values["population"] == 470000
    [ewa] = records.list_page(office.db.uow(), "contact", ListQuery(search="ewa", limit=10))
    assert records.get(office.db.uow(), "contact", ewa.id).values["city_id"] == ours
    with office.db.uow() as uow:  # no history of a record the office never got
        assert changes_repo.of_record(uow.session, "city", gdansk, 10) == []


def test_a_pack_of_everything_round_trips(office: Office, tmp_path: Path) -> None:
    path = _pack(office, tmp_path, everything=True)
    laptop = _on_laptop(path)
    try:
        assert len(records.list_page(laptop.uow(), "partnership", ListQuery(limit=10))) == 2
    finally:
        laptop.close()
    before = _fingerprint(office.db)
    result = _merge(office, path)
    assert result.summary["new"] == 0 and result.summary["updated"] == 0
    assert result.conflicts_left == ()
    assert _fingerprint(office.db) == before  # an untouched pack changes nothing


def test_everything_from_an_office_file_is_a_pack_of_its_own(office: Office, tmp_path: Path,
                                                             ) -> None:
    """--all from a file copies the file in one snapshot: the copy must still be a pack
    (its own identity, no merge ledger of the office, a base of every record), searchable,
    without the files when they are left out, and merge back field by field."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of the visit" * 10_000)  # pages of its own
    attachments.attach(office.db.uow(), "partnership", office.partnership, photo)
    records.delete(office.db.uow(), "activity", office.visit)  # a gap in the rows
    earlier = _pack(office, tmp_path / "earlier", partnerships=(office.other,))
    _merge(office, earlier)  # the office now has a merge in its ledger
    path = tmp_path / "all.cpack"
    made = create(office.db, Scope(everything=True, attachments=False), path, today=TODAY)
    assert made.attachments == 0 and made.title == "All records"
    laptop = _on_laptop(path)
    try:
        with office.db.uow() as uow, laptop.uow() as pack_uow:
            assert packs_repo.database_id(pack_uow.session) != packs_repo.database_id(
                uow.session)
            assert pack_uow.session.query(PackMerge).count() == 0
            assert packs_repo.all_ids(pack_uow.session, "attachments", live_only=False) == set()
        about = merge.facts(laptop)
        assert about is not None and about.records == made.records
        found = records.list_page(laptop.uow(), "contact", ListQuery(search="kowalsk",
                                                                     limit=5))
        assert [r.id for r in found] == [office.mayor]  # the search tables came along
        records.update(laptop.uow(), "contact", office.mayor, {"notes": "Met at the fair"})
        records.create(laptop.uow(), "activity", {
            "partnership_id": office.partnership, "kind": "meeting", "title": "Fair",
            "start_date": "2026-12-01"})
    finally:
        laptop.close()
    assert b"a photo of the visit" not in path.read_bytes()
    plain = sqlite3.connect(path)
    try:  # no free pages that once held the files left out
        assert plain.execute("PRAGMA freelist_count").fetchone() == (0,)
    finally:
        plain.close()
    result = _merge(office, path)
    assert (result.summary["new"], result.summary["updated"]) == (1, 1)
    assert records.get(office.db.uow(), "contact", office.mayor).values["notes"] == (
        "Met at the fair")
    with office.db.uow() as uow:  # the office keeps its file: the pack left it out
        assert len(packs_repo.all_ids(uow.session, "attachments", live_only=True)) == 1


def _refused(office: Office, path: Path, message: str) -> None:
    before = _fingerprint(office.db)
    with pytest.raises(CityPartnerError, match=message):
        _merge(office, path)
    assert _fingerprint(office.db) == before


def test_a_pack_of_another_office_is_refused(office: Office, tmp_path: Path) -> None:
    other = open_db(tmp_path / "other.db", LAPTOP)
    try:
        records.create(other.uow(), "partnership", {"title": "Elsewhere", "kind": "twinning",
                                                    "status": "active"})
        pid = records.list_page(other.uow(), "partnership", ListQuery(limit=1))[0].id
        create(other, Scope(partnerships=(pid,)), tmp_path / "elsewhere.cpack")
    finally:
        other.close()
    _refused(office, tmp_path / "elsewhere.cpack", "made from another office database")


def test_a_database_that_is_no_pack_is_refused(office: Office, tmp_path: Path) -> None:
    open_db(tmp_path / "plain.db", LAPTOP).close()
    _refused(office, tmp_path / "plain.db", "no visit pack")


@pytest.mark.parametrize("damage", ["truncated", "text", "missing"])
def test_a_damaged_pack_is_refused(office: Office, tmp_path: Path, damage: str) -> None:
    path = _pack(office, tmp_path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:3000])
    elif damage == "text":
        path.write_text(json.dumps({"not": "a database"}), encoding="utf-8")
    else:
        path.unlink()
    _refused(office, path, "damaged|not a|does not exist|cannot")


def test_a_pack_of_a_newer_schema_is_refused(office: Office, tmp_path: Path) -> None:
    import sqlite3

    path = _pack(office, tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    _refused(office, path, "newer version")


def test_the_pack_file_is_whole_or_not_there(office: Office, tmp_path: Path) -> None:
    """A pack is written beside its name and renamed: a failed pack leaves no half file."""
    with pytest.raises(CityPartnerError, match="no partnership"):
        create(office.db, Scope(partnerships=("no-such-id",)), tmp_path / "x.cpack")
    assert list(tmp_path.glob("x.cpack*")) == []


@pytest.mark.file_only
def test_the_backup_before_the_merge_is_taken_while_analysing(office: Office,
                                                              tmp_path: Path) -> None:
    """``analyse(back_up=True)`` (the CLI's merge, the merge window) starts the office's
    backup once the pack is known to be this office's and not merged yet; ``apply`` waits for
    it and reports it. A plain analysis (a dry run) and an already merged pack take none."""
    path = _pack(office, tmp_path)
    laptop = _on_laptop(path)
    try:
        records.update(laptop.uow(), "contact", office.mayor, {"notes": "Met at the fair"})
    finally:
        laptop.close()
    pack = merge.open_pack(path)
    try:
        merge.analyse(office.db, pack)  # a dry run
        assert backups.list_backups(office.db.path) == []
        analysis = merge.analyse(office.db, pack, back_up=True)
        assert analysis.backup is not None
        result = merge.apply(office.db, analysis)
        assert result.backup is not None and result.backup == analysis.backup.result()
        assert [b.path for b in backups.list_backups(office.db.path)] == [result.backup]
        again = merge.analyse(office.db, pack, back_up=True)
        assert again.merged_before is not None and again.backup is None
    finally:
        pack.close()
    with sqlite3.connect(result.backup) as before:  # the office as it was before the merge
        assert before.execute("SELECT notes FROM contacts WHERE id = ?",
                              (office.mayor,)).fetchone() == (None,)
    before.close()


def test_a_colleagues_save_while_packing_does_not_split_the_pack(
        office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack is read as the office was when packing began (on a server too, where each
    statement would otherwise see what was committed meanwhile)."""
    from citypartner_desktop.services.visit_packs import create as create_module

    chosen = create_module.select

    def select_then_a_colleague_saves(*args: Any, **kwargs: Any) -> Any:
        selection = chosen(*args, **kwargs)
        records.update(office.db.uow(), "partnership", office.partnership,
                       {"title": "Renamed meanwhile"})
        return selection

    monkeypatch.setattr(create_module, "select", select_then_a_colleague_saves)
    laptop = _on_laptop(_pack(office, tmp_path))
    try:
        assert records.get(laptop.uow(), "partnership", office.partnership).values[
            "title"] == "Nürnberg – Kraków"
    finally:
        laptop.close()
