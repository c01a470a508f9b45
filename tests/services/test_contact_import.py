"""Contacts as people keep them: several e-mails, phones and addresses each with its type,
the preferred one for the table; a card seen before (same UID) updates its contact; a city
named without its country found in the gazetteer when one place stands out."""

from __future__ import annotations

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import history, records
from citypartner_desktop.services.imports import ImportRow, run_import


@pytest.fixture(autouse=True)
def _gazetteer(shared_gazetteer: object) -> None:
    """The import resolves cities against the real gazetteer, built once per session."""


def _row(line: int, **values: object) -> ImportRow:
    return ImportRow(line, values, {name: name for name in values})


ANNA = [Detail("email", "biuro@krakow.pl", "work"),
        Detail("email", "anna.nowak@example.org", "home", preferred=True),
        Detail("phone", "12 616 12 00", "work"),
        Detail("phone", "+48 600 100 200;ext=12", "mobile"),
        address(["Plac Wszystkich Świętych 3", "31-004", "Kraków", "", "PL"], "work"),
        Detail("web", "https://www.krakow.pl")]


def test_the_typed_and_stored_forms_read_alike_and_bad_lines_say_which() -> None:
    typed = contact_details.to_lines(ANNA)
    assert contact_details.parse(typed) == contact_details.parse(contact_details.to_json(ANNA))
    with pytest.raises(ValueError, match=r'line 2: "fax" is not a kind of detail'):
        contact_details.parse("email: a@b.pl\nfax: 123")
    with pytest.raises(ValueError, match=r"line 1 .* should look like"):
        contact_details.parse("just some words")
    # Two marked preferred: the first stays preferred.
    both = contact_details.parse("email (pref): a@b.pl\nemail (pref): c@d.pl")
    assert [d.preferred for d in both] == [True, False]


def test_every_detail_is_kept_and_the_preferred_ones_fill_the_table(db: Database) -> None:
    report = run_import(db, "contacts", [_row(
        2, first_name="Anna", last_name="Nowak", organisation="Urząd Miasta Krakowa",
        department="Biuro Współpracy Międzynarodowej", tags="newsletter, mayors",
        city="Kraków", country="PL", card_uid="card-anna-1", details=ANNA)], source="anna.vcf")
    assert report.committed and report.count("create") == 1
    row = records.list_page(db.uow(), "contact", ListQuery(columns=(
        "full_name", "email", "phone", "department", "tags")))[0]
    assert row.values == ("Anna Nowak", "anna.nowak@example.org", "+48126161200",
                          "Biuro Współpracy Międzynarodowej", "newsletter, mayors")
    stored = records.get(db.uow(), "contact", row.id).values
    assert (stored["given_name"], stored["family_name"]) == ("Anna", "Nowak")
    details = contact_details.parse(stored["details"])
    # Phones in E.164 when they can be read (the city's country), an extension as written.
    assert [d.value for d in details if d.kind == "phone"] == ["+48126161200",
                                                             "+48 600 100 200;ext=12"]
    assert [d.kind for d in details] == ["email", "email", "phone", "phone", "address", "web"]
    # Found by its department and tags too.
    found = records.list_page(db.uow(), "contact", ListQuery(search="mayors"))
    assert [r.id for r in found] == [row.id]


def test_a_card_seen_before_updates_its_contact_with_history(db: Database) -> None:
    first = run_import(db, "contacts", [_row(2, full_name="Anna Nowak", card_uid="card-anna-1",
                                             details=ANNA)], source="anna.vcf")
    assert first.committed
    moved = [Detail("email", "anna.nowak@krakow.pl", "work", preferred=True), *ANNA[2:]]
    again = run_import(db, "contacts", [_row(2, full_name="Anna Nowak", card_uid="card-anna-1",
                                             position="Director", details=moved)],
                       source="anna.vcf")
    assert [o.action for o in again.outcomes] == ["update"]
    assert ("updates position / role, e-mail, all e-mails, phones, addresses"
            in again.outcomes[0].text)
    assert again.committed and again.updated == 1 and "1 contacts updated" in again.summary()
    rows = records.list_page(db.uow(), "contact", ListQuery(columns=("full_name", "email",
                                                                     "position")))
    assert [r.values for r in rows] == [("Anna Nowak", "anna.nowak@krakow.pl", "Director")]
    changes = history.history(db.uow(), "contact", rows[0].id)
    assert {c.field for c in changes} >= {"E-mail", "Position / role",
                                          "All e-mails, phones, addresses"}
    # The same card a third time: nothing to do.
    third = run_import(db, "contacts", [_row(2, full_name="Anna Nowak", card_uid="card-anna-1",
                                             position="Director", details=moved)],
                       source="anna.vcf")
    assert [o.action for o in third.outcomes] == ["match"] and not third.committed


def test_a_card_this_app_exported_finds_its_contact_by_id(db: Database) -> None:
    run_import(db, "contacts", [_row(2, full_name="Jean Martin", email="jean@lyon.fr")],
               source="a.csv")
    contact_id = records.list_page(db.uow(), "contact", ListQuery())[0].id
    report = run_import(db, "contacts", [_row(2, full_name="Jean Martin", card_uid=contact_id,
                                              organisation="Ville de Lyon")], source="b.vcf")
    assert [o.action for o in report.outcomes] == ["update"]
    assert records.get(db.uow(), "contact", contact_id).values["organisation"] == (
        "Ville de Lyon")


def test_an_unreadable_detail_is_kept_with_a_warning_never_refused(db: Database) -> None:
    report = run_import(db, "contacts", [_row(
        2, full_name="Kim Min-jun", details=[Detail("email", "kim at seoul", preferred=True),
                                             Detail("phone", "call the front desk")])],
        source="kim.vcf")
    assert report.committed and report.count("create") == 1
    assert any("kept among the details only" in w for w in report.outcomes[0].warnings)
    assert any('phone "call the front desk" could not be read' in w
               for w in report.outcomes[0].warnings)


def test_a_city_without_country_is_found_when_one_place_stands_out(db: Database) -> None:
    report = run_import(db, "contacts", [
        _row(2, full_name="Anna Nowak", city="Kraków"),
        _row(3, full_name="Bob Smith", city="Springfield")], source="c.csv")
    assert [o.action for o in report.outcomes] == ["create", "refuse"]
    assert "Kraków (PL)" in " ".join(report.outcomes[0].notes)
    problem = report.outcomes[1].problems[0]
    assert "no country given" in problem and "places of that name" in problem
    assert "US" in problem


def test_a_year_alone_stays_a_year_and_our_city_leads(db: Database) -> None:
    home = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL",
                                             "is_home": True})
    report = run_import(db, "partnerships", [
        _row(2, city_a="Kraków", country_a="PL", city_b="Nürnberg", country_b="DE",
             since_year="seit 1979")], source="list.csv")
    assert report.committed
    partnership = records.list_page(db.uow(), "partnership", ListQuery(
        columns=("since_year", "start_date", "status")))[0]
    assert partnership.values == (1979, None, "active")
    members = records.list_page(db.uow(), "membership", ListQuery(
        columns=("city_id", "role"), filters=(("partnership_id", partnership.id),)))
    roles = {r.values[0]: r.values[1] for r in members}
    assert home.values["name"] == "Kraków"
    assert roles == {"Kraków (PL)": "lead", "Nuremberg (DE)": "partner"}


def test_a_cities_list_without_countries_takes_the_place_that_stands_out(
        db: Database) -> None:
    report = run_import(db, "cities", [
        _row(2, name="Kyoto"), _row(3, name="Springfield"),
        _row(4, name="Springfield", region="Illinois")], source="cities.csv")
    assert [o.action for o in report.outcomes] == ["create", "refuse", "create"]
    assert report.outcomes[0].text == "Kyoto (JP)"
    assert "no country given" in report.outcomes[1].problems[0]
    assert report.outcomes[2].text == "Springfield (US)"


def test_the_spelling_a_list_used_is_kept_as_a_name_in_its_language(db: Database) -> None:
    """Imported from a German list, "Krakau" (the gazetteer's alternate name of Kraków) stays
    with the city as its German name; a Japanese spelling by its script; the city's own name
    adds nothing. Search finds the city by any of them."""
    krakow = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    german = run_import(db, "partnerships", [
        _row(2, city_a="Krakau", country_a="PL", city_b="Nürnberg", country_b="DE")],
        source="partnerstaedte.csv", language="de")
    assert german.committed and "another name for 1 cities" in german.summary()
    japanese = run_import(db, "partnerships", [
        _row(2, city_a="クラクフ", country_a="PL", city_b="京都市", country_b="JP"),
        _row(3, city_a="Kraków", country_a="PL", city_b="Lviv", country_b="UA")],
        source="姉妹都市.csv")
    assert japanese.committed
    names = records.get(db.uow(), "city", krakow.id).values["other_names"]
    assert names == "de: Krakau\nja: クラクフ"
    nuremberg = records.list_page(db.uow(), "city", ListQuery(search="Nuremberg"))[0]
    assert records.get(db.uow(), "city", nuremberg.id).values["other_names"] == "de: Nürnberg"
    assert [r.id for r in records.list_page(db.uow(), "city", ListQuery(search="krakau"))] == [
        krakow.id]


def test_a_partnership_known_by_its_year_is_reported_so_and_only_from_then(
        db: Database) -> None:
    """A twinning "since 1979" shows 1979 as its start in the dossier and the city profile,
    and a portfolio of a year before it does not list it."""
    from datetime import date

    from citypartner_desktop.services import report_data

    run_import(db, "partnerships", [
        _row(2, city_a="Kraków", country_a="PL", city_b="Nürnberg", country_b="DE",
             since_year="1979")], source="list.csv")
    partnership = records.list_page(db.uow(), "partnership", ListQuery())[0]
    dossier = report_data.dossier(db.uow(), partnership.id)
    assert (dossier.partnership.start_date, dossier.partnership.since_year) == (None, 1979)
    krakow = records.list_page(db.uow(), "city", ListQuery(search="Kraków"))[0]
    profile = report_data.city_profile(db.uow(), krakow.id)
    assert [p.since_year for p in profile.partnerships] == [1979]
    before = report_data.portfolio(db.uow(), 1978, date(1978, 12, 31))
    after = report_data.portfolio(db.uow(), 1980, date(1980, 12, 31))
    assert (len(before.partnerships), len(after.partnerships)) == (0, 1)
