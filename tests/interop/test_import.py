"""Importing cities, contacts, partnerships and activities: outcomes, matching, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.importer import ImportOptions, import_file
from citypartner_desktop.services import backups, records
from citypartner_desktop.services.imports import ImportCancelled
from tests.interop.conftest import snapshot, write

KRAKOW = 3094802


def _cities(db: Database) -> list[tuple[object, ...]]:
    rows = records.list_page(db.uow(), "city", ListQuery(limit=1000, columns=(
        "name", "country", "geonames_id", "native_name", "review")))
    return [r.values for r in rows]


def test_pairs_resolve_cities_once_and_a_reversed_pair_is_one_partnership(
        db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.csv",
                 "city_a,country_a,city_b,country_b,since_year\n"
                 "Krakow,Poland,Cambridge,England\n"
                 "Cambridge,\"England, United Kingdom\",Kraków,PL\n"
                 "Cambridge,United States,Kraków,Poland,1995\n"
                 "京都市,Japan,Kraków,Poland,\n"
                 "Stari Grad (Sarajevo),Bosnia and Herzegovina,Kraków,Poland,\n")
    _prepared, report = import_file(db, "partnerships", path)
    assert report.committed
    assert [o.action for o in report.outcomes] == ["create", "match", "create", "create",
                                                   "create"]
    assert "same partnership as line 2" in report.outcomes[1].text
    assert report.created == {"cities": 5, "partnerships": 4, "memberships": 8,
                              "contacts": 0, "activities": 0}
    cities = {(c[0], c[1]): c for c in _cities(db)}
    assert cities[("Kraków", "PL")][2] == KRAKOW  # "Krakow" and "Kraków" are one city
    assert cities[("Cambridge", "GB")][2] != cities[("Cambridge", "US")][2]
    assert cities[("Kyoto", "JP")][3] == "京都市"  # the own-script name is the native name
    stari = cities[("Stari Grad (Sarajevo)", "BA")]
    assert stari[2] is None
    assert stari[4] == "not in the world gazetteer (imported from pairs.csv)"
    assert cities[("Kraków", "PL")][4] is None  # found: nothing to check
    assert report.review == ["Stari Grad (Sarajevo) (Bosnia and Herzegovina): not in the "
                             "world gazetteer (line 6)"]
    titles = [r.values[0] for r in records.list_page(
        db.uow(), "partnership", ListQuery(limit=10, columns=("title", "start_date")))]
    assert "Cambridge – Kraków" in titles


def test_same_file_twice_creates_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.csv", "city1,country1,city2,country2\n"
                 "Lviv,Ukraine,Wrocław,Poland\nNowhere Town,Poland,Lviv,Ukraine\n")
    import_file(db, "partnerships", path)
    before = snapshot(db)
    _prepared, report = import_file(db, "partnerships", path)
    assert [o.action for o in report.outcomes] == ["match", "match"]
    assert not report.committed and report.backup is None
    assert snapshot(db) == before


def test_existing_database_city_is_reused(db: Database, tmp_path: Path) -> None:
    records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    path = write(tmp_path / "pairs.csv", "city1,country1,city2,country2\n"
                 "Krakow,Poland,Lviv,Ukraine\n")
    import_file(db, "partnerships", path)
    names = sorted((c[0], c[1]) for c in _cities(db))
    assert names == [("Kraków", "PL"), ("Lviv", "UA")]


@pytest.mark.file_only  # a file's backup folder
def test_a_refused_row_means_nothing_is_written_unless_valid_only(
        db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "contacts.csv",
                 "name,email,city,country,consent date\n"
                 "Anna Nowak,anna@example.pl,Kraków,Poland,2025-01-02\n"
                 "Bob,bob@,Lviv,Ukraine,\n"
                 "Carla,carla@example.it,Roma,Grecce,03/04/2025\n")
    before = snapshot(db)
    _prepared, report = import_file(db, "contacts", path)
    assert (report.count("create"), report.count("match"), report.count("refuse")) == (1, 0, 2)
    assert report.rows_read == 3
    messages = [m for o in report.refused for m in o.messages(path.name)]
    assert 'contacts.csv line 3, column email: "bob@" is not an e-mail address' in messages[0]
    assert any('line 4, column country: "Grecce" is not a known country' in m for m in messages)
    assert any("line 4, column consent date:" in m and "ambiguous" in m for m in messages)
    assert not report.committed and snapshot(db) == before
    assert backups.list_backups(db.path) == []

    _prepared, report = import_file(db, "contacts", path, valid_only=True)
    assert report.committed and report.backup is not None and report.backup.exists()
    after = snapshot(db)
    assert after["contacts"] == 1 and after["cities"] == 1  # Lviv's row was refused: no city
    contact = records.list_page(db.uow(), "contact", ListQuery(columns=("full_name", "city_id")))
    assert [r.values for r in contact] == [("Anna Nowak", "Kraków (PL)")]


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "name,country\nKraków,PL\nAtlantis City,PL\n")
    before = snapshot(db)
    _prepared, report = import_file(db, "cities", path, dry_run=True)
    assert report.count("create") == 2 and "Dry run" in report.summary()
    assert snapshot(db) == before


def test_cities_fill_facts_from_the_gazetteer_and_keep_file_values(
        db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "name;country;population;website\n"
                 "Krakow;Poland;800000;krakow.pl\nKRAKÓW;PL;;\n")
    _prepared, report = import_file(db, "cities", path)
    assert [o.action for o in report.outcomes] == ["create", "match"]
    record = records.get(db.uow(), "city", records.list_page(
        db.uow(), "city", ListQuery()).pop().id)
    assert record.values["name"] == "Krakow"
    assert record.values["geonames_id"] == KRAKOW
    assert record.values["population"] == 800000  # the file's value wins
    assert record.values["timezone"] == "Europe/Warsaw"
    assert record.values["website"] == "https://krakow.pl"


def test_contacts_match_by_email_and_phone_uses_the_city_country(
        db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "first name,last name,e-mail,phone,city,country\n"
                 "Anna,Nowak,Anna@Example.pl,12 616 12 00,Kraków,Poland\n"
                 "Anna,Nowak-Kowalska,anna@example.pl,,,\n")
    _prepared, report = import_file(db, "contacts", path)
    assert [o.action for o in report.outcomes] == ["create", "match"]
    row = records.list_page(db.uow(), "contact", ListQuery(columns=("full_name", "phone")))
    assert [r.values for r in row] == [("Anna Nowak", "+48126161200")]
    _prepared, again = import_file(db, "contacts", path)
    assert [o.action for o in again.outcomes] == ["match", "match"]


def test_activities_need_a_known_partnership(db: Database, tmp_path: Path) -> None:
    partnership = records.create(db.uow(), "partnership", {
        "title": "Kraków – Kyoto", "kind": "twinning", "status": "active"})
    path = write(tmp_path / "a.csv", "partnership,title,date,end,place,country,cost\n"
                 "Kraków – Kyoto,Delegation,2025-05-01,2025-05-04,Kyoto,JP,1200\n"
                 "No such partnership,Call,2025-05-02,,,,\n"
                 "kraków – kyoto,Late,2025-05-09,2025-05-01,,,\n")
    _prepared, report = import_file(db, "activities", path, valid_only=True)
    assert [o.action for o in report.outcomes] == ["create", "refuse", "refuse"]
    assert 'no partnership is titled "No such partnership"' in report.outcomes[1].problems[0]
    assert "is before the start" in report.outcomes[2].problems[0]
    rows = records.list_page(db.uow(), "activity", ListQuery(
        columns=("title", "partnership_id", "city_id", "start_date")))
    assert [r.values[:3] for r in rows] == [("Delegation", partnership.values["title"],
                                             "Kyoto (JP)")]


def test_date_format_option_reads_local_dates(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "name,consent date\nAnna,03/04/2025\n")
    _prepared, report = import_file(db, "contacts", path,
                                    ImportOptions(date_format="%m/%d/%Y"))
    assert report.committed
    row = records.list_page(db.uow(), "contact", ListQuery(columns=("full_name",)))[0]
    assert str(records.get(db.uow(), "contact", row.id).values["consent_date"]) == "2025-03-04"


def test_cancel_and_failure_leave_the_database_as_it_was(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.csv", "city1,country1,city2,country2\n" + "".join(
        f"Town {i},Poland,Lviv,Ukraine\n" for i in range(3000)))
    before = snapshot(db)
    with pytest.raises(ImportCancelled):
        import_file(db, "partnerships", path, should_cancel=lambda: True)
    assert snapshot(db) == before

    calls: list[str] = []

    def fail_while_writing(_done: int, _total: int, message: str) -> None:
        calls.append(message)
        if message.startswith("Writing memberships"):
            raise OSError("disk gone")

    with pytest.raises(OSError):
        import_file(db, "partnerships", path, progress=fail_while_writing)
    assert any(m.startswith("Writing partnerships") for m in calls)  # some were written
    assert snapshot(db) == before


def test_excel_pairs_with_years_and_real_dates(db: Database, tmp_path: Path) -> None:
    from datetime import date, datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook has one
    sheet.append(["City A", "Country A", "City B", "Country B", "Since", "Start"])
    sheet.append(["Kraków", "Poland", "Kyoto", "Japan", "since 1994", None])
    sheet.append(["Lviv", "UA", "Wrocław", "PL", None, datetime(2003, 5, 17)])
    sheet.append(["Lviv", "UA", "Kraków", "PL", "nineteen", None])
    path = tmp_path / "pairs.xlsx"
    book.save(path)
    _prepared, report = import_file(db, "partnerships", path, valid_only=True)
    assert [o.action for o in report.outcomes] == ["create", "create", "refuse"]
    assert report.outcomes[2].problems == ('column Since: "nineteen" is not a whole number',)
    rows = records.list_page(db.uow(), "partnership", ListQuery(
        columns=("title", "start_date", "since_year"), sort_field="title"))
    # A year alone stays a year ("since 1994" is not 1 January 1994).
    assert [r.values for r in rows] == [("Kraków – Kyoto", None, 1994),
                                        ("Lviv – Wrocław", date(2003, 5, 17), None)]


def test_xlsx_export_imports_back(db: Database, tmp_path: Path) -> None:
    from citypartner_desktop.interop.export import export_list

    for name, country in (("=Kraków", "PL"), ("Lviv", "UA")):
        records.create(db.uow(), "city", {"name": name, "country": country,
                                          "review": "+check"})
    export_list(db, "city", tmp_path / "cities.xlsx")
    other_path = tmp_path / "other.db"
    from citypartner_desktop.services.database import open_db
    from tests.conftest import TEST_ACTOR

    other = open_db(other_path, TEST_ACTOR)
    try:
        _prepared, report = import_file(other, "cities", tmp_path / "cities.xlsx")
        assert report.committed
        assert sorted(c[:2] + c[4:] for c in _cities(other)) == [
            ("=Kraków", "PL", "+check"), ("Lviv", "UA", "+check")]
    finally:
        other.close()


def test_a_city_is_matched_by_its_geonames_id(db: Database, tmp_path: Path) -> None:
    records.create(db.uow(), "city", {"name": "Cracow", "country": "PL",
                                      "geonames_id": KRAKOW})
    path = write(tmp_path / "c.csv", f"name,country,geonames id\nKrakau,PL,{KRAKOW}\n"
                 "Nowhere Village,PL,999999999\n")
    _prepared, report = import_file(db, "cities", path)
    assert report.outcomes[0].action == "match"
    assert "already in the database as Cracow (PL)" in report.outcomes[0].text
    assert report.outcomes[1].action == "create" and report.review == []  # the file linked it


def test_listed_pairs_are_active_twinnings_unless_the_row_says_otherwise(
        db: Database, tmp_path: Path) -> None:
    """A published twinning list names partnerships in force: without a status column they
    are active twinnings (not the dialog's "proposed"); a row's own kind and status win."""
    path = write(tmp_path / "pairs.csv",
                 "city_a,country_a,city_b,country_b,kind,status\n"
                 "Kraków,PL,Kyoto,JP,,\n"
                 "Kraków,PL,Lyon,FR,friendship,suspended\n")
    _prepared, report = import_file(db, "partnerships", path)
    assert report.committed
    rows = records.list_page(db.uow(), "partnership", ListQuery(
        columns=("title", "kind", "status"), sort_field="title"))
    assert [tuple(r.values) for r in rows] == [("Kraków – Kyoto", "twinning", "active"),
                                              ("Kraków – Lyon", "friendship", "suspended")]


def test_phones_without_country_code_are_read_as_the_office_writes_them_or_kept_as_written(
        db: Database, tmp_path: Path) -> None:
    """No country on the row: the office's own country (its home city's) reads the number.
    A number nothing can read never refuses the person: it is kept as written, in the notes,
    and the preview says so."""
    records.create(db.uow(), "city", {"name": "Nürnberg", "country": "DE", "is_home": True})
    path = write(tmp_path / "c.csv", "name,phone,notes\n"
                 "Klaus Bauer,0911 231 2345,\n"
                 "Eva Rot,call the front desk,Met at the fair\n")
    _prepared, report = import_file(db, "contacts", path)
    assert report.committed and [o.action for o in report.outcomes] == ["create", "create"]
    assert report.outcomes[1].warnings[0] == ('column phone: "call the front desk" could not be '
                                           "read as a phone number; it is kept as written in "
                                           "the notes")
    rows = records.list_page(db.uow(), "contact", ListQuery(
        columns=("full_name", "phone", "notes"), sort_field="full_name"))
    assert [r.values for r in rows] == [
        ("Eva Rot", None, "Met at the fair\nPhone as written: call the front desk"),
        ("Klaus Bauer", "+499112312345", None)]
