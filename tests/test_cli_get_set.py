"""`citypartner get` and `set`: one record for scripts, every field by its data-model name, and
a change guarded by the version the script saw (exit code 3 when it moved)."""

from __future__ import annotations

import json

import pytest

from citypartner_desktop.services import records
from tests.conftest import open_location
from tests.test_cli import run


@pytest.fixture
def office(location: str) -> tuple[str, str]:
    """An office on the engine of the run (a file, or a database on the test server)."""
    db = open_location(location)
    home = records.create(db.uow(), "city", {"name": "Nürnberg", "country": "DE"}).id
    partner = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(db.uow(), "partnership", {
        "title": "Nürnberg–Kraków", "kind": "twinning", "status": "active",
        "themes": ("culture", "youth"), "start_date": "1979-10-02",
        "aims": "Friendship", "lead_department": "International Office"}).id
    assert home and partner
    db.close()
    return location, partnership


def test_get_prints_every_field_with_id_and_version(office: tuple[str, str]) -> None:
    path, partnership = office
    done = run("get", "partnership", partnership, "--json", "--db", path)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["id"] == partnership and record["version"] == 1
    assert record["title"] == "Nürnberg–Kraków" and record["kind"] == "twinning"
    assert record["themes"] == ["culture", "youth"]
    assert record["start_date"] == "1979-10-02"
    assert record["aims"] == "Friendship" and record["lead_department"] == "International Office"
    first = json.loads(run("get", "cities", "--first", "--json", "--db", path).stdout)
    assert first["name"] == "Kraków"  # the page's order: by name


def test_set_changes_fields_and_moves_the_version(office: tuple[str, str]) -> None:
    path, partnership = office
    done = run("set", "partnership", partnership, "aims=Youth exchange, Łódź too",
               "status=dormant", "--if-version", "1", "--db", path)
    assert done.returncode == 0, done.stderr
    assert f"Saved partnership {partnership}: version 2." in done.stdout
    db = open_location(path)
    try:
        saved = records.get(db.uow(), "partnership", partnership)
    finally:
        db.close()
    assert saved.version == 2
    assert (saved.values["aims"], saved.values["status"]) == ("Youth exchange, Łódź too",
                                                              "dormant")


def test_a_moved_version_is_refused_with_what_is_there_now(office: tuple[str, str]) -> None:
    path, partnership = office
    assert run("set", "partnership", partnership, "aims=First", "--db", path
               ).returncode == 0
    stale = run("set", "partnership", partnership, "aims=Second", "--if-version", "1",
                "--db", path)
    assert stale.returncode == 3, stale.stderr
    assert "version 2, not 1" in stale.stderr
    assert "aims is now 'First', changed by" in stale.stderr
    assert "Traceback" not in stale.stderr
    record = json.loads(run("get", "partnership", partnership, "--json", "--db", path
                            ).stdout)
    assert (record["aims"], record["version"]) == ("First", 2)  # nothing changed


@pytest.mark.parametrize(("args", "message"), [
    (("set", "partnership", "{id}", "colour=red"), "colour: is not a field of a partnership"),
    (("set", "partnership", "{id}", "start_date=yesterday"), "is not a date"),
    (("set", "partnership", "{id}", "aims"), "aims: is not FIELD=VALUE"),
    (("set", "partnership", "no-such-id", "aims=x"), "No partnership with id no-such-id"),
    (("get", "town", "--first"), '"town" is not a kind of record'),
])
def test_bad_input_is_refused_and_changes_nothing(office: tuple[str, str], args: tuple[str, ...],
                                                  message: str) -> None:
    path, partnership = office
    done = run(*(a.format(id=partnership) for a in args), "--db", path)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    record = json.loads(run("get", "partnership", partnership, "--json", "--db", path
                            ).stdout)
    assert record["version"] == 1  # nothing was written


def test_get_needs_an_id_or_first(office: tuple[str, str]) -> None:
    path, _partnership = office
    assert run("get", "city", "--db", path).returncode == 2
