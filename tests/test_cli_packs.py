"""`citypartner pack create|info|merge|undo` as scripts run them: the exit codes the README
promises (0 merged, 1 refused and nothing written, 2 conflicts left as the office has them),
encrypted packs with --passphrase-file, and a pack edited by `get`/`set` like any database.
The office is a file, or with --engine postgresql a database on the test server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citypartner_desktop.services import records
from tests.conftest import open_location
from tests.test_cli import run


@pytest.fixture
def office(location: str) -> tuple[str, str]:
    db = open_location(location)
    try:
        city = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
        partnership = records.create(db.uow(), "partnership", {
            "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
        records.create(db.uow(), "membership", {"partnership_id": partnership,
                                                "city_id": city})
    finally:
        db.close()
    return location, partnership


def _field(where: str, partnership: str, name: str, *extra: str) -> object:
    done = run("get", "partnership", partnership, "--json", "--db", where, *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[name]


def test_pack_edit_merge_with_a_conflict_then_prefer_and_undo(office: tuple[str, str],
                                                              tmp_path: Path) -> None:
    where, partnership = office
    pack = str(tmp_path / "visit.cpack")
    made = run("pack", "create", "--db", where, "--partnership", partnership, "-o", pack)
    assert made.returncode == 0, made.stderr
    assert "visit pack for Nürnberg – Kraków" in made.stdout
    info = run("pack", "info", pack)
    assert info.returncode == 0 and info.stdout.startswith("Visit pack for Nürnberg – Kraków")
    assert run("set", "partnership", partnership, "aims=From the visit",
               "lead_department=Mayor's office", "--db", pack).returncode == 0
    assert run("set", "partnership", partnership, "aims=From the office",
               "--db", where).returncode == 0

    dry = run("pack", "merge", pack, "--db", where, "--dry-run")
    assert dry.returncode == 2, dry.stderr
    assert "Conflict: Partnership “Nürnberg – Kraków”, Aims" in dry.stdout
    assert _field(where, partnership, "lead_department") is None  # a dry run writes nothing

    merged = run("pack", "merge", pack, "--db", where)
    assert merged.returncode == 2, merged.stderr
    assert "1 conflicts left as the office has them" in merged.stdout
    assert _field(where, partnership, "aims") == "From the office"
    assert _field(where, partnership, "lead_department") == "Mayor's office"
    again = run("pack", "merge", pack, "--db", where)
    assert again.returncode == 0 and "already merged" in again.stdout

    undone = run("pack", "undo", pack, "--db", where)
    assert undone.returncode == 0, undone.stderr
    assert _field(where, partnership, "lead_department") is None
    preferred = run("pack", "merge", pack, "--db", where, "--prefer", "pack")
    assert preferred.returncode == 0, preferred.stderr
    assert _field(where, partnership, "aims") == "From the visit"


def test_refusals_exit_1_in_one_line_and_write_nothing(office: tuple[str, str],
                                                       tmp_path: Path) -> None:
    where, partnership = office
    other = tmp_path / "other.db"
    assert run("init", "--db", str(other)).returncode == 0
    pack = str(tmp_path / "visit.cpack")
    assert run("pack", "create", "--db", where, "--partnership", partnership, "-o", pack
               ).returncode == 0
    assert run("set", "partnership", partnership, "aims=Visit", "--db", pack).returncode == 0
    for args, message in (
            (("pack", "merge", pack, "--db", str(other)), "made from another office database"),
            (("pack", "merge", str(other), "--db", where), "no visit pack"),
            (("pack", "merge", str(tmp_path / "missing.cpack"), "--db", where),
             "does not exist"),
            (("pack", "create", "--db", where, "--partnership", "nope", "-o",
              str(tmp_path / "x.cpack")), "no partnership with id nope")):
        done = run(*args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert _field(where, partnership, "aims") is None
    assert not (tmp_path / "x.cpack").exists()


def test_an_encrypted_pack_with_a_passphrase_file(office: tuple[str, str],
                                                  tmp_path: Path) -> None:
    where, partnership = office
    secret = tmp_path / "secret.txt"
    secret.write_text("Wawel-Smok 2027\n", encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("guess\n", encoding="utf-8")
    pack = str(tmp_path / "visit.cpack")
    made = run("pack", "create", "--db", where, "--partnership", partnership, "-o", pack,
               "--passphrase-file", str(secret))
    assert made.returncode == 0 and "encrypted" in made.stdout, made.stderr
    assert "Kraków".encode() not in Path(pack).read_bytes()
    # A pack is edited by scripts like any database, with its passphrase.
    edited = run("--passphrase-file", str(secret), "set", "partnership", partnership,
                 "aims=Encrypted visit", "--db", pack)
    assert edited.returncode == 0, edited.stderr
    for extra, message in (((), "is an encrypted visit pack"),
                           (("--passphrase-file", str(wrong)), "does not open with this")):
        refused = run("pack", "merge", pack, "--db", where, *extra)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
    merged = run("pack", "merge", pack, "--db", where, "--passphrase-file", str(secret))
    assert merged.returncode == 0, merged.stderr
    assert _field(where, partnership, "aims") == "Encrypted visit"
