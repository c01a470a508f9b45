"""The record of processing activities (GDPR Art. 30): its figures, counted from the database,
and the PDF that states them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import Contact, Erasure
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.retention import RetentionPolicy
from citypartner_desktop.reports.make import TITLES, ReportRequest, make_report
from citypartner_desktop.services import attachments, privacy_review, processing_record, records
from citypartner_desktop.services.privacy_review import INACTIVE_YEARS_KEY, set_inactive_years
from citypartner_desktop.services.processing_record import (
    NONE_RECORDED,
    ProcessingRecordData,
    gather,
)
from tests.reports.conftest import GENERATED, create, has, pdf_text

LONG_AGO = datetime(2015, 1, 1, tzinfo=UTC)


def _created_long_ago(db: Database, *contact_ids: str) -> None:
    uow = db.uow()
    with uow:
        uow.session.execute(update(Contact).where(Contact.id.in_(contact_ids))
                            .values(created_at=LONG_AGO))
        uow.commit()


def _erased(db: Database, contact_id: str, when: datetime) -> None:
    uow = db.uow()
    with uow:
        uow.session.add(Erasure(contact_id=contact_id, erased_at=when, erased_by="admin@office",
                                reason="asked to be forgotten"))
        uow.commit()


def _withdraw_consent(db: Database, contact_id: str, on: date) -> None:
    uow = db.uow()
    with uow:
        uow.session.execute(update(Contact).where(Contact.id == contact_id)
                            .values(consent_withdrawn_on=on))
        uow.commit()


@pytest.fixture
def tiny(db: Database, tmp_path: Path) -> dict[str, str]:
    """Two contacts with consent (one withdrawn since), one with no legal basis, one erased
    person, one deleted contact; known links, fields, reviews and activity."""
    home = create(db, "city", name="Nuremberg", native_name="Nürnberg", country="DE",
                  is_home=True)
    kyoto = create(db, "city", name="Kyoto", native_name="京都市", country="JP")
    partnership = create(db, "partnership", title="Nuremberg–Kyoto", kind="twinning",
                         status="active")
    ids = {
        "ana": create(db, "contact", full_name="Ana Łukasiewicz", city_id=kyoto,
                      email="ana@kyoto.example", phone="+81 75 222 3111",
                      legal_basis="consent", data_source="Business card",
                      consent_date="2020-01-01", review_date=(GENERATED - timedelta(days=10))
                      .isoformat()),
        "ben": create(db, "contact", full_name="Ben Tanaka", city_id=kyoto, title="Dr.",
                      legal_basis="consent", data_source="Business card",
                      review_date=GENERATED.isoformat()),
        "cat": create(db, "contact", full_name="Cat Meyer", city_id=home, notes="Met in 2019"),
        "gone": create(db, "contact", full_name="Erased Person", city_id=kyoto,
                       legal_basis="consent"),
        "deleted": create(db, "contact", full_name="Deleted Person", legal_basis="consent"),
    }
    create(db, "coordinator", partnership_id=partnership, contact_id=ids["ana"])
    activity = create(db, "activity", partnership_id=partnership, kind="meeting",
                      title="Meeting", start_date="2024-06-01")
    create(db, "participant", activity_id=activity, contact_id=ids["ben"])
    card = tmp_path / "card.txt"
    card.write_text("a scanned card", encoding="utf-8")
    attachments.attach(db.uow(), "contact", ids["cat"], card)
    _withdraw_consent(db, ids["ben"], date(2025, 5, 1))
    records.delete(db.uow(), "contact", ids["gone"])
    _erased(db, ids["gone"], datetime(2025, 11, 2, 9, 30, tzinfo=UTC))
    records.delete(db.uow(), "contact", ids["deleted"])
    _created_long_ago(db, ids["ana"], ids["ben"], ids["cat"])
    return ids


def _bases(data: ProcessingRecordData) -> dict[str | None, int]:
    return {b.key: b.contacts for b in data.legal_bases}


def test_gather_counts_a_tiny_office(db: Database, tiny: dict[str, str]) -> None:
    data = gather(db.uow(), GENERATED)
    assert data.generated == GENERATED
    assert data.home_city == "Nuremberg (Germany)"
    assert data.contacts == 3  # the deleted and the erased contact are not counted
    assert data.erased == 1 and data.last_erasure == date(2025, 11, 2)
    assert data.soft_deleted == 1  # the erased person is no deleted-but-kept record
    assert dict(data.by_country) == {"Japan": 2, "Germany": 1}
    assert dict(data.by_link) == {"Coordinator of a partnership": 1,
                                  "Participant in an activity": 1,
                                  "Signatory of an agreement": 0, "None of these": 1}
    assert dict(data.fields) == {
        "Full name": 3, "Title": 1, "Position / role": 0, "Organisation": 0, "City": 3,
        "E-mail": 1, "Phone": 1, "Languages": 0, "Notes": 1, "Attached files": 1}
    # Every basis of the vocabulary in its order, then the contacts with none.
    assert [b.key for b in data.legal_bases] == [k for k, _l in vocab.LEGAL_BASES] + [None]
    assert _bases(data) == {"consent": 2, "contract": 0, "legal_obligation": 0,
                            "public_task": 0, "legitimate_interest": 0, None: 1}
    assert data.legal_bases[-1].label == NONE_RECORDED
    assert data.consent_withdrawn == 1
    assert dict(data.data_sources) == {"Business card": 2, NONE_RECORDED: 1}
    assert (data.review_due, data.review_overdue, data.no_review_date) == (2, 1, 1)
    assert data.backups == RetentionPolicy()
    assert (data.pack_merges, data.last_pack_merge) == (0, None)
    # No setting: the default of five years. Ben took part in 2024; Ana coordinates an active
    # partnership; Cat did neither.
    rule = data.inactivity
    assert (rule.years, rule.from_setting, rule.since) == (5, False, date(2021, 3, 15))
    assert rule.candidates == 1
    assert "coordinators of a partnership that is proposed, negotiating or active" in (
        rule.exceptions)


def test_the_figures_are_those_of_the_privacy_review(db: Database,
                                                      tiny: dict[str, str]) -> None:
    """The record and the dashboard's personal-data review count alike on the same day."""
    for years in (1, 5, 50):
        set_inactive_years(db.uow(), years)
        data = gather(db.uow(), GENERATED)
        review = privacy_review.review(db.uow(), GENERATED)
        assert data.inactivity.candidates == review.erasure_candidate_count
        assert data.review_due == review.review_due_count


def test_the_inactivity_rule_follows_the_office_setting(db: Database,
                                                         tiny: dict[str, str]) -> None:
    set_inactive_years(db.uow(), 1)  # Ben's meeting in 2024 is too long ago now
    rule = gather(db.uow(), GENERATED).inactivity
    assert (rule.years, rule.from_setting, rule.since) == (1, True, date(2025, 3, 15))
    assert rule.candidates == 2  # Ben and Cat; Ana still coordinates
    set_inactive_years(db.uow(), 50)  # everyone was recorded within the last 50 years
    rule = gather(db.uow(), GENERATED).inactivity
    assert (rule.years, rule.candidates) == (50, 0)


def test_a_broken_setting_falls_back_to_the_default(db: Database) -> None:
    from citypartner_desktop.repositories.monitoring_state import put_setting

    uow = db.uow()
    with uow:
        put_setting(uow.session, INACTIVE_YEARS_KEY, "five")
        uow.commit()
    rule = gather(db.uow(), GENERATED).inactivity
    assert (rule.years, rule.from_setting) == (5, False)


def test_the_storage_is_described_without_a_password(db: Database) -> None:
    storage = gather(db.uow(), GENERATED).storage
    if db.is_server:
        assert storage.on_server
        assert storage.description.startswith("shared office server ")
        url = db.engine.url
        host = url.host or "localhost"  # none (or a socket's folder): a local server
        assert storage.description == f"shared office server {host}/{url.database}"
        if url.password:
            assert str(url.password) not in storage.description
    else:
        assert not storage.on_server
        assert storage.description == f"a database file on this computer: {db.path.resolve()}"


def test_a_server_is_named_by_host_and_database() -> None:
    from citypartner_desktop.repositories.processing_record import StorageFacts

    describe = processing_record._storage
    assert describe(StorageFacts("postgresql", "db.city.example", "office")) == (
        processing_record.Storage(True, "shared office server db.city.example/office"))
    assert describe(StorageFacts("postgresql", "/run/postgresql", "office")).description == (
        "shared office server localhost/office")  # a Unix socket: this computer


def test_the_request_needs_neither_record_nor_year() -> None:
    assert TITLES["processing"] == "Record of processing activities"
    ReportRequest("processing").validate()


# -- on the demo office --------------------------------------------------------------------------
@pytest.fixture
def demo_db(db: Database) -> Database:
    from citypartner_desktop.services import demo

    demo.load_demo(db, "small", seed=1, today=date.today())
    return db


def test_the_demo_office_report(demo_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "record.pdf"
    out = make_report(demo_db.uow, ReportRequest("processing"), target, generated=GENERATED,
                      office="Office for International Relations · Nuremberg")
    assert out == target and target.read_bytes().startswith(b"%PDF")
    content = pdf_text(target)
    for expected in ("Record of processing activities", "Controller",
                     "Office for International Relations · Nuremberg",
                     "Purposes of the processing", "Categories of data subjects",
                     "Categories of personal data", "Legal bases", "Retention",
                     "Where the data is kept", "Deleted records still kept", "Nuremberg"):
        assert has(content, expected), expected

    data = gather(demo_db.uow(), GENERATED)
    uow = demo_db.uow()
    with uow:  # counted independently, in plain SQL
        rows = uow.session.execute(text(
            "SELECT NULLIF(TRIM(legal_basis), ''), COUNT(*) FROM contacts "
            "WHERE deleted_at IS NULL AND id NOT IN (SELECT contact_id FROM erasures) "
            "GROUP BY NULLIF(TRIM(legal_basis), '')")).all()
        live = uow.session.execute(text(
            "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL")).scalar_one()
    expected = {basis: int(n) for basis, n in rows}
    assert {k: n for k, n in _bases(data).items() if n} == expected
    assert sum(_bases(data).values()) == data.contacts == live > 0
    for b in data.legal_bases:  # each count is printed beside its label
        if b.contacts:
            assert has(content, f"{b.label}{b.contacts:,}".replace(",", "\u202f")), b.label
    # Top ten countries and the rest add up to every contact.
    assert sum(n for _c, n in data.by_country) == data.contacts
    assert len(data.by_country) <= 12


def test_the_demo_candidates_follow_the_setting(demo_db: Database) -> None:
    # The demo's contacts were recorded today: look from three years on, when a short rule
    # makes most of them candidates and a long one none.
    later = date.today() + timedelta(days=3 * 365)
    set_inactive_years(demo_db.uow(), 1)
    short = gather(demo_db.uow(), later).inactivity
    set_inactive_years(demo_db.uow(), 50)
    long = gather(demo_db.uow(), later).inactivity
    assert (short.years, long.years) == (1, 50)
    assert 0 < short.candidates <= gather(demo_db.uow(), later).contacts
    assert long.candidates == 0
