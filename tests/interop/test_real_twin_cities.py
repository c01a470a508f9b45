"""The real, messy Wikipedia twin-town list (26,114 pairs) imports as it is."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.interop.importer import PreparedImport, import_file
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.imports import ImportReport
from tests.conftest import TEST_ACTOR
from tests.interop.conftest import snapshot

# A copy of ../shared/data/twin_cities_wikipedia.csv, kept in the repository so that CI on a
# bare clone runs these tests too (attribution in tests/data/README.md).
DATA = Path(__file__).resolve().parents[1] / "data" / "twin_cities_wikipedia.csv"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, gazetteer_cache: Path
             ) -> Iterator[tuple[Database, PreparedImport, ImportReport]]:
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(gazetteer_cache)
    database = open_db(tmp_path_factory.mktemp("twins") / "office.db", TEST_ACTOR)
    try:
        prepared, report = import_file(database, "partnerships", DATA, valid_only=True)
        yield database, prepared, report
    finally:
        database.close()
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old


def test_totals_add_up_to_the_rows_read(imported: tuple[Database, PreparedImport, ImportReport]
                                        ) -> None:
    db, _prepared, report = imported
    with DATA.open(encoding="utf-8", newline="") as handle:
        data_rows = sum(1 for _ in csv.reader(handle)) - 1
    assert report.rows_read == data_rows == 26_114
    assert report.count("create") + report.count("match") + report.count("refuse") == data_rows
    assert report.committed
    counts = snapshot(db)
    assert counts["partnerships"] == report.count("create") == report.created["partnerships"]
    assert counts["memberships"] == 2 * counts["partnerships"]
    assert counts["cities"] == report.created["cities"]


def test_unresolvable_rows_are_listed_not_guessed(
        imported: tuple[Database, PreparedImport, ImportReport]) -> None:
    _db, _prepared, report = imported
    messages = [m for o in report.refused for m in o.messages()]
    for country in ("Kazakhstah", "in Italy"):
        assert any(f'"{country}" is not a known country' in m for m in messages), country
    # Names in another language (or French without its accent) are countries: CLDR's names.
    for country in ("Grece", "Japa"):
        assert not any(f'"{country}"' in m for m in messages), country
    assert len(report.refused) < 30
    assert all(o.problems for o in report.refused)
    # Places the gazetteer does not know are created, listed for review, never dropped.
    assert any(r.startswith("Stari Grad (Sarajevo) (Bosnia and Herzegovina): not in the "
                            "world gazetteer") for r in report.review)


def test_known_pairs_exist_once(imported: tuple[Database, PreparedImport, ImportReport]
                                ) -> None:
    db, _prepared, report = imported
    from citypartner_desktop.repositories import imports as repo

    with db.uow() as uow:
        pairs = repo.pair_partnerships(uow.session)
        cities = {(name, country): city_id
                  for city_id, name, _native, country, *_rest in repo.live_cities(uow.session)}
    assert len(pairs) == report.created["partnerships"]  # no pair twice, in either order
    for a, b in [(("Kraków", "PL"), ("Nuremberg", "DE")),
                 (("Kraków", "PL"), ("Edinburgh", "GB")),  # listed from both sides
                 (("Kraków", "PL"), ("Tbilisi", "GE")),  # "Georgia" and "Georgia (country)"
                 (("Tirana", "AL"), ("Florence", "IT")),
                 (("Cambridge", "GB"), ("Heidelberg", "DE"))]:
        assert frozenset((cities[a], cities[b])) in pairs, (a, b)
    assert cities[("Cambridge", "GB")] != cities[("Cambridge", "US")]


def test_second_import_creates_nothing(imported: tuple[Database, PreparedImport, ImportReport]
                                       ) -> None:
    db, _prepared, first = imported
    before = snapshot(db)
    _prepared, again = import_file(db, "partnerships", DATA, dry_run=True)
    assert again.count("create") == 0
    assert again.count("refuse") == first.count("refuse")
    assert snapshot(db) == before
