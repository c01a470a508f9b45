"""Erasing a person, on either engine: their fields, their history's values, their files and
their mentions are gone from every table read through SQL; the record, its links and the
fact of each change stay; the register keeps no personal data; bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import Base
from citypartner_desktop.domain.errors import NotFoundError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import attachments, erasure, records
from citypartner_desktop.services.erasure import AlreadyErasedError, ErasureEntry
from tests.test_cli import run

NAME = "Zofia Wiśniewska"
EMAIL = "zofia.wisniewska@krakow.example"
PHONE = "+48601234567"
TRACES = (NAME, EMAIL, PHONE, "zofia.old@krakow.example")


@pytest.fixture
def office(db: Database, tmp_path: Path) -> dict[str, str]:
    uow = db.uow
    city = records.create(uow(), "city", {"name": "Kraków", "country": "PL"}).id
    person = records.create(uow(), "contact", {
        "full_name": NAME, "email": "zofia.old@krakow.example", "phone": PHONE,
        "city_id": city, "position": "Youth worker", "notes": "Met in Lyon; vegetarian",
        "legal_basis": "consent", "consent_date": "2025-01-10"}).id
    records.update(uow(), "contact", person, {"email": EMAIL})  # the old one in the history
    other = records.create(uow(), "contact", {"full_name": "Jan Kowalski", "city_id": city,
                                              "notes": f"Deputy of {NAME}"}).id
    partnership = records.create(uow(), "partnership", {
        "title": "Kraków – Lyon", "kind": "twinning", "status": "active",
        "aims": f"Ask {EMAIL} about the youth exchange"}).id
    records.create(uow(), "coordinator", {"partnership_id": partnership, "contact_id": person})
    activity = records.create(uow(), "activity", {
        "partnership_id": partnership, "kind": "visit", "title": "Youth exchange",
        "start_date": "2025-04-01", "participant_count": 12}).id
    records.create(uow(), "participant", {"activity_id": activity, "contact_id": person})
    action = records.create(uow(), "action", {"partnership_id": partnership,
                                              "title": "Send the programme",
                                              "owner": NAME}).id
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4 " + NAME.encode() + b" passport scan")
    attachments.attach(uow(), "contact", person, scan)
    return {"person": person, "other": other, "partnership": partnership,
            "activity": activity, "action": action}


def _everything(db: Database) -> str:
    """Every table's every row, as text, read through SQL (history and register included)."""
    parts: list[str] = []
    with db.uow() as uow:
        for table in Base.metadata.sorted_tables:
            for row in uow.session.execute(select(table)).all():
                parts.extend(v.decode("latin-1") if isinstance(v, bytes) else str(v)
                             for v in row)
    return "\n".join(parts)


def _row(db: Database, table: str, record_id: str) -> dict[str, Any]:
    target = Base.metadata.tables[table]
    with db.uow() as uow:
        return dict(uow.session.execute(select(target).where(target.c.id == record_id))
                    .mappings().one())


def test_erasure_leaves_nothing_of_the_person_and_keeps_the_story(
        db: Database, office: dict[str, str]) -> None:
    text = _everything(db)
    assert all(trace in text for trace in TRACES)  # the check below can fail
    done = erasure.erase(db, office["person"], f"{NAME} asked by e-mail",
                         when=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    assert (done.attachments, done.history_rows >= 2, done.mentions >= 3) == (1, True, True)
    text = _everything(db)
    for trace in TRACES:
        assert trace.lower() not in text.lower(), trace
    person = _row(db, "contacts", office["person"])
    assert person["full_name"] == erasure.ERASED_NAME
    assert person["email"] is person["phone"] is person["notes"] is person["position"] is None
    assert person["city_id"] is not None  # counts per city stay true
    # The story stays: still a coordinator and a participant; the fact of each change too.
    assert records.list_page(db.uow(), "participant", ListQuery(
        filters=(("activity_id", office["activity"]),)))
    assert _row(db, "actions", office["action"])["owner"] == "[erased]"
    assert "[erased]" in str(_row(db, "contacts", office["other"])["notes"])
    with db.uow() as uow:
        changes = Base.metadata.tables["changes"]
        fields = [r.field for r in uow.session.execute(select(changes).where(
            changes.c.record_id == office["person"]))]
    assert "email" in fields and "erased" in fields
    # The search finds them no more; the register keeps who and why, not them.
    assert not records.list_page(db.uow(), "contact", ListQuery(search="Wiśniewska"))
    assert not records.list_page(db.uow(), "action", ListQuery(search="zofia"))
    [entry] = erasure.register(db)
    assert entry.contact_id == office["person"] and entry.reason == "[erased] asked by e-mail"


def test_bad_input_is_one_clear_line_and_changes_nothing(db: Database,
                                                         office: dict[str, str]) -> None:
    before = _everything(db)
    with pytest.raises(NotFoundError, match='No contact with id "nobody"'):
        erasure.erase(db, "nobody")
    assert _everything(db) == before
    erasure.erase(db, office["person"])
    after = _everything(db)
    with pytest.raises(AlreadyErasedError, match="was already erased on"):
        erasure.erase(db, office["person"])
    with pytest.raises(AlreadyErasedError):
        erasure.name_to_erase(db, office["person"])
    assert _everything(db) == after


def test_a_register_entry_from_elsewhere_erases_the_person_here(
        db: Database, office: dict[str, str]) -> None:
    """What a restored backup or a merged pack brings back is erased again: entries of
    another register (a pack's) are applied, and applying them twice does nothing more."""
    entry = ErasureEntry(office["person"], datetime(2026, 12, 1, tzinfo=UTC), "jan@office",
                         "asked in person")
    assert erasure.reapply(db, [entry]) == 1
    assert NAME not in _everything(db) and EMAIL not in _everything(db)
    assert erasure.register(db)[0].erased_by == "jan@office"
    assert erasure.reapply(db, [entry]) == 0


def test_mentions_brought_back_under_an_erased_name_are_found_by_clues(
        db: Database, office: dict[str, str]) -> None:
    """A merged pack can bring back a mention when the person's own row is already erased:
    the pack's copy of the person tells what to look for."""
    erasure.erase(db, office["person"])
    records.update(db.uow(), "action", office["action"], {"notes": f"Call {PHONE}"})
    clue = erasure.Traces(office["person"], NAME, EMAIL, PHONE)
    assert erasure.reapply(db, (), [clue]) == 0  # no one came back whole …
    assert PHONE not in _everything(db)  # … but the mention is gone


def test_an_archive_from_before_the_erasure_is_restored_without_the_person(
        db: Database, office: dict[str, str], tmp_path: Path, new_location: str) -> None:
    """On either engine: `import all` of an archive made before the erasure, into a new
    database, erases the person again (this installation's register knows them)."""
    from citypartner_desktop.interop.archive import export_archive, import_archive
    from tests.conftest import open_location

    archive = tmp_path / "before.json"
    export_archive(db, archive)
    erasure.erase(db, office["person"])
    assert run("init", "--db", new_location).returncode == 0
    new = open_location(new_location)
    try:
        notes: list[str] = []
        import_archive(new, archive, notes=notes.append)
        assert any("erased again" in note for note in notes)
        text = _everything(new)
        for trace in TRACES:
            assert trace.lower() not in text.lower(), trace
    finally:
        new.close()


def test_a_pack_from_before_the_erasure_merges_back_without_the_person(
        db: Database, office: dict[str, str], tmp_path: Path) -> None:
    """On either engine: the visit changed the person in a pack made before the erasure;
    merging it back brings their row and history in, and erases them again."""
    from citypartner_desktop.db.uow import Actor
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.services.visit_packs.merge import analyse, apply, open_pack
    from citypartner_desktop.services.visit_packs.scope import Scope

    path = tmp_path / "visit.cpack"
    create(db, Scope(partnerships=(office["partnership"],)), path)
    laptop = open_db(path, Actor("anna@laptop", "laptop"))
    try:
        records.update(laptop.uow(), "contact", office["person"],
                       {"position": "Head of the youth office", "notes": f"Mobile {PHONE}"})
    finally:
        laptop.close()
    erasure.erase(db, office["person"])
    pack = open_pack(path)
    try:
        analysis = analyse(db, pack)
    finally:
        pack.close()
    result = apply(db, analysis, prefer="pack")
    assert result.erased_again == 1
    text = _everything(db)
    for trace in TRACES:
        assert trace.lower() not in text.lower(), trace
    assert _row(db, "contacts", office["person"])["position"] is None


def test_a_namesake_and_words_that_merely_contain_the_name_are_left_alone(
        db: Database) -> None:
    """Only whole words of the person are mentions; another contact of the same name keeps
    their name, history and notes; choices ("lead") are never rewritten."""
    city = records.create(db.uow(), "city", {"name": "Lyon", "country": "FR"}).id
    lea = records.create(db.uow(), "contact", {"full_name": "Lea", "city_id": city}).id
    anna = records.create(db.uow(), "contact", {"full_name": "Anna Nowak", "city_id": city}).id
    namesake = records.create(db.uow(), "contact", {
        "full_name": "Anna Nowak", "city_id": city, "notes": "Anna Nowak of the museum"}).id
    records.update(db.uow(), "contact", namesake, {"position": "Curator"})
    joanna = records.create(db.uow(), "contact", {"full_name": "Joanna Nowak", "city_id": city,
                                                  "notes": "Leads the choir"}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Lyon – Kraków", "kind": "twinning", "status": "active"}).id
    member = records.create(db.uow(), "membership", {
        "partnership_id": partnership, "city_id": city, "role": "lead"}).id
    erasure.erase(db, lea)
    erasure.erase(db, anna)
    assert _row(db, "memberships", member)["role"] == "lead"
    assert _row(db, "contacts", namesake)["full_name"] == "Anna Nowak"
    assert _row(db, "contacts", namesake)["notes"] == "Anna Nowak of the museum"
    assert _row(db, "contacts", joanna)["full_name"] == "Joanna Nowak"
    assert _row(db, "contacts", joanna)["notes"] == "Leads the choir"
    records.update(db.uow(), "membership", member, {"joined_on": "2020-01-01"})  # still valid


def test_a_name_beginning_beyond_ascii_is_found_in_any_letter_case(db: Database) -> None:
    city = records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"}).id
    person = records.create(db.uow(), "contact", {"full_name": "Łukasz Żak",
                                                  "city_id": city}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Łódź – Lyon", "kind": "twinning", "status": "active",
        "aims": "Ask ŁUKASZ ŻAK about the choir"}).id
    action = records.create(db.uow(), "action", {"partnership_id": partnership,
                                                 "title": "Call", "owner": "Łukasz Żak"}).id
    erasure.erase(db, person)
    assert _row(db, "partnerships", partnership)["aims"] == "Ask [erased] about the choir"
    assert _row(db, "actions", action)["owner"] == "[erased]"
    assert "żak" not in _everything(db).casefold()


def test_a_persons_other_addresses_and_numbers_are_erased_where_written(
        db: Database) -> None:
    """Their second e-mail and their mobile (kept among the details, or there once) are found
    in others' notes as their main ones are."""
    person = records.create(db.uow(), "contact", {
        "full_name": "Ewa Nowicka", "email": "ewa@um.example",
        "details": "email (pref): ewa@um.example\nemail (home): ewa.n@home.example"}).id
    records.update(db.uow(), "contact", person, {
        "details": "email (pref): ewa@um.example\nphone (mobile): +48600700800"})
    partnership = records.create(db.uow(), "partnership", {
        "title": "Gdańsk – Turku", "kind": "twinning", "status": "active",
        "aims": "Write to ewa.n@home.example or call +48600700800 after six"}).id
    erasure.erase(db, person)
    assert _row(db, "partnerships", partnership)["aims"] == (
        "Write to [erased] or call [erased] after six")
    assert "ewa.n@home" not in _everything(db)


def test_undoing_an_earlier_merge_does_not_bring_the_person_back(
        db: Database, office: dict[str, str], tmp_path: Path) -> None:
    """A merge's undo steps hold the fields it overwrote: the person's go with the erasure."""
    from citypartner_desktop.db.uow import Actor
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.services.visit_packs.merge import analyse, apply, open_pack, undo
    from citypartner_desktop.services.visit_packs.scope import Scope

    path = tmp_path / "visit.cpack"
    made = create(db, Scope(partnerships=(office["partnership"],)), path)
    laptop = open_db(path, Actor("anna@laptop", "laptop"))
    try:
        records.update(laptop.uow(), "contact", office["person"], {"position": "Head"})
    finally:
        laptop.close()
    pack = open_pack(path)
    try:
        analysis = analyse(db, pack)
    finally:
        pack.close()
    apply(db, analysis, prefer="pack")
    erasure.erase(db, office["person"])
    assert "Youth worker" not in _everything(db)
    undo(db, analysis.facts.pack_id)
    person = _row(db, "contacts", office["person"])
    assert (person["full_name"], person["position"]) == (erasure.ERASED_NAME, None)
    assert made.contacts >= 1 and "Youth worker" not in _everything(db)


@pytest.mark.file_only
def test_what_stops_the_file_being_cleared_is_said_and_can_be_done_again(
        db: Database, office: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The erasure is committed first; a VACUUM that fails (a full disk) is reported, not
    raised, and this installation remembers the erasure all the same."""
    import sqlite3

    from citypartner_desktop.db.database import Database as DatabaseClass

    def full(_self: object, *, secure: bool = False) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(DatabaseClass, "compact", full)
    done = erasure.erase(db, office["person"])
    assert done.file_problem is not None and "disk is full" in done.file_problem
    assert erasure.erased_among(db, [office["person"]]) == [office["person"]]
    monkeypatch.undo()
    assert erasure.clear_file(db) is None
