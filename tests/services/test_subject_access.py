"""Subject access: everything held about one person, gathered, written as JSON and as a PDF."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import Base, Erasure
from citypartner_desktop.domain.errors import CityPartnerError, NotFoundError
from citypartner_desktop.domain.specs import ENTITIES, FieldKind, spec_for
from citypartner_desktop.reports.subject_access import write_pdf
from citypartner_desktop.services import attachments, records
from citypartner_desktop.services.subject_access import (
    ContactErasedError,
    SubjectAccess,
    gather,
    write_json,
)

NAME = "Łucja Wąsowska"
EMAIL = "lucja.wasowska@krakow.example"
FILE = "Zgoda – Łucja.pdf".encode().decode()  # a name in any script survives
CONTENT = b"%PDF-1.4 consent form \x00\xff" * 100


def _tables_referring_to_contacts() -> set[str]:
    return {table.name for table in Base.metadata.tables.values()
            for key in table.foreign_keys
            if key.column.table.name == "contacts" and key.column.name == "id"}


class World:
    """Records made on demand with their required fields filled in, from the specs alone, so a
    row of any kind can be made to point at the person."""

    def __init__(self, db: Database, contact_id: str) -> None:
        self.db = db
        self.made: dict[str, str] = {"contact": contact_id}

    def record(self, kind: str) -> str:
        if kind not in self.made:
            self.made[kind] = self.make(kind)
        return self.made[kind]

    def make(self, kind: str, **given: Any) -> str:
        values: dict[str, Any] = {}
        for field in spec_for(kind).fields:
            if field.name in given or not field.required:
                continue
            if field.kind is FieldKind.REF and field.ref:
                values[field.name] = self.record(field.ref)
            elif field.default is not None:
                values[field.name] = field.default
            elif field.vocab:
                values[field.name] = field.vocab[0][0]
            elif field.kind is FieldKind.DATE:
                values[field.name] = "2024-05-01"
            elif field.kind is FieldKind.COUNTRY:
                values[field.name] = "PL"
            elif field.kind in (FieldKind.INT, FieldKind.FLOAT):
                values[field.name] = field.minimum if field.minimum is not None else 1
            else:
                values[field.name] = f"{spec_for(kind).label} {len(self.made)}"
        return records.create(self.db.uow(), kind, {**values, **given}).id


@pytest.fixture
def contact_id(db: Database) -> str:
    city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    return records.create(db.uow(), "contact", {
        "full_name": NAME, "title": "Dr.", "position": "Head of culture",
        "organisation": "Urząd Miasta", "city_id": city, "email": EMAIL,
        "legal_basis": "public_task", "consent_date": "2023-02-01"}).id


@pytest.fixture
def world(db: Database, contact_id: str) -> World:
    return World(db, contact_id)


@pytest.fixture
def held(db: Database, contact_id: str, world: World, tmp_path: Path) -> dict[str, str]:
    """A person linked as coordinator, participant and signatory, with a file, edits, an
    action they own, an evaluation they made and a note that names them."""
    partnership = world.make("partnership", title="Kraków – Kyoto friendship")
    world.made["partnership"] = partnership
    agreement = world.make("agreement", title="Memorandum 2024")
    activity = world.make("activity", title="Delegation visit to Kyoto",
                          start_date="2024-04-02",
                          summary=f"Minutes were sent to {EMAIL.upper()} afterwards.")
    ids = {
        "partnership": partnership, "agreement": agreement, "activity": activity,
        "coordinator": world.make("coordinator", partnership_id=partnership,
                                  contact_id=contact_id, responsibility="Culture exchange"),
        "participant": world.make("participant", activity_id=activity, contact_id=contact_id,
                                  role="Head of delegation"),
        "signatory": world.make("signatory", agreement_id=agreement, contact_id=contact_id,
                                signed_as="Deputy mayor"),
        # In capitals: found without regard to case, in any script.
        "action": world.make("action", title="Send the photos", owner=NAME.upper()),
        "evaluation": world.make("evaluation", period="2024", evaluated_on="2024-12-01",
                                 evaluator=NAME),
        # A longer name is another person: not a mention.
        "other_action": world.make("action", title="Book hotel", owner=f"{NAME}ówna"),
    }
    source = tmp_path / FILE
    source.write_bytes(CONTENT)
    ids["attachment"] = attachments.attach(db.uow(), "contact", contact_id, source)
    records.update(db.uow(), "contact", contact_id, {"phone": "+48 12 616 12 00"})
    records.update(db.uow(), "contact", contact_id, {"notes": "Prefers e-mail."})
    # A participation later deleted is still held, and marked so.
    records.delete(db.uow(), "participant", ids["participant"])
    return ids


def _links(access: SubjectAccess, table: str) -> list[Any]:
    return list(next(t for t in access.link_tables if t.table == table).links)


def test_gather_holds_everything_about_the_person(
        db: Database, contact_id: str, held: dict[str, str]) -> None:
    access = gather(db.uow(), contact_id)
    assert access.name == NAME
    fields = {f.name: f for f in access.fields}
    assert fields["full_name"].label == "Full name"
    assert fields["email"].value == EMAIL
    assert fields["city_id"].text == "Kraków (PL)"
    assert fields["consent_date"].value == date(2023, 2, 1)
    assert fields["consent_withdrawn_on"].label == "Consent withdrawn on"
    assert fields["legal_basis"].text == "Public task"
    assert not {"search_key", "city_label", "city_key"} & set(fields)

    [coordinator] = _links(access, "coordinators")
    assert coordinator.record.kind == "partnership"
    assert coordinator.record.title == "Kraków – Kyoto friendship"
    assert {f.name: f.value for f in coordinator.fields} == {
        "responsibility": "Culture exchange"}
    [participant] = _links(access, "participants")
    assert participant.record.title == "Delegation visit to Kyoto"
    assert participant.deleted_at is not None
    [signatory] = _links(access, "signatories")
    assert (signatory.record.id, signatory.record.title) == (held["agreement"],
                                                             "Memorandum 2024")
    assert signatory.fields[0].value == "Deputy mayor"
    headings = {t.table: t.heading for t in access.link_tables}
    assert headings["coordinators"] == "Partnerships (as coordinator)"
    assert headings["participants"] == "Activities (as participant)"
    assert headings["signatories"] == "Agreements (as signatory)"

    [attachment] = access.attachments
    assert (attachment.file_name, attachment.size) == (FILE, len(CONTENT))
    assert attachment.sha256 == hashlib.sha256(CONTENT).hexdigest()

    found = {(m.kind, m.id): m for m in access.mentions}
    assert found[("action", held["action"])].columns == ("owner",)
    assert found[("evaluation", held["evaluation"])].columns == ("evaluator",)
    assert found[("evaluation", held["evaluation"])].labels == ("Evaluator",)
    assert found[("activity", held["activity"])].columns == ("summary",)
    assert EMAIL.upper() in found[("activity", held["activity"])].excerpts[0]
    assert ("action", held["other_action"]) not in found
    assert ("contact", contact_id) not in found  # their own record is not a "mention"
    assert {m.kind for m in access.mentions_in("action", "evaluation")} == {
        "action", "evaluation"}

    changed = [c.field for c in access.history]
    assert changed[0] == "*" and "phone" in changed and "notes" in changed
    phone = next(c for c in access.history if c.field == "phone")
    assert (phone.label, phone.new, phone.who) == ("Phone", "+48126161200", db.uow().actor.user)
    assert phone.new_text == "+48 12 616 12 00"
    city = next(c for c in access.history if c.field == "city_id")
    assert (city.label, city.new_text) == ("City", "Kraków (PL)")  # the name, not the id
    basis = next(c for c in access.history if c.field == "legal_basis")
    assert basis.new_text == "Public task"


def test_the_json_file_holds_it_all_with_the_files(
        db: Database, contact_id: str, held: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "Łucja.json"
    assert write_json(gather(db.uow(), contact_id), target) == target
    raw = target.read_text(encoding="utf-8")
    assert NAME in raw  # readable, not \u-escaped
    document = json.loads(raw)
    assert set(document) == {"format", "format_version", "gathered_at", "contact_id", "name",
                             "deleted", "person", "field_labels", "links", "attachments",
                             "mentions", "history"}
    assert document["person"]["full_name"] == NAME
    assert document["person"]["city_name"] == "Kraków (PL)"
    assert document["person"]["consent_date"] == "2023-02-01"
    assert datetime.fromisoformat(document["person"]["created_at"]).tzinfo is not None
    assert set(document["links"]) == _tables_referring_to_contacts()
    [signatory] = document["links"]["signatories"]
    assert signatory["record"]["title"] == "Memorandum 2024"
    assert signatory["fields"] == {"signed_as": "Deputy mayor"}
    assert document["links"]["participants"][0]["deleted"] is True
    [attachment] = document["attachments"]
    assert base64.b64decode(attachment["content_base64"]) == CONTENT
    assert attachment["file_name"] == FILE
    assert attachment["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert {(m["table"], m["id"]) for m in document["mentions"]} >= {
        ("actions", held["action"]), ("evaluations", held["evaluation"])}
    assert any(h["field"] == "phone" for h in document["history"])
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_the_pdf_is_a_readable_document(
        db: Database, contact_id: str, held: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "subject access.pdf"
    access = gather(db.uow(), contact_id)
    assert write_pdf(access, target, office="Biuro Współpracy", generated=date(2025, 3, 1)
                     ) == target
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Everything we hold about" in text and NAME in text
    for words in ("Partnerships (as coordinator)", "History of their record", "Attachments",
                  "Kraków – Kyoto friendship", "Deputy mayor", "Send the photos", FILE,
                  hashlib.sha256(CONTENT).hexdigest()[:16]):
        assert words in text, words


def test_every_table_that_refers_to_contacts_is_reported(
        db: Database, contact_id: str, world: World) -> None:
    """A table added later with a foreign key to contacts is in the export without anyone
    listing it: a row of each, made from its spec alone, is found."""
    tables = _tables_referring_to_contacts()
    assert {"coordinators", "participants", "signatories"} <= tables
    made = {}
    for table in sorted(tables):
        spec = next((s for s in ENTITIES.values() if s.table == table), None)
        assert spec is not None, f"{table} refers to contacts but is no record kind"
        person_fields = [f.name for f in spec.fields if f.ref == "contact"]
        made[table] = world.make(spec.kind, **dict.fromkeys(person_fields, contact_id))
    access = gather(db.uow(), contact_id)
    assert {t.table for t in access.link_tables} == tables
    for link_table in access.link_tables:
        assert [link.id for link in link_table.links] == [made[link_table.table]]


def test_a_deleted_contact_is_still_reported(db: Database, contact_id: str) -> None:
    records.delete(db.uow(), "contact", contact_id)
    access = gather(db.uow(), contact_id)
    assert access.deleted_at is not None
    assert any(c.field == "deleted_at" for c in access.history)


def test_an_unknown_id_is_refused_in_one_line(db: Database) -> None:
    with pytest.raises(NotFoundError) as raised:
        gather(db.uow(), "no-such-id")
    assert str(raised.value) == 'No contact with id "no-such-id".'


def test_an_erased_contact_is_refused_in_one_line(db: Database, contact_id: str) -> None:
    with db.uow() as uow:
        uow.session.add(Erasure(contact_id=contact_id, reason="asked",
                                erased_at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC),
                                erased_by="admin@office"))
        uow.commit()
    with pytest.raises(ContactErasedError) as raised:
        gather(db.uow(), contact_id)
    assert isinstance(raised.value, CityPartnerError)
    assert str(raised.value) == (f"Contact {contact_id} was erased on 2025-01-31; nothing "
                                 "about the person is held any more.")


def test_a_file_changed_after_gathering_is_not_exported(
        db: Database, contact_id: str, held: dict[str, str], tmp_path: Path) -> None:
    access = gather(db.uow(), contact_id)
    with db.uow() as uow:
        uow.session.execute(Base.metadata.tables["attachments"].update().values(
            content=b"other", sha256="0" * 64))
        uow.commit()
    target = tmp_path / "out.json"
    with pytest.raises(CityPartnerError, match="was changed or removed"):
        write_json(access, target)
    assert list(tmp_path.glob("*.json")) == []
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
