"""Address books exported by Outlook (German), Google Contacts and Thunderbird, imported
without --map: every e-mail, phone, address and web page kept with its type, the preferred
ones in the table, names put together, tags and departments read, the city from the address.
The files are in tests/data/corpus/contacts/, written as those programs write them."""

from __future__ import annotations

from pathlib import Path

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.importer import import_file
from citypartner_desktop.services import records

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "contacts"
COLUMNS = ("full_name", "email", "phone", "organisation", "department", "tags", "city_id")


def _imported(db: Database, name: str) -> dict[str, tuple[tuple[object, ...], list[str]]]:
    """full name -> (table values, details as typed lines)"""
    _prepared, report = import_file(db, "contacts", CORPUS / name)
    assert report.committed and not report.refused, report.summary()
    result = {}
    for row in records.list_page(db.uow(), "contact", ListQuery(columns=COLUMNS, limit=50)):
        details = records.get(db.uow(), "contact", row.id).values["details"]
        lines = contact_details.to_lines(contact_details.parse(details)).splitlines()
        result[str(row.values[0])] = (tuple(row.values[1:]), lines)
    return result


def test_outlook_in_german_windows_1252(db: Database) -> None:
    found = _imported(db, "outlook_de.csv")
    values, details = found["Jürgen Weiß"]
    assert values == ("juergen.weiss@stadt.nuernberg.de", "+499112315047", "Stadt Nürnberg",
                      "Amt für Internationale Beziehungen", "Partnerstädte", "Nuremberg (DE)")
    assert details == [
        "email (preferred): juergen.weiss@stadt.nuernberg.de",
        "phone (work, preferred): +499112315047",
        "phone (mobile): +491701234567",
        "address (work): Hauptmarkt 18; 90403; Nürnberg; ; Deutschland",
        "web: https://www.nuernberg.de"]
    values, details = found["Malgorzata Zielinska"]
    assert values[0] == "m.zielinska@dpg-franken.de" and values[4:] == ("Partnerstädte, "
                                                                         "Vereine", "Fürth (DE)")
    assert values[1] == "+499117705544"  # the home phone Outlook marks as primary


def test_google_contacts_with_labels_and_several_values_in_one_cell(db: Database) -> None:
    found = _imported(db, "google.csv")
    values, details = found["Łucja Wąsowicz"]
    assert values == ("lucja.wasowicz@gdansk.gda.pl", "+48501234567", "Urząd Miejski w Gdańsku",
                      "Biuro Prezydenta", "Partners", "Gdańsk (PL)")
    assert details == [
        "email (work, preferred): lucja.wasowicz@gdansk.gda.pl",
        "email (home): lucja.w@example.pl",
        "email (home): lucja.wasowicz@example.com",  # "a ::: b" in one cell: two addresses
        "phone (mobile, preferred): +48501234567",
        "phone (work): +48583236000",
        "address (work): Nowe Ogrody 8/12; 80-803; Gdańsk; pomorskie; Polska",
        "web (work): https://www.gdansk.pl"]
    assert set(found) == {"Łucja Wąsowicz", "Marie-Thérèse Dubois", "Klaus Schäfer"}


def test_thunderbird(db: Database) -> None:
    found = _imported(db, "thunderbird.csv")
    values, details = found["Jiří Novák"]
    assert values == ("jiri.novak@brno.cz", "+420542171111", "Statutární město Brno",
                      "Oddělení zahraničních vztahů", None, "Brno (CZ)")
    assert len(details) == 7 and details[1] == "email: jiri.novak@seznam.cz"
    assert "phone (fax): +420542171112" in details
