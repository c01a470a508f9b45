"""`citypartner report`: every kind, names that match nothing or several, exit codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from citypartner_desktop.cli import main
from citypartner_desktop.services import records
from tests.reports.conftest import Office, has, pdf_text

pytestmark = pytest.mark.file_only  # the command line on a file's path


@pytest.fixture
def cli_office(office: Office, db_path: Path) -> Office:
    office.db.close()  # the command opens the file itself
    return office


@pytest.mark.parametrize(("kind", "args", "expected"), [
    ("partnership", ["--name", "Network Łódź–Київ–京都市"], "Partnership dossier"),
    ("city", ["--name", "京都市"], "City profile"),
    ("visit", ["--name", "Київ"], "Visit briefing pack"),
    ("evaluation", ["--name", "Network 2025"], "Evaluation report"),
    ("portfolio", ["--year", "2025"], "Annual portfolio report"),
])
def test_every_report_kind(cli_office: Office, db_path: Path, tmp_path: Path, kind: str,
                           args: list[str], expected: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"{kind}.pdf"
    code = main(["report", kind, *args, "--db", str(db_path), "-o", str(out),
                 "--office", "Stadt Nürnberg"])
    assert code == 0, capsys.readouterr().err
    assert f"Wrote {out}" in capsys.readouterr().out
    text = pdf_text(out)
    assert has(text, expected) and has(text, "Stadt Nürnberg")


def test_by_id(cli_office: Office, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "city", "--id", cli_office.cities["Αθήνα"], "--db", str(db_path),
                 "-o", str(out)]) == 0
    assert has(pdf_text(out), "Αθήνα")


def test_portfolio_year_defaults_to_this_year(cli_office: Office, db_path: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    assert main(["report", "portfolio", "--db", str(db_path), "-o", str(out)]) == 0
    assert has(pdf_text(out), f"Annual portfolio report · {date.today().year}")


def test_a_name_matching_nothing_is_refused(cli_office: Office, db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "city", "--name", "Atlantis", "--db", str(db_path),
                 "-o", str(out)]) == 1
    assert "citypartner: No city matches “Atlantis”." in capsys.readouterr().err
    assert not out.exists()


def test_a_name_matching_several_lists_them(cli_office: Office, db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from citypartner_desktop.services.database import open_db

    again = open_db(db_path)
    records.create(again.uow(), "partnership", {"title": "Network of Gödöllő schools",
                                                "kind": "network", "status": "active"})
    again.close()
    out = tmp_path / "x.pdf"
    assert main(["report", "partnership", "--name", "network", "--db", str(db_path),
                 "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "“network” matches 2 partnership records" in err
    assert "Network of Gödöllő schools" in err and "Network Łódź–Київ–京都市" in err
    assert "--id" in err
    assert not out.exists()


def test_usage_errors(cli_office: Office, db_path: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    with pytest.raises(SystemExit) as missing_name:
        main(["report", "city", "--db", str(db_path), "-o", out])
    assert missing_name.value.code == 2
    with pytest.raises(SystemExit) as both:
        main(["report", "city", "--id", "a", "--name", "b", "--db", str(db_path), "-o", out])
    assert both.value.code == 2
    with pytest.raises(SystemExit) as portfolio_by_name:
        main(["report", "portfolio", "--name", "x", "--db", str(db_path), "-o", out])
    assert portfolio_by_name.value.code == 2
    assert not Path(out).exists()


def test_missing_database_and_bad_year_are_refused(tmp_path: Path, cli_office: Office,
                                                   db_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "portfolio", "--db", str(tmp_path / "none.db"), "-o",
                 str(tmp_path / "x.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert main(["report", "portfolio", "--year", "20255", "--db", str(db_path), "-o",
                 str(tmp_path / "x.pdf")]) == 1
    assert "20255 is not a year" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_pdf_is_valid(cli_office: Office, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "evaluation", "--id", cli_office.evaluation, "--db", str(db_path),
                 "-o", str(out)]) == 0
    assert len(PdfReader(out).pages) >= 1
