"""Visit packs with minimal contacts (data minimisation for a laptop on a trip), both ways a
pack is made — row by row (chosen partnerships; every pack of an office on a server) and the
``--all`` snapshot of an office file: the contacts go without e-mail, phone, notes, languages
and data-protection details but the legal basis, without their own attachments and without
the history that held those values; nothing of them is left in the file's bytes; the base
copy is as minimal as the rows, so merging back keeps the office's e-mails and phones. The
command line suggests encryption for an unencrypted pack that holds contacts."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import attachments, records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs import merge, minimal
from citypartner_desktop.services.visit_packs.create import create
from citypartner_desktop.services.visit_packs.scope import Scope
from tests.conftest import open_location
from tests.test_cli import run

LAPTOP = Actor(user="anna@laptop", installation_id="00000000-0000-4000-8000-00000000000a")
TODAY = date(2026, 12, 6)
EMAILS = ("anna.kowalska@krakow.example", "old.anna@krakow.example",
          "hans.mueller@nuernberg.example")
PHONE = "+48126161200"
NOTES = "Allergic to hazelnuts; daughter studies in Erlangen"
SOURCE = "Eurocities conference 2025 attendee list"
CARD = b"PRIVATE business card scan of Anna Kowalska " * 200
CARD_NAME = "anna-kowalska-business-card.png"
PRIVATE: tuple[bytes, ...] = (*(e.encode() for e in EMAILS), PHONE.encode(), NOTES.encode(),
                              SOURCE.encode(), b"PRIVATE business card", CARD_NAME.encode())


@dataclasses.dataclass
class Office:
    db: Database
    partnership: str
    anna: str
    hans: str


@pytest.fixture
def office(db: Database, tmp_path: Path) -> Office:
    def new(record_kind: str, **values: object) -> str:
        return records.create(db.uow(), record_kind, values).id

    home = new("city", name="Nürnberg", country="DE", is_home=True)
    krakow = new("city", name="Kraków", country="PL")
    partnership = new("partnership", title="Nürnberg – Kraków", kind="twinning",
                      status="active")
    for city in (home, krakow):
        new("membership", partnership_id=partnership, city_id=city)
    anna = new("contact", full_name="Anna Kowalska", title="Dr.", position="Mayor",
               organisation="City of Kraków", city_id=krakow, email="old.anna@krakow.example",
               phone="+48 12 616 12 00", languages="pl, en", notes=NOTES,
               legal_basis="legitimate_interest", data_source=SOURCE,
               consent_date="2025-03-01", review_date="2027-03-01")
    # the old address now lives in the history only
    records.update(db.uow(), "contact", anna, {"email": EMAILS[0]})
    hans = new("contact", full_name="Hans Müller", position="Protocol officer",
               organisation="Stadt Nürnberg", city_id=home, email=EMAILS[2])
    with db.uow() as uow:  # set by the privacy feature, not a form field
        packs_repo.update_row(uow.session, "contacts", hans,
                              {"consent_withdrawn_on": date(2026, 1, 5)}, None)
        uow.commit()
    card = tmp_path / CARD_NAME
    card.write_bytes(CARD)
    attachments.attach(db.uow(), "contact", anna, card)
    minutes = tmp_path / "minutes.txt"
    minutes.write_bytes(b"Minutes of the partnership meeting")
    attachments.attach(db.uow(), "partnership", partnership, minutes)
    return Office(db, partnership, anna, hans)


def _scope(office: Office, everything: bool) -> Scope:
    if everything:
        return Scope(everything=True, minimal_contacts=True)
    return Scope(partnerships=(office.partnership,), minimal_contacts=True)


def _file_bytes(path: Path) -> bytes:
    """The pack and any journal beside it."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("everything", [False, True], ids=["selection", "all"])
def test_a_minimal_pack_holds_no_private_details(office: Office, tmp_path: Path,
                                                 everything: bool) -> None:
    path = tmp_path / "visit.cpack"
    made = create(office.db, _scope(office, everything), path, today=TODAY)
    assert made.minimal_contacts and made.contacts == 2
    assert made.attachments == 1  # the partnership's minutes; not the contact's card
    laptop = open_db(path, LAPTOP)
    try:
        assert laptop.health() == "ok"
        assert minimal.is_minimal(laptop)
        with laptop.uow() as uow:
            info = packs_repo.pack_info(uow.session)
            assert info is not None and info.scope["minimal_contacts"] is True
            contacts = {str(r["id"]): r for r in packs_repo.rows(uow.session, "contacts")}
            base = {str(r["id"]): r for t, r in packs_repo.base_rows(uow.session)
                    if t == "contacts"}
            files = packs_repo.rows(uow.session, "attachments")
            history = packs_repo.rows(uow.session, "changes")
        assert set(contacts) == {office.anna, office.hans}
        for rows in (contacts, base):  # the base copy is as minimal as the rows
            for row in rows.values():
                assert all(row[name] is None for name in minimal.LEFT_OUT), row
        anna = contacts[office.anna]
        assert (anna["full_name"], anna["title"], anna["position"], anna["organisation"],
                anna["legal_basis"]) == ("Anna Kowalska", "Dr.", "Mayor", "City of Kraków",
                                         "legitimate_interest")
        assert anna["city_id"] is not None and anna["search_key"] == (
            "anna kowalska | city of krakow | mayor")
        assert [f["owner_kind"] for f in files] == ["partnership"]
        assert not [h for h in history
                    if h["record_kind"] == "contact" and h["field"] in minimal.LEFT_OUT]
        # found by name, no longer by the address
        assert [r.id for r in records.list_page(laptop.uow(), "contact", ListQuery(
            search="kowalsk", limit=5))] == [office.anna]
        assert records.list_page(laptop.uow(), "contact", ListQuery(
            search="krakow.example", limit=5)) == []
    finally:
        laptop.close()
    data = _file_bytes(path)
    assert b"Anna Kowalska" in data  # the names travel (and the test reads the right bytes)
    for private in PRIVATE:
        assert private not in data, private
    plain = sqlite3.connect(path)
    try:
        assert plain.execute("PRAGMA freelist_count").fetchone() == (0,)
    finally:
        plain.close()


@pytest.mark.parametrize("everything", [False, True], ids=["selection", "all"])
def test_merging_a_minimal_pack_back_keeps_the_offices_private_details(
        office: Office, tmp_path: Path, everything: bool) -> None:
    with office.db.uow() as uow:
        before = {str(r["id"]): r for r in packs_repo.rows(uow.session, "contacts")}
    path = tmp_path / "visit.cpack"
    create(office.db, _scope(office, everything), path, today=TODAY)
    laptop = open_db(path, LAPTOP)
    try:
        records.update(laptop.uow(), "contact", office.anna, {"position": "Deputy Mayor"})
    finally:
        laptop.close()
    pack = merge.open_pack(path)
    try:
        analysis = merge.analyse(office.db, pack)
        result = merge.apply(office.db, analysis)
    finally:
        pack.close()
    assert result.conflicts_left == () and result.refused == ()
    assert result.summary["updated"] == 1
    with office.db.uow() as uow:
        after = {str(r["id"]): r for r in packs_repo.rows(uow.session, "contacts")}
        files = packs_repo.rows(uow.session, "attachments")
    assert after[office.anna]["position"] == "Deputy Mayor"
    for contact in (office.anna, office.hans):
        for name in minimal.LEFT_OUT:
            assert after[contact][name] == before[contact][name], (contact, name)
    assert after[office.anna]["email"] == EMAILS[0] and after[office.anna]["phone"] == PHONE
    assert after[office.hans]["consent_withdrawn_on"] == date(2026, 1, 5)
    assert sorted(f["owner_kind"] for f in files) == ["contact", "partnership"]
    # the office's search key still holds the address
    assert [r.id for r in records.list_page(office.db.uow(), "contact", ListQuery(
        search="anna.kowalska@krakow", limit=5))] == [office.anna]


@pytest.mark.parametrize("everything", [False, True], ids=["selection", "all"])
def test_an_encrypted_minimal_pack(office: Office, tmp_path: Path, everything: bool) -> None:
    path = tmp_path / "visit.cpack"
    create(office.db, _scope(office, everything), path, today=TODAY,
           passphrase="Wawel-Smok 2027")
    assert b"Anna Kowalska" not in path.read_bytes()
    laptop = open_db(path, LAPTOP, passphrase="Wawel-Smok 2027")
    try:
        assert laptop.health() == "ok" and minimal.is_minimal(laptop)
        with laptop.uow() as uow:
            rows = packs_repo.rows(uow.session, "contacts")
        assert {r["email"] for r in rows} == {None} and len(rows) == 2
    finally:
        laptop.close()


# -- the command line ---------------------------------------------------------------------
@pytest.fixture
def cli_office(location: str) -> tuple[str, str]:
    db = open_location(location)
    try:
        city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
        partnership = records.create(db.uow(), "partnership", {
            "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
        records.create(db.uow(), "membership", {"partnership_id": partnership,
                                                "city_id": city})
        records.create(db.uow(), "contact", {"full_name": "Anna Kowalska", "city_id": city,
                                             "email": EMAILS[0], "phone": PHONE})
    finally:
        db.close()
    return location, partnership


def _contact(where: str) -> dict[str, Any]:
    db = open_location(where)
    try:
        with db.uow() as uow:
            [row] = packs_repo.rows(uow.session, "contacts")
            return row
    finally:
        db.close()


def test_the_cli_makes_a_minimal_pack_and_suggests_encryption(cli_office: tuple[str, str],
                                                              tmp_path: Path) -> None:
    where, partnership = cli_office
    pack = tmp_path / "visit.cpack"
    made = run("pack", "create", "--db", where, "--partnership", partnership, "-o", str(pack),
               "--minimal-contacts")
    assert made.returncode == 0, made.stderr
    assert "contacts without e-mail, phone and notes" in made.stdout
    assert made.stderr.strip() == (
        "This pack holds personal data of 1 contacts and is not encrypted; use "
        "--passphrase-file (encrypt it with a passphrase) for a laptop that leaves the "
        "office.")
    assert EMAILS[0].encode() not in pack.read_bytes()
    assert _contact(str(pack))["email"] is None
    assert run("set", "contact", _contact(str(pack))["id"], "position=Mayor", "--db",
               str(pack)).returncode == 0
    merged = run("pack", "merge", str(pack), "--db", where)
    assert merged.returncode == 0, merged.stderr
    anna = _contact(where)
    assert (anna["email"], anna["phone"], anna["position"]) == (EMAILS[0], PHONE, "Mayor")


@pytest.mark.file_only
def test_the_cli_all_minimal(cli_office: tuple[str, str], tmp_path: Path) -> None:
    where, _partnership = cli_office
    pack = tmp_path / "all.cpack"
    made = run("pack", "create", "--db", where, "--all", "-o", str(pack), "--minimal-contacts")
    assert made.returncode == 0, made.stderr
    assert "personal data of 1 contacts" in made.stderr
    assert EMAILS[0].encode() not in pack.read_bytes()
    assert PHONE.encode() not in pack.read_bytes()


def test_no_suggestion_for_an_encrypted_pack(cli_office: tuple[str, str],
                                             tmp_path: Path) -> None:
    where, partnership = cli_office
    secret = tmp_path / "secret.txt"
    secret.write_text("Wawel-Smok 2027\n", encoding="utf-8")
    made = run("pack", "create", "--db", where, "--partnership", partnership, "-o",
               str(tmp_path / "visit.cpack"), "--passphrase-file", str(secret))
    assert made.returncode == 0, made.stderr
    assert "encrypted" in made.stdout
    assert "personal data" not in made.stderr and "--passphrase-file" not in made.stderr


def test_no_suggestion_for_a_pack_without_contacts(location: str, tmp_path: Path) -> None:
    db = open_location(location)
    try:
        partnership = records.create(db.uow(), "partnership", {
            "title": "Nürnberg – Lyon", "kind": "twinning", "status": "active"}).id
    finally:
        db.close()
    made = run("pack", "create", "--db", location, "--partnership", partnership, "-o",
               str(tmp_path / "visit.cpack"))
    assert made.returncode == 0, made.stderr
    assert "personal data" not in made.stderr
