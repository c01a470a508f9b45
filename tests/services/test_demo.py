"""The `demo` data: realistic, valid, deterministic, all-or-nothing."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select, text

from citypartner_desktop.db import derived
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import (
    Action,
    Activity,
    Agreement,
    City,
    Contact,
    CriterionScore,
    Evaluation,
    Goal,
    HealthCheck,
    KpiMeasurement,
    Membership,
    Participant,
    Partnership,
)
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.domain.text import search_key
from citypartner_desktop.domain.validation import parse_email
from citypartner_desktop.repositories import bulk
from citypartner_desktop.repositories.records import model_for
from citypartner_desktop.services import demo, records
from citypartner_desktop.services.database import info, open_db
from tests.conftest import TEST_ACTOR

TODAY = date.today()
# The large code path (no city pool, a subset of activities with participants, several chunks
# per table), scaled down so it runs in a second.
SCALED_LARGE = replace(
    demo._SIZES["large"], cities=400, contacts=4_000, partnerships=80, activities=8_000,
    phones_per_country=5, chunk=1_000,
)
ALL_TABLES = (*demo._COLUMNS, "changes")


def _fresh(path: Path) -> Database:
    return open_db(path, TEST_ACTOR)


def _scalar(db: Database, statement: Any) -> Any:
    with db.uow() as uow:
        return uow.session.execute(statement).scalar()


def _rows(db: Database, statement: Any) -> list[Any]:
    with db.uow() as uow:
        return list(uow.session.execute(statement))


def _all_rows(db: Database) -> dict[str, int]:
    with db.uow() as uow:
        return bulk.row_counts(uow.session, ALL_TABLES)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, demo.DemoSummary]]:
    database = _fresh(tmp_path_factory.mktemp("demo") / "small.db")
    summary = demo.load_demo(database, "small", seed=1, today=TODAY)
    yield database, summary
    database.close()


def test_small_demo_fills_every_page(small: tuple[Database, demo.DemoSummary]) -> None:
    db, summary = small
    counts = info(db).counts
    for name in ("cities", "contacts", "programmes", "partnerships", "memberships", "goals",
                 "agreements", "activities", "actions", "evaluations"):
        assert counts[name] > 0, name
        assert counts[name] == getattr(summary, name)
    assert 30 <= counts["cities"] <= 60
    assert 80 <= counts["contacts"] <= 150
    assert 3 <= counts["programmes"] <= 6
    assert 12 <= counts["partnerships"] <= 20
    for table in ("coordinators", "signatories", "responsibilities", "participants",
                  "criterion_scores", "health_checks", "kpi_measurements"):
        assert getattr(summary, table) > 0, table
    assert summary.counts == {t: n for t, n in _all_rows(db).items() if t != "changes"}


def test_exactly_one_home_city(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    homes = _rows(db, select(City.name, City.native_name, City.country).where(City.is_home))
    assert [tuple(h) for h in homes] == [("Nuremberg", "Nürnberg", "DE")]


def test_partnership_kinds_and_a_network_of_five(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    kinds = {k for (k,) in _rows(db, select(Partnership.kind).distinct())}
    assert {"twinning", "friendship", "project", "network"} <= kinds
    members = (select(Partnership.kind, func.count(Membership.id))
               .join(Membership, Membership.partnership_id == Partnership.id)
               .group_by(Partnership.id))
    sizes = _rows(db, members)
    assert any(kind == "network" and n >= 5 for kind, n in sizes)
    assert all(n == 2 for kind, n in sizes if kind == "twinning")  # home + partner


def test_agreements_expiring_soon_and_expired(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    soon = _scalar(db, select(func.count()).select_from(Agreement).where(
        Agreement.status == "in_force", Agreement.expires_on >= TODAY,
        Agreement.expires_on <= TODAY + timedelta(days=90)))
    expired = _scalar(db, select(func.count()).select_from(Agreement).where(
        Agreement.status == "expired", Agreement.expires_on < TODAY))
    assert soon >= 2
    assert expired >= 1
    rows = _rows(db, select(Agreement.signed_on, Agreement.effective_on, Agreement.expires_on,
                            Agreement.notice_period_months))
    assert any(notice for *_, notice in rows)
    for signed, effective, expires, _ in rows:
        if expires is not None:
            assert effective is None or effective <= expires
            assert signed is None or signed <= expires


def test_actions_overdue_done_and_upcoming(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    overdue = select(func.count()).select_from(Action).where(Action.due_date < TODAY,
                                                             Action.done_date.is_(None))
    done = select(func.count()).select_from(Action).where(Action.done_date.is_not(None))
    upcoming = select(func.count()).select_from(Action).where(Action.due_date >= TODAY,
                                                              Action.done_date.is_(None))
    assert _scalar(db, overdue) >= 1
    assert _scalar(db, done) >= 1
    assert _scalar(db, upcoming) >= 1


def test_a_dormant_partnership_exists(small: tuple[Database, demo.DemoSummary]) -> None:
    """Active on paper, but nothing has happened for more than twelve months."""
    db, _ = small
    last = (select(Partnership.title, func.max(Activity.start_date))
            .join(Activity, Activity.partnership_id == Partnership.id)
            .where(Partnership.status == "active").group_by(Partnership.id))
    dormant = [title for title, latest in _rows(db, last)
               if latest < TODAY - timedelta(days=365)]
    assert dormant == ["Nuremberg – Antalya twinning"]  # only the one meant to be dormant


def test_activities_have_participants_and_counts(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    assert _scalar(db, select(func.count()).select_from(Activity)
                   .where(Activity.participant_count > 0)) > 0
    assert _scalar(db, select(func.count()).select_from(Activity)
                   .where(Activity.start_date > TODAY)) > 0  # something is planned
    assert _scalar(db, select(func.count(func.distinct(Participant.contact_id)))) > 10


def test_evaluations_score_all_criteria_and_both_sides(
    small: tuple[Database, demo.DemoSummary],
) -> None:
    db, _ = small
    evaluations = [e for (e,) in _rows(db, select(Evaluation.id))]
    assert evaluations
    criteria = {k for k, _ in vocab.CRITERIA}
    scores = _rows(db, select(CriterionScore.evaluation_id, CriterionScore.criterion,
                              CriterionScore.score, CriterionScore.rationale))
    for evaluation_id in evaluations:
        mine = [s for s in scores if s[0] == evaluation_id]
        assert {s[1] for s in mine} == criteria
        assert all(1 <= s[2] <= 5 and s[3] for s in mine)
    sides = _rows(db, select(HealthCheck.evaluation_id, func.count(func.distinct(HealthCheck.side)),
                             func.count()).group_by(HealthCheck.evaluation_id))
    assert len(sides) == len(evaluations)
    assert all(n_sides == 2 and n == 2 * len(vocab.HEALTH_ASPECTS) for _, n_sides, n in sides)
    kpi_goal_partnership = (
        select(Evaluation.partnership_id, Goal.partnership_id)
        .join(KpiMeasurement, KpiMeasurement.evaluation_id == Evaluation.id)
        .join(Goal, Goal.id == KpiMeasurement.goal_id))
    pairs = _rows(db, kpi_goal_partnership)
    assert pairs
    assert all(a == b for a, b in pairs)
    goals = _rows(db, select(Goal.baseline, Goal.target))
    assert all(b is not None and t is not None and t > b for b, t in goals)


def test_phones_are_valid_e164_and_emails_valid(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    contacts = _rows(db, select(Contact.email, Contact.phone, City.country)
                     .join(City, City.id == Contact.city_id))
    assert contacts
    for email, phone, country in contacts:
        assert parse_email(email) == email
        assert email.endswith(".example")  # demo mail can never reach a real inbox
        number = phonenumbers.parse(phone, None)
        assert phonenumbers.is_valid_number_for_region(number, country), phone
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
    assert len({e for e, _, _ in contacts}) == len(contacts)


def _validate_sample(db: Database, per_kind: int) -> int:
    """Re-validate stored records through the service rules; returns how many were checked."""
    checked = 0
    for kind, spec in ENTITIES.items():
        if kind == "attachment":
            continue
        model: Any = model_for(kind)
        with db.uow() as uow:
            stmt = select(model.id).order_by(model.id).limit(per_kind)
            if spec.search_fields:
                stmt = select(model.id, model.search_key).order_by(model.id).limit(per_kind)
            rows = list(uow.session.execute(stmt))
        assert rows, kind
        for row in rows:
            record = records.get(db.uow(), kind, row[0])
            records.validate(db.uow(), kind, record.values, record.id)
            if spec.search_fields:
                expected = search_key(*(str(record.values.get(f) or "")
                                        for f in spec.search_fields))
                assert row[1] == expected, (kind, record.values)
            checked += 1
    return checked


def test_every_record_passes_the_service_validation(
    small: tuple[Database, demo.DemoSummary],
) -> None:
    db, _ = small
    assert _validate_sample(db, per_kind=1_000) > 1_000


def test_stored_formats_are_those_of_the_orm(small: tuple[Database, demo.DemoSummary],
                                            tmp_path: Path) -> None:
    """Bulk rows read back like rows the services wrote: naive-UTC text, ISO dates, JSON."""
    db, _ = small
    other = _fresh(tmp_path / "orm.db")
    try:
        made = records.create(other.uow(), "partnership", {
            "title": "ORM-made", "kind": "twinning", "status": "active",
            "themes": ("culture", "youth"), "start_date": date(2001, 2, 3)})
        query = text("SELECT created_at, updated_at, start_date, themes, version, "
                     "typeof(created_at), typeof(start_date), deleted_at FROM partnerships "
                     "WHERE id = :id")
        with other.uow() as uow:
            orm_row = uow.session.execute(query, {"id": made.id}).one()
        some = _scalar(db, select(Partnership.id).where(Partnership.title.like("%Kraków%")))
        with db.uow() as uow:
            bulk_row = uow.session.execute(query, {"id": some}).one()
    finally:
        other.close()
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
    for row in (orm_row, bulk_row):
        assert stamp.fullmatch(row[0]) and row[0] == row[1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", row[2])
        assert isinstance(json.loads(row[3]), list)
        assert row[4] == 1 and row[7] is None
    assert orm_row[5:7] == bulk_row[5:7]
    assert orm_row[3] == '["culture", "youth"]'
    record = records.get(db.uow(), "partnership", some)
    assert record.created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - record.created_at) < timedelta(hours=1)
    assert record.values["themes"] and isinstance(record.values["themes"], tuple)


def test_names_in_many_scripts_survive_byte_for_byte(
    small: tuple[Database, demo.DemoSummary],
) -> None:
    db, _ = small
    natives = select(City.native_name).where(City.native_name.is_not(None))
    stored = {n for (n,) in _rows(db, natives)}
    expected = ["京都市", "Київ", "Αθήνα", "Łódź", "Kraków", "São Paulo", "İzmir", "Gödöllő",
                "北京市", "東京都", "תל אביב-יפו", "القاهرة", "서울특별시", "თბილისი", "Երևան",
                "กรุงเทพมหานคร", "मुंबई"]
    by_bytes = {n.encode("utf-8") for n in stored}
    for name in expected:
        assert name.encode("utf-8") in by_bytes, name
    people = [n for (n,) in _rows(db, select(Contact.full_name))]
    scripts = {"Cyrillic": "\u0400-\u04ff", "Greek": "\u0370-\u03ff", "Han": "\u4e00-\u9fff",
               "Hangul": "\uac00-\ud7af", "Hebrew": "\u0590-\u05ff", "Arabic": "\u0600-\u06ff"}
    for script, letters in scripts.items():
        assert any(re.search(f"[{letters}]", n) for n in people), script
    found = records.list_page(db.uow(), "city", ListQuery(search="Lodz"))
    assert [r.values[0] for r in found] == ["Łódź"]
    found = records.list_page(db.uow(), "city", ListQuery(search="京都市"))
    assert [r.values[1] for r in found] == ["京都市"]


def test_audit_trail_has_one_summary_row_per_kind(
    small: tuple[Database, demo.DemoSummary],
) -> None:
    db, summary = small
    rows = _rows(db, text("SELECT record_kind, record_id, field, old_value, new_value, "
                          "changed_by FROM changes"))
    counts = {t: n for t, n in summary.counts.items() if n}
    assert len(rows) == len(counts)
    assert len({r[1] for r in rows}) == 1  # one batch id for the whole load
    kinds = {kind: table for table, kind in demo._KIND_OF_TABLE.items()}
    for kind, _, field, old, new, who in rows:
        assert field == "demo" and old is None and who == TEST_ACTOR.user
        assert new == f"{counts[kinds[kind]]} records loaded"


def test_ids_are_uuid4(small: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = small
    ids = _rows(db, select(Activity.id))
    assert ids
    for (value,) in ids:
        assert uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value


def test_second_load_is_refused_and_changes_nothing(db: Database) -> None:
    demo.load_demo(db, "small", today=TODAY)
    before = _all_rows(db)
    with pytest.raises(ValidationError) as caught:
        demo.load_demo(db, "small", today=TODAY)
    assert "database" in caught.value.errors
    assert "partnerships" in caught.value.errors["database"]
    assert _all_rows(db) == before


def test_refused_into_a_database_with_own_data(db: Database) -> None:
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL", "is_home": True})
    with pytest.raises(ValidationError) as caught:
        demo.load_demo(db, "small", today=TODAY)
    assert caught.value.errors["database"].startswith("already holds data (1 cities")
    assert _all_rows(db)["partnerships"] == 0


def _snapshot(db: Database) -> dict[str, list[Any]]:
    return {
        "cities": _rows(db, select(City.id, City.name).order_by(City.id)),
        "contacts": _rows(db, select(Contact.id, Contact.full_name, Contact.email, Contact.phone)
                          .order_by(Contact.id)),
        "partnerships": _rows(db, select(Partnership.id, Partnership.title)
                              .order_by(Partnership.id)),
        "activities": _rows(db, select(Activity.id, Activity.title, Activity.start_date)
                            .order_by(Activity.id)),
        "actions": _rows(db, select(Action.id, Action.title, Action.due_date, Action.done_date)
                         .order_by(Action.id)),
    }


def test_same_seed_same_data(tmp_path: Path) -> None:
    snapshots = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        database = _fresh(tmp_path / f"{name}.db")
        try:
            demo.load_demo(database, "small", seed=seed, today=TODAY)
            snapshots.append(_snapshot(database))
        finally:
            database.close()
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["contacts"] != snapshots[2]["contacts"]
    assert snapshots[0]["activities"] != snapshots[2]["activities"]


@pytest.mark.parametrize("when", ["early", "last"])
def test_cancel_leaves_the_database_empty(tmp_path: Path, when: str) -> None:
    calls = 0

    def count() -> bool:
        nonlocal calls
        calls += 1
        return False

    probe = _fresh(tmp_path / "probe.db")
    try:
        demo.load_demo(probe, "small", today=TODAY, should_cancel=count)
    finally:
        probe.close()
    stop_at = 3 if when == "early" else calls  # in the contacts, or just before the commit
    seen = 0

    def cancel() -> bool:
        nonlocal seen
        seen += 1
        return seen >= stop_at

    database = _fresh(tmp_path / "cancelled.db")
    try:
        with pytest.raises(demo.DemoCancelled):
            demo.load_demo(database, "small", today=TODAY, should_cancel=cancel)
        assert seen == stop_at
        assert set(_all_rows(database).values()) == {0}
        demo.load_demo(database, "small", today=TODAY)  # and the database is still usable
        assert info(database).counts["partnerships"] > 0
    finally:
        database.close()


def test_large_code_path_scaled_down(db: Database) -> None:
    reports: list[tuple[int, int, str]] = []
    summary = demo.load_demo(db, "large", today=TODAY, _sizes=SCALED_LARGE,
                             progress=lambda d, t, m: reports.append((d, t, m)))
    counts = info(db).counts
    assert (counts["cities"], counts["contacts"], counts["partnerships"],
            counts["activities"]) == (400, 4_000, 80, 8_000)
    assert summary.participants < summary.activities  # only a share has named participants
    assert summary.counts == {t: n for t, n in _all_rows(db).items() if t != "changes"}
    done = [d for d, _, _ in reports]
    assert done == sorted(done) and len(reports) > 8
    assert reports[-1][:2] == (reports[-1][1], reports[-1][1])
    assert _validate_sample(db, per_kind=40) > 500
    statuses = {s for (s,) in _rows(db, select(Partnership.status).distinct())}
    assert {"active", "ended"} <= statuses


def test_large_size_is_the_office_scale() -> None:
    large = demo._SIZES["large"]
    assert (large.cities, large.contacts, large.activities) == (10_000, 200_000, 1_000_000)


def test_unknown_size_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        demo.load_demo(db, "huge")  # type: ignore[arg-type]
    assert "size" in caught.value.errors


def test_row_layouts_cover_every_column() -> None:
    """A column added to a table must be added here too (or the load would leave it empty)."""
    by_table = {spec.table: spec for spec in ENTITIES.values()}
    for table, columns in demo._COLUMNS.items():
        spec = by_table.get(table)
        key = ("search_key",) if spec is not None and spec.search_fields else ()
        # Sort labels and search copies are filled after the load (db/derived.py).
        labels = derived.derived_columns(table)
        assert sorted((*columns, *key, *labels, *bulk.RECORD_COLUMNS)) == sorted(
            bulk.table_columns(table))
    assert sorted((*demo._CHANGE_COLUMNS, *bulk.RECORD_COLUMNS)) == sorted(
        bulk.table_columns("changes"))


def test_seeded_ids_are_the_standard_uuid4() -> None:
    ids = demo._Ids(3, "cities")
    bits = random.Random("3:ids:cities").getrandbits
    for _ in range(100):
        assert ids() == str(uuid.UUID(int=bits(128), version=4))


def test_search_works_on_demo_data_and_stays_current(db: Database) -> None:
    """The bulk load rebuilds the search index once and puts its triggers back."""
    demo.load_demo(db, "small", seed=3, today=TODAY)
    found = records.list_page(db.uow(), "city", ListQuery(search="krak"))
    assert [r.values[0] for r in found] == ["Kraków"]
    assert records.count(db.uow(), "contact", ListQuery(search="krakow")) > 0  # by their city
    city = records.create(db.uow(), "city", {"name": "Qwertyville", "country": "HU"})
    found = records.list_page(db.uow(), "city", ListQuery(search="qwerty"))
    assert [r.id for r in found] == [city.id]  # the triggers are back after the load


@pytest.mark.file_only  # SQLite's triggers, dropped and rebuilt by a bulk load
def test_cancelled_load_keeps_the_search_triggers(db: Database) -> None:
    answers = iter([False] * 3 + [True] * 1000)  # cancel midway, after the triggers went
    with pytest.raises(demo.DemoCancelled):
        demo.load_demo(db, "small", today=TODAY, should_cancel=lambda: next(answers))
    assert next(answers) is True  # the load did ask after it had started
    with db.engine.connect() as conn:
        triggers = conn.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE '%fts%'"
        )).scalar()
    assert triggers == 3 * 8


@pytest.mark.file_only  # SQLite's triggers, dropped and rebuilt by a bulk load
def test_bulk_load_puts_every_index_and_trigger_back(db: Database) -> None:
    def schema() -> set[tuple[str, str]]:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                     "AND name NOT LIKE 'sqlite_stat%'"))
            return {(r[0], r[1]) for r in rows}

    before = schema()
    assert sum(1 for kind, _ in before if kind == "index") > 20
    demo.load_demo(db, "small", today=TODAY)
    assert schema() == before
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stats = conn.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar()
        assert stats  # the planner has statistics for the freshly loaded tables


def test_counts_and_sort_labels_are_true_after_the_bulk_load(
    small: tuple[Database, demo.DemoSummary],
) -> None:
    """The load runs without the triggers; what it rebuilds must equal what they would keep."""
    db, _ = small
    with db.engine.connect() as conn:
        for table in derived.COUNTED_TABLES:
            kept = conn.exec_driver_sql(
                "SELECT live, deleted FROM live_counts WHERE table_name = ?", (table,)).one()
            true = conn.exec_driver_sql(
                f"SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
                f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {table}").one()
            assert tuple(kept) == tuple(true), table
        for label in derived.SORT_LABELS:
            wrong = conn.exec_driver_sql(
                f"SELECT count(*) FROM {label.table} AS t LEFT JOIN {label.ref_table} AS r "
                f"ON r.id = t.{label.ref_column} "
                f"WHERE t.{label.column} IS NOT {label.label_of('r')}").scalar()
            filled = conn.exec_driver_sql(
                f"SELECT count(*) FROM {label.table} WHERE {label.column} IS NOT NULL").scalar()
            assert wrong == 0 and filled > 0, label
        triggers = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {f"{t}_count_insert" for t in derived.COUNTED_TABLES} <= triggers
