"""The personal-data review: review due, no legal basis, inactive contacts (candidates for
erasure), its setting, and the rules of the date consent was withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import Erasure
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.specs import CONTACT, CONTACT_DATA_PROTECTION, FieldKind
from citypartner_desktop.services import privacy_review, records

TODAY = date(2026, 11, 28)
LONG_AGO = datetime(2015, 1, 1, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class People:
    ids: dict[str, str]  # name -> contact id


def _old_contact(db: Database, **values: object) -> str:
    """A contact entered long ago (its birth time is what makes it a candidate at all)."""
    uow = db.uow()
    with uow:
        row = records.create_in(uow, "contact", values, created_at=LONG_AGO)
        uow.commit()
        return str(row.id)


def build(db: Database) -> People:
    """Contacts with known dates as of TODAY (2026-11-28); five years back is 2021-11-28."""
    def new(record_kind: str, **values: object) -> str:
        return records.create(db.uow(), record_kind, values).id

    ids: dict[str, str] = {}
    basis = {"legal_basis": "public_task"}
    # (a) review due
    ids["Ada Overdue"] = new("contact", full_name="Ada Overdue", review_date="2026-11-01",
                             **basis)
    ids["Ben Today"] = new("contact", full_name="Ben Today", review_date="2026-11-28", **basis)
    ids["Cleo Later"] = new("contact", full_name="Cleo Later", review_date="2027-01-15", **basis)
    # (b) no basis
    ids["Dan Nobasis"] = new("contact", full_name="Dan Nobasis")
    ids["Eva Withdrawn"] = new("contact", full_name="Eva Withdrawn", legal_basis="consent",
                               consent_date="2020-03-01", consent_withdrawn_on="2026-06-01")
    # (c) inactive or not: all entered long ago
    running = new("partnership", title="Running twinning", kind="twinning", status="active")
    ended = new("partnership", title="Old friendship", kind="friendship", status="ended")
    ids["Finn Idle"] = _old_contact(db, full_name="Finn Idle", **basis)
    ids["Gina Recent"] = _old_contact(db, full_name="Gina Recent", **basis)
    ids["Hugo Old"] = _old_contact(db, full_name="Hugo Old", **basis)
    ids["Ida Coordinator"] = _old_contact(db, full_name="Ida Coordinator", **basis)
    ids["Jon Ended"] = _old_contact(db, full_name="Jon Ended", **basis)
    ids["Kai Signatory"] = _old_contact(db, full_name="Kai Signatory", **basis)
    ids["Lea Expired"] = _old_contact(db, full_name="Lea Expired", **basis)
    ids["Nora Deleted Visit"] = _old_contact(db, full_name="Nora Deleted Visit", **basis)
    ids["Max Erased"] = _old_contact(db, full_name="Erased contact")  # no basis left either
    ids["Olga Gone"] = _old_contact(db, full_name="Olga Gone")
    ids["Pia New"] = new("contact", full_name="Pia New", **basis)  # entered today: not idle
    recent = new("activity", partnership_id=running, kind="visit", title="Visit 2025",
                 start_date="2025-05-01")
    old = new("activity", partnership_id=ended, kind="meeting", title="Meeting 2019",
              start_date="2019-03-01")
    gone = new("activity", partnership_id=running, kind="meeting", title="Deleted 2026",
               start_date="2026-01-10")
    new("participant", activity_id=recent, contact_id=ids["Gina Recent"])
    new("participant", activity_id=old, contact_id=ids["Hugo Old"])
    new("participant", activity_id=gone, contact_id=ids["Nora Deleted Visit"])
    records.delete(db.uow(), "activity", gone)
    new("coordinator", partnership_id=running, contact_id=ids["Ida Coordinator"])
    new("coordinator", partnership_id=ended, contact_id=ids["Jon Ended"])
    in_force = new("agreement", partnership_id=running, kind="charter", title="Charter",
                   status="in_force", signed_on="2010-05-01")
    expired = new("agreement", partnership_id=running, kind="memorandum", title="MoU",
                  status="in_force", signed_on="2012-01-01", expires_on="2020-12-31")
    new("signatory", agreement_id=in_force, contact_id=ids["Kai Signatory"])
    new("signatory", agreement_id=expired, contact_id=ids["Lea Expired"])
    records.delete(db.uow(), "contact", ids["Olga Gone"])
    uow = db.uow()
    with uow:
        uow.session.add(Erasure(contact_id=ids["Max Erased"], erased_at=utcnow(),
                                erased_by="tester", reason="asked to be forgotten"))
        uow.commit()
    return People(ids)


@pytest.fixture
def people(db: Database) -> People:
    return build(db)


def _names(items: tuple[privacy_review.PrivacyItem, ...]) -> list[str]:
    return [i.name for i in items]


def test_review_due_lists_contacts_whose_review_date_has_come(db: Database,
                                                              people: People) -> None:
    found = privacy_review.review(db.uow(), TODAY)
    assert _names(found.review_due) == ["Ada Overdue", "Ben Today"]  # longest overdue first
    assert found.review_due_count == 2
    ada, ben = found.review_due
    assert (ada.contact_id, ada.on, ada.reason) == (
        people.ids["Ada Overdue"], date(2026, 11, 1), "due since 2026-11-01")
    assert ben.reason == "due today"


def test_no_basis_lists_missing_basis_and_withdrawn_consent(db: Database,
                                                            people: People) -> None:
    found = privacy_review.review(db.uow(), TODAY)
    by_name = {i.name: i for i in found.no_basis}
    assert set(by_name) == {"Dan Nobasis", "Eva Withdrawn"}  # not the erased one, nor Olga
    assert found.no_basis_count == 2
    assert by_name["Dan Nobasis"].reason == "no legal basis recorded"
    assert by_name["Eva Withdrawn"].on == date(2026, 6, 1)
    assert by_name["Eva Withdrawn"].reason == "consent withdrawn 2026-06-01"
    assert by_name["Eva Withdrawn"].contact_id == people.ids["Eva Withdrawn"]


def test_inactive_contacts_are_candidates_for_erasure(db: Database, people: People) -> None:
    found = privacy_review.review(db.uow(), TODAY)
    assert found.inactive_years == privacy_review.DEFAULT_INACTIVE_YEARS == 5
    # The longest on file first (all five were entered the same day: by name)
    names = _names(found.erasure_candidates)
    assert names == ["Finn Idle", "Hugo Old", "Jon Ended", "Lea Expired", "Nora Deleted Visit"]
    assert found.erasure_candidate_count == 5
    hugo = found.erasure_candidates[1]
    assert (hugo.on, hugo.reason) == (date(2019, 3, 1), "last activity 2019-03-01")
    finn = next(i for i in found.erasure_candidates if i.name == "Finn Idle")
    assert finn.reason == "no activity; added 2015-01-01"
    assert finn.contact_id == people.ids["Finn Idle"]
    # Active through a recent activity, a running partnership, an agreement in force; or new
    for kept in ("Gina Recent", "Ida Coordinator", "Kai Signatory", "Pia New"):
        assert kept not in names


def test_an_erased_or_deleted_contact_is_never_listed(db: Database, people: People) -> None:
    found = privacy_review.review(db.uow(), TODAY)
    listed = {i.contact_id for items in (found.review_due, found.no_basis,
                                         found.erasure_candidates) for i in items}
    assert people.ids["Max Erased"] not in listed
    assert people.ids["Olga Gone"] not in listed


def test_the_setting_changes_the_candidates(db: Database, people: People) -> None:
    assert privacy_review.inactive_years(db.uow()) == 5
    assert privacy_review.set_inactive_years(db.uow(), 8) == 8
    assert privacy_review.inactive_years(db.uow()) == 8
    found = privacy_review.review(db.uow(), TODAY)
    assert found.inactive_years == 8
    # 2019 is within eight years: Hugo is no longer a candidate
    assert "Hugo Old" not in _names(found.erasure_candidates)
    assert found.erasure_candidate_count == 4
    # Twelve years back is 2014-11-28: everyone was entered later, nobody is a candidate.
    assert privacy_review.review(db.uow(), TODAY, inactive_years=12).erasure_candidates == ()
    # A shorter span given for one review (the setting stays)
    one = privacy_review.review(db.uow(), TODAY, inactive_years=1)
    assert "Gina Recent" in _names(one.erasure_candidates)
    assert privacy_review.inactive_years(db.uow()) == 8


@pytest.mark.parametrize(("bad", "reason"), [
    (0, "must be between 1 and 50 years (not 0)"),
    (51, "must be between 1 and 50 years (not 51)"),
    (-3, "must be between 1 and 50 years (not -3)"),
    ("five", "“five” is not a whole number of years"),
    (2.5, "“2.5” is not a whole number of years"),
    (True, "“True” is not a whole number of years"),
])
def test_bad_settings_are_refused_with_a_clear_message(db: Database, bad: object,
                                                       reason: str) -> None:
    privacy_review.set_inactive_years(db.uow(), 7)
    with pytest.raises(ValidationError) as refused:
        privacy_review.set_inactive_years(db.uow(), bad)
    assert refused.value.errors == {"inactive_years": reason}
    assert privacy_review.inactive_years(db.uow()) == 7  # unchanged
    with pytest.raises(ValidationError):
        privacy_review.review(db.uow(), TODAY, inactive_years=bad)  # type: ignore[arg-type]


def test_a_setting_written_as_text_is_read_and_a_damaged_one_gives_the_default(
        db: Database) -> None:
    from citypartner_desktop.repositories import monitoring_state

    assert privacy_review.set_inactive_years(db.uow(), " 10 ") == 10
    uow = db.uow()
    with uow:
        monitoring_state.put_setting(uow.session, privacy_review.INACTIVE_YEARS_KEY, "many")
        uow.commit()
    assert privacy_review.inactive_years(db.uow()) == 5


def test_lists_are_cut_but_counts_count_all(db: Database, people: People) -> None:
    found = privacy_review.review(db.uow(), TODAY, limit=1)
    assert len(found.review_due) == len(found.no_basis) == len(found.erasure_candidates) == 1
    assert found.counts == {"review_due": 2, "no_basis": 2, "erasure_candidates": 5}


def test_the_review_reads_through_a_read_only_source_too(db: Database, people: People) -> None:
    assert (privacy_review.review_of(db.source, TODAY)
            == privacy_review.review(db.uow(), TODAY))


def test_twenty_ninth_of_february() -> None:
    assert privacy_review.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert privacy_review.years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)


# -- the contact's data-protection fields --------------------------------------------------------
def test_the_contact_holds_the_date_consent_was_withdrawn() -> None:
    field = CONTACT.field("consent_withdrawn_on")
    assert (field.label, field.kind) == ("Consent withdrawn on", FieldKind.DATE)
    names = CONTACT.field_names
    assert names[names.index("legal_basis"):] == CONTACT_DATA_PROTECTION
    assert CONTACT_DATA_PROTECTION == ("legal_basis", "data_source", "consent_date",
                                       "review_date", "consent_withdrawn_on")


def test_consent_withdrawn_is_stored_and_read_back(db: Database) -> None:
    today = date.today()
    made = records.create(db.uow(), "contact", {
        "full_name": "Rosa Consent", "legal_basis": "consent", "consent_date": "2024-01-10",
        "consent_withdrawn_on": today.isoformat()})
    assert records.get(db.uow(), "contact", made.id).values["consent_withdrawn_on"] == today
    records.update(db.uow(), "contact", made.id, {"consent_withdrawn_on": None})
    assert records.get(db.uow(), "contact", made.id).values["consent_withdrawn_on"] is None


@pytest.mark.parametrize(("values", "reason"), [
    ({"legal_basis": "public_task", "consent_withdrawn_on": "2026-01-05"},
     "only a contact whose legal basis is consent can withdraw it"),
    ({"consent_withdrawn_on": "2026-01-05"},
     "only a contact whose legal basis is consent can withdraw it"),
    ({"legal_basis": "consent", "consent_date": "2026-02-01",
      "consent_withdrawn_on": "2026-01-05"},
     "is before consent / basis date (2026-02-01)"),
    ({"legal_basis": "consent", "consent_withdrawn_on": "someday"},
     '"someday" is not a date; use YYYY-MM-DD'),
])
def test_consent_withdrawn_rules(db: Database, values: dict[str, str], reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        records.create(db.uow(), "contact", {"full_name": "Sam Refused", **values})
    assert refused.value.errors == {"consent_withdrawn_on": reason}
    assert str(refused.value) == f"consent_withdrawn_on: {reason}"


def test_consent_cannot_be_withdrawn_in_the_future(db: Database) -> None:
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        records.create(db.uow(), "contact", {
            "full_name": "Tia Soon", "legal_basis": "consent",
            "consent_withdrawn_on": tomorrow.isoformat()})
    assert refused.value.errors["consent_withdrawn_on"].startswith(
        f"is in the future ({tomorrow.isoformat()})")


def test_changing_the_basis_of_a_withdrawn_contact_is_refused(db: Database) -> None:
    made = records.create(db.uow(), "contact", {
        "full_name": "Uma Basis", "legal_basis": "consent", "consent_date": "2023-01-01",
        "consent_withdrawn_on": "2024-01-01"})
    with pytest.raises(ValidationError) as refused:
        records.update(db.uow(), "contact", made.id, {"legal_basis": "legitimate_interest"})
    assert refused.value.errors == {
        "consent_withdrawn_on": "only a contact whose legal basis is consent can withdraw it"}
    # Clearing the withdrawal with the new basis is one consistent change.
    records.update(db.uow(), "contact", made.id,
                   {"legal_basis": "legitimate_interest", "consent_withdrawn_on": ""})
