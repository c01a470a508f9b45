"""Create, update, delete, restore, list and search through the services, without Qt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import (
    ConflictError,
    DuplicateCityError,
    NotFoundError,
    ValidationError,
)
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import records
from citypartner_desktop.services.database import info


def _city(db: Database, name: str = "Kraków", country: str = "PL", **extra: object) -> str:
    return records.create(db.uow(), "city", {"name": name, "country": country, **extra}).id


def _partnership(db: Database, title: str = "Nürnberg–Kraków") -> str:
    values = {"title": title, "kind": "twinning", "status": "active"}
    return records.create(db.uow(), "partnership", values).id


def _changes(db: Database, record_id: str) -> list[tuple[str, str | None, str | None]]:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT field, old_value, new_value FROM changes WHERE record_id = :i"),
            {"i": record_id},
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_create_city_parses_and_stores_values(db: Database) -> None:
    city = records.create(
        db.uow(),
        "city",
        {"name": " Łódź ", "country": "Poland", "population": "664 860", "latitude": "51,77",
         "longitude": 19.45, "timezone": "Europe/Warsaw", "website": "uml.lodz.pl"},
    )
    assert city.values["name"] == "Łódź"
    assert city.values["country"] == "PL"
    assert city.values["population"] == 664860
    assert city.values["latitude"] == pytest.approx(51.77)
    assert city.values["website"] == "https://uml.lodz.pl"
    assert city.version == 1
    assert city.created_at.tzinfo is not None
    again = records.get(db.uow(), "city", city.id)
    assert again.values == city.values


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"name": "", "country": "PL"}, "name", "is required"),
        ({"name": "X", "country": "Narnia"}, "country", "not a known country"),
        ({"name": "X", "country": "PL", "latitude": "91"}, "latitude", "at most 90"),
        ({"name": "X", "country": "PL", "longitude": "-181"}, "longitude", "at least -180"),
        ({"name": "X", "country": "PL", "population": "many"}, "population", "not a whole number"),
        ({"name": "X", "country": "PL", "timezone": "Mars/Base"}, "timezone", "IANA time zone"),
    ],
)
def test_bad_city_input_names_the_field_and_saves_nothing(
    db: Database, values: dict[str, str], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "city", values)
    assert reason in raised.value.errors[field]
    assert records.count(db.uow(), "city", ListQuery()) == 0


def test_all_errors_are_reported_at_once(db: Database) -> None:
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "city", {"name": "", "country": "??", "latitude": "x"})
    assert set(raised.value.errors) == {"name", "country", "latitude"}


def test_same_city_twice_needs_confirmation(db: Database) -> None:
    first = _city(db, "Cambridge", "GB")
    with pytest.raises(DuplicateCityError) as raised:
        _city(db, "cambridge", "GB")
    assert raised.value.existing_id == first
    assert "already exists" in raised.value.errors["name"]
    _city(db, "Cambridge", "US")  # same name, other country: fine
    records.create(db.uow(), "city", {"name": "Cambridge", "country": "GB"},
                   confirm_duplicate=True)
    assert records.count(db.uow(), "city", ListQuery(search="cambridge")) == 3


def test_only_one_home_city(db: Database) -> None:
    _city(db, "Nürnberg", "DE", is_home=True)
    with pytest.raises(ValidationError) as raised:
        _city(db, "Fürth", "DE", is_home=True)
    assert "Nürnberg" in raised.value.errors["is_home"]


def test_contact_email_and_phone_in_city_country(db: Database) -> None:
    krakow = _city(db)
    contact = records.create(
        db.uow(), "contact",
        {"full_name": "Anna Nowak", "city_id": krakow, "phone": "12 616 12 00",
         "email": "Anna.Nowak@um.krakow.pl", "languages": "Polish, en"},
    )
    assert contact.values["phone"] == "+48126161200"
    assert contact.values["languages"] == "pl, en"
    assert contact.labels["city_id"] == "Kraków (PL)"
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "contact", {"full_name": "Bob", "email": "bob@"})
    assert "not an e-mail address" in raised.value.errors["email"]
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "contact", {"full_name": "Bob", "phone": "12345"})
    assert "phone" in raised.value.errors


def test_reference_to_missing_record_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "contact", {"full_name": "Bob", "city_id": "no-such-city"})
    assert raised.value.errors["city_id"] == "the chosen city does not exist"


def test_end_date_before_start_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "partnership", {
            "title": "P", "kind": "twinning", "status": "active",
            "start_date": "2020-05-01", "end_date": "2020-04-30"})
    assert "before start date" in raised.value.errors["end_date"]


def test_evaluation_scores_must_be_1_to_5(db: Database) -> None:
    pid = _partnership(db)
    base = {"partnership_id": pid, "period": "2025", "evaluated_on": date(2025, 12, 1),
            "kind": "annual"}
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "evaluation", {**base, "scores": {"impact": (6, "")}})
    assert "outside 1–5" in raised.value.errors["scores"]
    ok = records.create(db.uow(), "evaluation",
                        {**base, "scores": {"impact": (5, "big"), "relevance": ("3", "ok")}})
    assert ok.values["scores"] == {"impact": (5, "big"), "relevance": (3, "ok")}
    updated = records.update(db.uow(), "evaluation", ok.id, {"scores": {"impact": (4, "less")}})
    assert updated.values["scores"] == {"impact": (4, "less")}


def test_update_writes_audit_trail_and_bumps_version(db: Database) -> None:
    cid = _city(db, population=100)
    updated = records.update(db.uow(), "city", cid, {"population": 200}, expected_version=1)
    assert updated.version == 2
    changes = _changes(db, cid)
    assert ("population", "100", "200") in changes
    assert ("*", None, "created") in changes


def test_stale_edit_is_a_conflict(db: Database) -> None:
    cid = _city(db)
    records.update(db.uow(), "city", cid, {"region": "Lesser Poland"})
    with pytest.raises(ConflictError):
        records.update(db.uow(), "city", cid, {"region": "Małopolska"}, expected_version=1)
    assert records.get(db.uow(), "city", cid).values["region"] == "Lesser Poland"


def test_delete_cascades_and_restore_brings_all_back(db: Database) -> None:
    cid = _city(db)
    pid = _partnership(db)
    records.create(db.uow(), "membership", {"partnership_id": pid, "city_id": cid,
                                            "role": "partner"})
    impact = records.delete_impact(db.uow(), "partnership", pid)
    assert impact.dependants == {"membership": 1}
    records.delete(db.uow(), "partnership", pid)
    assert records.count(db.uow(), "membership", ListQuery()) == 0
    with pytest.raises(NotFoundError):
        records.get(db.uow(), "partnership", pid)
    assert records.count(db.uow(), "partnership", ListQuery(deleted=True)) == 1
    records.restore(db.uow(), "partnership", pid)
    assert records.count(db.uow(), "membership", ListQuery()) == 1
    assert records.get(db.uow(), "partnership", pid).deleted_at is None
    assert any(f == "deleted_at" for f, _, _ in _changes(db, pid))


def test_restore_keeps_separately_deleted_children_deleted(db: Database) -> None:
    pid = _partnership(db)
    goal = records.create(db.uow(), "goal", {"partnership_id": pid, "title": "More exchanges",
                                             "status": "open"}).id
    records.delete(db.uow(), "goal", goal)
    records.delete(db.uow(), "partnership", pid)
    records.restore(db.uow(), "partnership", pid)
    assert records.count(db.uow(), "goal", ListQuery()) == 0


def test_membership_is_unique_per_city(db: Database) -> None:
    cid, pid = _city(db), _partnership(db)
    values = {"partnership_id": pid, "city_id": cid, "role": "partner"}
    records.create(db.uow(), "membership", values)
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "membership", values)
    assert "already a member" in raised.value.errors["city_id"]


def test_list_is_paged_sorted_and_searched_in_sql(db: Database) -> None:
    names = ["Łódź", "Kraków", "Köln", "Zürich", "Αθήνα", "Київ", "京都市", "São Paulo"]
    for i, name in enumerate(names):
        _city(db, name, "PL", population=i)
    page = records.list_page(db.uow(), "city", ListQuery(sort_field="population",
                                                         descending=True, limit=3))
    assert [r.values[0] for r in page] == ["São Paulo", "京都市", "Київ"]
    second = records.list_page(db.uow(), "city", ListQuery(sort_field="population",
                                                           descending=True, limit=3, offset=3))
    assert [r.values[0] for r in second] == ["Αθήνα", "Zürich", "Köln"]
    for query, expected in [("lodz", "Łódź"), ("KRAKOW", "Kraków"), ("koln", "Köln"),
                            ("zurich", "Zürich"), ("київ", "Київ"), ("京都", "京都市"),
                            ("sao pau", "São Paulo")]:
        found = records.list_page(db.uow(), "city", ListQuery(search=query))
        assert [r.values[0] for r in found] == [expected], query
    assert records.count(db.uow(), "city", ListQuery(search="%")) == 0


def test_page_bounds_are_checked(db: Database) -> None:
    with pytest.raises(ValueError):
        records.list_page(db.uow(), "city", ListQuery(limit=0))


def test_action_must_share_the_partnership_of_its_activity(db: Database) -> None:
    p1, p2 = _partnership(db, "One"), _partnership(db, "Two")
    activity = records.create(db.uow(), "activity", {
        "partnership_id": p1, "kind": "meeting", "title": "Kick-off",
        "start_date": "2025-01-10"}).id
    with pytest.raises(ValidationError) as raised:
        records.create(db.uow(), "action", {"partnership_id": p2, "title": "Send minutes",
                                            "activity_id": activity})
    assert "another partnership" in raised.value.errors["activity_id"]


def test_info_counts(db: Database) -> None:
    _city(db)
    facts = info(db)
    assert facts.counts["cities"] == 1
    assert facts.schema_revision
    assert facts.health == "ok"


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    database = open_db(tmp_path_factory.mktemp("h") / "h.db", TEST_ACTOR)
    yield database
    database.close()


@settings(max_examples=80, deadline=None)
@given(name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_unicode_name_round_trips(shared_db: Database, name: str) -> None:
    city = records.create(shared_db.uow(), "city", {"name": name, "country": "GR"},
                          confirm_duplicate=True)
    assert records.get(shared_db.uow(), "city", city.id).values["name"] == name.strip()


@pytest.mark.parametrize(("sort_field", "descending"), [
    (None, False), ("population", True), ("country", False), ("name", True)])
def test_deep_pages_read_in_two_steps_match_plain_paging(
        db: Database, monkeypatch: pytest.MonkeyPatch, sort_field: str | None,
        descending: bool) -> None:
    from citypartner_desktop.repositories import table_rows as repo

    for i in range(60):
        _city(db, f"Stadt {i % 17:02d}-{i:02d}", "DE" if i % 3 else "AT", population=i % 7)
    query = ListQuery(sort_field=sort_field, descending=descending, offset=20, limit=25)
    plain = records.list_page(db.uow(), "city", query)
    monkeypatch.setattr(repo, "TWO_STEP_OFFSET", 10)
    two_step = records.list_page(db.uow(), "city", query)
    assert [r.id for r in two_step] == [r.id for r in plain]
    assert len(plain) == 25


def test_deep_pages_of_a_search_match_plain_paging(db: Database,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.repositories import table_rows as repo

    for i in range(40):
        _city(db, f"{'Nowa' if i % 2 else 'Stara'} Wieś {i:02d}", "PL")
    query = ListQuery(search="nowa wie", offset=5, limit=10)
    plain = records.list_page(db.uow(), "city", query)
    monkeypatch.setattr(repo, "TWO_STEP_OFFSET", 1)
    assert [r.id for r in records.list_page(db.uow(), "city", query)] == [r.id for r in plain]
    assert [r.values[0] for r in plain] == [f"Nowa Wieś {i:02d}" for i in range(11, 31, 2)]
