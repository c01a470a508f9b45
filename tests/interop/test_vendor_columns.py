"""The column sets of address-book programs, recognised without --map; contacts exported
for Outlook and Google Contacts and read back. The files in tests/data/corpus/contacts are
written as each program writes them (see contact_columns)."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.interop.contact_columns import (
    DetailColumn,
    detail_columns,
    details_of,
    label_of,
    tags_of,
)
from citypartner_desktop.interop.mapping import ColumnMap, guess_fields, match_columns
from citypartner_desktop.interop.source_table import FileRefused, SourceRow, SourceTable
from citypartner_desktop.interop.tables import read_table
from citypartner_desktop.interop.vendor_columns import (
    OUTLOOK_HEADERS,
    export_headers,
    export_row,
)

CORPUS = Path(__file__).parent.parent / "data" / "corpus" / "contacts"


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """Headers and cells only: these tests need no gazetteer (conftest builds one, slowly)."""


def email(value: str, label: str = "", preferred: bool = False) -> Detail:
    return Detail("email", value, label, preferred)


def phone(value: str, label: str = "", preferred: bool = False) -> Detail:
    return Detail("phone", value, label, preferred)


def web(value: str, label: str = "") -> Detail:
    return Detail("web", value, label)


def read(name: str) -> tuple[SourceTable, ColumnMap]:
    table = read_table(CORPUS / name)
    return table, match_columns("contacts", table)


def fields(columns: ColumnMap) -> dict[str, str]:
    return {f: columns.headers[i] for f, i in columns.fields.items()}


def described(columns: ColumnMap) -> dict[str, str]:
    """header -> "kind label part" (+ " preferred") of each detail column."""
    return {columns.headers[i]: " ".join(p for p in (c.kind, c.label, c.part,
                                                     "preferred" if c.preferred else "") if p)
            for i, c in sorted(columns.details.items())}


def rows(table: SourceTable, columns: ColumnMap) -> list[list[Detail]]:
    return [details_of(row.cells, columns.details) for row in table.rows]


def table_of(headers: list[str], *cells: list[str]) -> SourceTable:
    return SourceTable("t.csv", tuple(headers),
                       tuple(SourceRow(n, tuple(c)) for n, c in enumerate(cells, start=2)))


# --- Outlook ----------------------------------------------------------------------------------

OUTLOOK_FIELDS = {"title": "Title", "first_name": "First Name", "middle_name": "Middle Name",
                  "last_name": "Last Name", "organisation": "Company",
                  "department": "Department", "position": "Job Title", "tags": "Categories",
                  "email": "E-mail Address", "languages": "Language", "notes": "Notes"}
OUTLOOK_DETAILS = {
    **{f"{where} {part}": f"address {label} {name}"
       for where, label in (("Business", "work"), ("Home", "home"), ("Other", "other"))
       for part, name in (("Street", "street"), ("Street 2", "street"),
                          ("Street 3", "street"), ("City", "city"), ("State", "region"),
                          ("Postal Code", "postcode"), ("Country/Region", "country"),
                          ("Address PO Box", "street"))},
    "Assistant's Phone": "phone assistant value", "Business Fax": "phone fax value",
    "Business Phone": "phone work value", "Business Phone 2": "phone work value",
    "Callback": "phone callback value", "Car Phone": "phone car value",
    "Company Main Phone": "phone company value", "Home Fax": "phone home fax value",
    "Home Phone": "phone home value", "Home Phone 2": "phone home value",
    "ISDN": "phone isdn value", "Mobile Phone": "phone mobile value",
    "Other Fax": "phone other fax value", "Other Phone": "phone other value",
    "Pager": "phone pager value", "Primary Phone": "phone main value preferred",
    "Radio Phone": "phone radio value", "TTY/TDD Phone": "phone tty value",
    "Telex": "phone telex value", "E-mail Address": "email value",
    "E-mail 2 Address": "email value", "E-mail 3 Address": "email value",
    "Web Page": "web value"}
OUTLOOK_EXTRA = {  # the same 33 Outlook fields in each language
    "en": ("Suffix", "Account", "Anniversary", "Assistant's Name", "Billing Information",
           "Birthday", "Children", "Directory Server", "E-mail Type", "E-mail Display Name",
           "E-mail 2 Type", "E-mail 2 Display Name", "E-mail 3 Type", "E-mail 3 Display Name",
           "Gender", "Government ID Number", "Hobby", "Initials", "Internet Free Busy",
           "Keywords", "Location", "Manager's Name", "Mileage", "Office Location",
           "Organizational ID Number", "Priority", "Private", "Profession", "Referred By",
           "Sensitivity", "Spouse", "User 1", "User 2", "User 3", "User 4"),
    "de": ("Suffix", "Abrechnungsinformation", "Benutzer 1", "Benutzer 2", "Benutzer 3",
           "Benutzer 4", "Beruf", "Büro", "E-Mail-Typ", "E-Mail: Angezeigter Name",
           "E-Mail 2: Typ", "E-Mail 2: Angezeigter Name", "E-Mail 3: Typ",
           "E-Mail 3: Angezeigter Name", "Empfohlen von", "Geburtstag", "Geschlecht", "Hobby",
           "Initialen", "Internet Frei/Gebucht", "Jahrestag", "Kinder", "Konto",
           "Name Assistent", "Name des/r Vorgesetzten", "Organisationsnr.", "Partner",
           "Priorität", "Privat", "Regierungsnr.", "Reisekilometer", "Stichwörter",
           "Vertraulichkeit", "Verzeichnisserver"),
    "fr": ("Suffixe", "Type de messagerie", "Nom complet de l'adresse de messagerie",
           "Type de messagerie 2", "Nom complet de l'adresse de messagerie 2",
           "Type de messagerie 3", "Nom complet de l'adresse de messagerie 3", "Anniversaire",
           "Anniversaire de mariage ou fête", "Bureau", "Code gouvernement", "Compte",
           "Conjoint(e)", "Critère de diffusion", "Disponibilité Internet", "Emplacement",
           "Enfants", "Informations facturation", "Initiales", "Kilométrage", "Mots clés",
           "Nom de l'assistant(e)", "Numéro d'identification de l'organisation",
           "Passe-temps", "Priorité", "Privé", "Profession", "Recommandé par", "Responsable",
           "Serveur d'annuaire", "Sexe", "Utilisateur 1", "Utilisateur 2", "Utilisateur 3",
           "Utilisateur 4"),
}


def test_outlook_english_desktop_export() -> None:
    table, columns = read("outlook_en.csv")
    assert table.encoding == "Windows-1252" and len(table.headers) == 92
    assert fields(columns) == OUTLOOK_FIELDS
    assert described(columns) == OUTLOOK_DETAILS
    assert columns.extra == OUTLOOK_EXTRA["en"]
    assert rows(table, columns) == [
        [email("agnieszka.wojcik@um.krakow.pl", preferred=True), email("a.wojcik@gmail.com"),
         phone("+48 12 616 12 01", "fax"), phone("+48 12 616 12 00", "work"),
         # "Primary Phone" repeats the mobile number: one detail, the preferred one
         phone("+48 600 100 200", "mobile", True),
         address(["Plac Wszystkich Swietych 3-4", "31-004", "Kraków", "", "Poland"], "work"),
         web("https://www.krakow.pl")],
        [email("soeren.oestergaard@aarhus.dk", preferred=True),
         phone("+45 89 40 20 00", "work", True), phone("+45 86 12 34 56", "home"),
         address(["Rådhuspladsen 2", "8000", "Aarhus C", "", "Denmark"], "work")],
        [phone("+48 501 000 111", "mobile", True),
         address(["ul. Dluga 5", "80-827", "Gdansk", "", "Poland"], "home")],
    ]
    first = table.rows[0].cells
    assert tags_of(first[columns.fields["tags"]]) == "Partners, Mayors' conference"
    assert first[columns.fields["notes"]] == ("Met at the Eurocities AGM 2024.\r\n"
                                              "Prefers calls before 10:00.")


def test_outlook_german_and_french_mean_what_english_means() -> None:
    _, english = read("outlook_en.csv")
    for name, language in (("outlook_de.csv", "de"), ("outlook_fr.csv", "fr")):
        table, columns = read(name)
        assert table.encoding == "Windows-1252" and len(table.headers) == 92
        # German Outlook's "Ort" (Location) is read as the city; English "Location" is not
        assert set(columns.fields) - {"city"} == set(english.fields)
        # the same Outlook fields, each language in its own alphabetical order; German
        # Outlook calls its "Radio Phone" "Mobiltelefon 2", which is read as a mobile
        expected = Counter(OUTLOOK_DETAILS.values())
        if language == "de":
            expected.update({"phone radio value": -1, "phone mobile value": 1})
        assert Counter(described(columns).values()) == +expected
        assert columns.extra == OUTLOOK_EXTRA[language]


def test_outlook_german() -> None:
    table, columns = read("outlook_de.csv")
    assert fields(columns) == {
        "title": "Anrede", "first_name": "Vorname", "middle_name": "Weitere Vornamen",
        "last_name": "Nachname", "organisation": "Firma", "department": "Abteilung",
        "position": "Position", "email": "E-Mail-Adresse", "tags": "Kategorien",
        "notes": "Notizen", "city": "Ort", "languages": "Sprache"}
    picked = {h: d for h, d in described(columns).items()
              if h in ("Telefon geschäftlich", "Haupttelefon", "Fax privat", "Mobiltelefon 2",
                       "E-Mail 2: Adresse", "Land/Region geschäftlich",
                       "Bundesland/Kanton privat", "Weiteres/e Land/Region", "Webseite")}
    assert picked == {
        "Land/Region geschäftlich": "address work country",
        "Bundesland/Kanton privat": "address home region",
        "Weiteres/e Land/Region": "address other country", "Fax privat": "phone home fax value",
        "Telefon geschäftlich": "phone work value", "Mobiltelefon 2": "phone mobile value",
        "Haupttelefon": "phone main value preferred", "E-Mail 2: Adresse": "email value",
        "Webseite": "web value"}
    assert rows(table, columns) == [
        [email("juergen.weiss@stadt.nuernberg.de", preferred=True),
         phone("+49 911 231-5047", "work", True), phone("+49 170 1234567", "mobile"),
         address(["Hauptmarkt 18", "90403", "Nürnberg", "", "Deutschland"], "work"),
         web("https://www.nuernberg.de")],
        # Outlook wrote "Małgorzata Zielińska" in Windows-1252: without ł and ń
        [email("m.zielinska@dpg-franken.de", preferred=True), email("gosia.z@web.de"),
         phone("+49 911 974-1000", "work"), phone("+49 911 770 55 44", "home", True),
         address(["Königstraße 12", "90762", "Fürth", "Bayern", "Deutschland"], "home")],
    ]
    assert [tags_of(r.cells[columns.fields["tags"]]) for r in table.rows] == [
        "Partnerstädte", "Partnerstädte, Vereine"]


def test_outlook_french_two_titres_and_nom_beside_prenom() -> None:
    table, columns = read("outlook_fr.csv")
    assert fields(columns) == {
        "title": "Titre", "first_name": "Prénom", "middle_name": "Deuxième prénom",
        "last_name": "Nom", "organisation": "Société", "department": "Service",
        "position": "Titre", "email": "Adresse de messagerie", "tags": "Catégories",
        "languages": "Langue", "notes": "Notes"}
    assert (columns.fields["title"], columns.fields["position"]) == (0, 7)
    first, second = (r.cells for r in table.rows)
    assert (first[0], first[7], second[3]) == ("Mme", "Chargée de mission jumelages", "Cœur")
    assert rows(table, columns) == [
        [email("h.lefevre@ville-rennes.fr", preferred=True),
         phone("02 23 62 10 10", "work", True), phone("06 12 34 56 78", "mobile"),
         address(["Place de la Mairie", "35000", "Rennes", "", "France"], "work"),
         web("https://metropole.rennes.fr")],
        [email("francois.coeur@mairie-lyon.fr", preferred=True),
         phone("04 72 10 30 31", "fax"), phone("04 72 10 30 30", "work", True)],
    ]


# --- Google, Thunderbird, LinkedIn ------------------------------------------------------------

def test_google_contacts_since_2024() -> None:
    table, columns = read("google.csv")
    assert table.encoding == "UTF-8"  # with a byte-order mark
    assert fields(columns) == {
        "first_name": "First Name", "middle_name": "Middle Name", "last_name": "Last Name",
        "title": "Name Prefix", "organisation": "Organization Name",
        "position": "Organization Title", "department": "Organization Department",
        "notes": "Notes", "tags": "Labels"}
    assert columns.extra == ("Phonetic First Name", "Phonetic Middle Name",
                             "Phonetic Last Name", "Name Suffix", "Nickname", "File As",
                             "Birthday", "Photo")
    assert described(columns) == {
        "E-mail 1 - Label": "email type", "E-mail 1 - Value": "email value",
        "E-mail 2 - Label": "email type", "E-mail 2 - Value": "email value",
        "Phone 1 - Label": "phone type", "Phone 1 - Value": "phone value",
        "Phone 2 - Label": "phone type", "Phone 2 - Value": "phone value",
        "Address 1 - Label": "address type", "Address 1 - Formatted": "address value",
        "Address 1 - Street": "address street", "Address 1 - City": "address city",
        "Address 1 - PO Box": "address street", "Address 1 - Region": "address region",
        "Address 1 - Postal Code": "address postcode", "Address 1 - Country": "address country",
        "Address 1 - Extended Address": "address street", "Website 1 - Label": "web type",
        "Website 1 - Value": "web value"}
    assert len({c.group for c in columns.details.values()}) == 6
    assert rows(table, columns) == [
        [email("lucja.wasowicz@gdansk.gda.pl", "work", True),  # "* Work"
         email("lucja.w@example.pl", "home"), email("lucja.wasowicz@example.com", "home"),
         phone("+48 501 234 567", "mobile", True), phone("+48 58 323 60 00", "work"),
         address(["Nowe Ogrody 8/12", "80-803", "Gdańsk", "pomorskie", "Polska"], "work"),
         web("https://www.gdansk.pl", "work")],
        # "* " alone: preferred, no label; a fax is not the preferred phone beside another
        [email("mt.dubois@besancon.fr", "", True), phone("+33 3 81 61 50 99", "fax"),
         phone("+33 3 81 61 50 50", "Standard", True)],
        [phone("+49 6131 12 34 56", "main", True),
         Detail("address", "Am Rosengarten 4, 55116 Mainz", "home")],  # "Formatted" alone
    ]
    assert [tags_of(r.cells[columns.fields["tags"]]) for r in table.rows] == [
        "Partners", "", "Vereine"]


def test_google_contacts_before_2024() -> None:
    table, columns = read("google_legacy.csv")
    assert table.encoding == "UTF-16"
    assert fields(columns) == {
        "full_name": "Name", "first_name": "Given Name", "middle_name": "Additional Name",
        "last_name": "Family Name", "title": "Name Prefix", "notes": "Notes",
        "languages": "Language", "tags": "Group Membership",
        "organisation": "Organization 1 - Name", "position": "Organization 1 - Title",
        "department": "Organization 1 - Department"}
    assert described(columns)["E-mail 2 - Type"] == "email type"
    assert "Organization 1 - Type" in columns.extra and "Occupation" in columns.extra
    assert rows(table, columns) == [
        [email("bozena.kaminska@um.poznan.pl", "work", True),
         phone("+48 61 878 54 00", "work", True), phone("+48 604 555 666", "mobile"),
         address(["Plac Kolegiacki 17", "61-841", "Poznań", "", "PL"], "work"),
         web("https://www.poznan.pl", "Profile")],
        [email("ondrej.dvorak@seznam.cz", "home"), email("dvorak@brno.cz", "work", True)],
    ]
    assert tags_of(table.rows[0].cells[columns.fields["tags"]]) == "Twinning"


def test_thunderbird() -> None:
    table, columns = read("thunderbird.csv")
    assert table.encoding == "UTF-8"
    assert fields(columns) == {
        "first_name": "First Name", "last_name": "Last Name", "full_name": "Display Name",
        "position": "Job Title", "department": "Department", "organisation": "Organization",
        "notes": "Notes"}
    assert columns.extra == ("Nickname", "Screen Name", "Birth Year", "Birth Month",
                             "Birth Day", "Custom 1", "Custom 2", "Custom 3", "Custom 4",
                             "column 38")  # Thunderbird ends each line with a comma
    assert described(columns) == {
        "Primary Email": "email value", "Secondary Email": "email value",
        "Work Phone": "phone work value", "Home Phone": "phone home value",
        "Fax Number": "phone fax value", "Pager Number": "phone pager value",
        "Mobile Number": "phone mobile value",
        **{f"{where} {part}": f"address {label} {name}"
           for where, label in (("Home", "home"), ("Work", "work"))
           for part, name in (("Address", "street"), ("Address 2", "street"),
                              ("City", "city"), ("State", "region"), ("ZipCode", "postcode"),
                              ("Country", "country"))},
        "Web Page 1": "web work value", "Web Page 2": "web home value"}
    assert rows(table, columns) == [
        [email("jiri.novak@brno.cz", preferred=True), email("jiri.novak@seznam.cz"),
         phone("+420 542 171 111", "work", True), phone("+420 542 171 112", "fax"),
         phone("+420 603 123 456", "mobile"),
         address(["Dominikánské náměstí 1", "601 67", "Brno", "Jihomoravský kraj",
                  "Czech Republic"], "work"),
         web("https://www.brno.cz", "work")],
        [email("ewa.dabrowska@wroclaw.pl", preferred=True),
         phone("+48 71 123 45 67", "home", True),
         address(["ul. Świdnicka 10, m. 4", "50-066", "Wrocław", "", "Polska"], "home"),
         web("https://ewa.example.pl", "home")],
    ]


def test_linkedin_connections() -> None:
    text = (CORPUS / "linkedin_connections.csv").read_text(encoding="utf-8")
    assert text.startswith("Notes:\n")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    header, *cells = csv.reader(lines[start:])
    columns = match_columns("contacts", table_of(header, *cells))
    assert fields(columns) == {"first_name": "First Name", "last_name": "Last Name",
                               "email": "Email Address", "organisation": "Company",
                               "position": "Position"}
    assert described(columns) == {"URL": "web LinkedIn value", "Email Address": "email value"}
    assert columns.extra == ("Connected On",)
    assert [details_of(c, columns.details) for c in cells] == [
        [web("https://www.linkedin.com/in/pawel-grabowski-1a2b3c", "LinkedIn")],
        [email("chloe.martin@ville-lyon.fr", preferred=True),
         web("https://www.linkedin.com/in/chloemartin", "LinkedIn")]]


# --- rules ------------------------------------------------------------------------------------

def test_several_phone_columns_are_details_not_a_conflict() -> None:
    columns = match_columns("contacts", table_of(
        ["Name", "Phone", "Mobile", "E-mail", "Fax"],
        ["Anna Nowak", "+48 12 000 00 00", "+48 600 000 000", "anna@krakow.pl", "+48 12 1"]))
    assert fields(columns) == {"full_name": "Name", "phone": "Phone", "email": "E-mail"}
    assert described(columns) == {"Phone": "phone value", "Mobile": "phone mobile value",
                                  "E-mail": "email value", "Fax": "phone fax value"}
    assert columns.extra == ()
    assert details_of(["Anna Nowak", "+48 12 000 00 00", "+48 600 000 000",
                       "anna@krakow.pl", "+48 12 1"], columns.details) == [
        email("anna@krakow.pl", preferred=True), phone("+48 12 000 00 00", "", True),
        phone("+48 600 000 000", "mobile"), phone("+48 12 1", "fax")]
    with pytest.raises(FileRefused, match="both hold the e-mail"):  # no details: as before
        match_columns("contacts", table_of(["name", "email", "E-mail"]))


def test_office_address_columns_take_city_and_country() -> None:
    headers = ["Nazwisko", "Imię", "Ulica", "Kod pocztowy", "Miasto", "Kraj", "Strona www"]
    columns = match_columns("contacts", table_of(headers))
    assert fields(columns) == {"last_name": "Nazwisko", "first_name": "Imię",
                               "city": "Miasto", "country": "Kraj"}
    assert details_of(["Nowak", "Anna", "Rynek 1", "31-042", "Kraków", "Polska", "krakow.pl"],
                      columns.details) == [
        address(["Rynek 1", "31-042", "Kraków", "", "Polska"]), web("krakow.pl")]


def test_an_explicit_map_wins_over_a_detail_column() -> None:
    columns = match_columns("contacts", table_of(["Name", "Mobile Phone", "Pager", "Fax"]),
                            {"Mobile Phone": "phone", "Pager": "-"})
    assert columns.fields == {"full_name": 0, "phone": 1}
    # the phone, among the details too; a column mapped away is no detail
    assert described(columns) == {"Mobile Phone": "phone value", "Fax": "phone fax value"}
    assert columns.extra == ("Pager",)
    assert match_columns("cities", table_of(["Name", "Country", "Mobile"])).details == {}


def test_labels_tags_and_header_forms() -> None:
    assert label_of("* Work") == ("work", True)
    assert label_of("Geschäftlich") == ("work", False)
    assert label_of("Tél. portable") == ("Tél. portable", False)
    assert label_of("portable") == ("mobile", False)
    assert label_of("Home Fax") == ("home fax", False)
    assert tags_of("* myContacts ::: Partners ::: * starred") == "Partners"
    assert tags_of("System Group: My Contacts ::: Mayors") == "Mayors"
    assert tags_of("Partners;Mayors;Partners") == "Partners, Mayors"
    assert detail_columns(["E-mail 2 Type", "E-mail 2 - Type"]) == {
        1: DetailColumn("google e mail 2", "email", "", "type")}


@pytest.mark.parametrize(("kind", "headers", "expected"), [
    ("cities", "Stadt;Land;Bundesland;Einwohner;Breitengrad;Längengrad;Zeitzone;Webseite",
     "name country region population latitude longitude timezone website"),
    ("cities", "Ville;Pays;Région;Nombre d'habitants;Latitude;Longitude;Fuseau horaire;Site web",
     "name country region population latitude longitude timezone website"),
    ("cities", "Miasto;Kraj;Województwo;Ludność;Szerokość geograficzna;Długość geograficzna;"
     "Strefa czasowa;Strona www",
     "name country region population latitude longitude timezone website"),
    ("cities", "Ciudad;País;Provincia;Población;Latitud;Longitud;Zona horaria;Sitio web",
     "name country region population latitude longitude timezone website"),
    ("partnerships", "Stadt;Land;Partnerstadt;Partnerland;Seit;Beginn;Art;Themen;Ziele",
     "city_a country_a city_b country_b since_year start_date kind themes aims"),
    ("partnerships", "Ville;Pays;Ville jumelée;Pays partenaire;Depuis;Début;Statut;Thèmes",
     "city_a country_a city_b country_b since_year start_date status themes"),
    ("partnerships", "Miasto;Kraj;Miasto partnerskie;Kraj partnera;Od roku;Data rozpoczęcia",
     "city_a country_a city_b country_b since_year start_date"),
    ("partnerships", "Ciudad;País;Ciudad hermanada;País socio;Desde;Fecha de inicio;Estado",
     "city_a country_a city_b country_b since_year start_date status"),
    ("partnerships", "City;Country;City;Country", "city_a country_a city_b country_b"),
    ("contacts", "Name;Vorname;Funktion;Organisation;Abteilung;Stadt;Land;E-Mail;Telefon;"
     "Notizen", "last_name first_name position organisation department city country email "
     "phone notes"),
    ("contacts", "Nom;Prénom;Fonction;Organisme;Service;Ville;Pays;Courriel;Téléphone;"
     "Remarques", "last_name first_name position organisation department city country "
     "email phone notes"),
    ("contacts", "Imię i nazwisko;Stanowisko;Instytucja;Dział;Miasto;Kraj;E-mail;Telefon;Uwagi",
     "full_name position organisation department city country email phone notes"),
    ("contacts", "Nombre;Apellidos;Cargo;Organización;Departamento;Ciudad;País;"
     "Correo electrónico;Teléfono;Notas", "first_name last_name position organisation "
     "department city country email phone notes"),
    ("contacts", "Nom;Fonction;Tags;UID", "full_name position tags card_uid"),
    ("activities", "Partnerschaft;Titel;Beginn;Ende;Art;Ort;Land;Teilnehmer;Kosten;Währung;"
     "Zusammenfassung", "partnership title start_date end_date kind city country "
     "participant_count cost currency summary"),
    ("activities", "Partenariat;Titre;Début;Fin;Type;Lieu;Pays;Participants;Coût;Devise;"
     "Compte rendu", "partnership title start_date end_date kind city country "
     "participant_count cost currency summary"),
    ("activities", "Partnerstwo;Tytuł;Data rozpoczęcia;Data zakończenia;Rodzaj;Miejsce;Kraj;"
     "Uczestnicy;Koszt;Waluta;Podsumowanie", "partnership title start_date end_date kind "
     "city country participant_count cost currency summary"),
    ("activities", "Asociación;Título;Fecha de inicio;Fecha de fin;Tipo;Lugar;País;"
     "Participantes;Coste;Moneda;Resumen", "partnership title start_date end_date kind city "
     "country participant_count cost currency summary"),
])
def test_office_sheets_in_five_languages(kind: str, headers: str, expected: str) -> None:
    guessed = guess_fields(kind, headers.split(";"))
    assert [guessed.get(i) for i in range(len(headers.split(";")))] == expected.split()


# --- export for Outlook and Google, read back -------------------------------------------------

CONTACT = {"full_name": "Anna Maria Nowak", "first_name": "Anna", "last_name": "Nowak",
           "title": "Dr", "position": "Head of International Relations",
           "organisation": "Urząd Miasta Krakowa", "department": "Biuro Prezydenta",
           "email": "anna.nowak@um.krakow.pl", "phone": "+48126161200",
           "notes": "Met in Leipzig", "tags": "Partners, Mayors", "city": "Kraków",
           "country": "PL"}
DETAILS = [email("anna.nowak@um.krakow.pl", "work", True), email("anna@example.pl", "home"),
           phone("+48126161200", "work", True), phone("+48600100200", "mobile"),
           phone("+48126161201", "fax"), phone("+48126161202", "home fax"),
           address(["Plac Wszystkich Świętych 3-4", "31-004", "Kraków", "małopolskie", "PL"],
                   "work"),
           address(["Długa 5", "80-827", "Gdańsk", "", "Poland"], "home"),
           web("https://www.krakow.pl", "work")]


def _through_a_file(tmp_path: Path, vendor: str, contact: dict[str, str],
                    details: list[Detail]) -> tuple[dict[str, str], list[Detail]]:
    """Written as UTF-8 with a byte-order mark, read as any file, mapped without --map."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [export_headers(vendor), export_row(vendor, contact, details)])
    path = tmp_path / f"{vendor}.csv"
    path.write_bytes(codecs.BOM_UTF8 + out.getvalue().encode("utf-8"))
    table = read_table(path)
    columns = match_columns("contacts", table)
    cells = table.rows[0].cells
    return ({f: cells[i] for f, i in columns.fields.items() if cells[i]},
            details_of(cells, columns.details))


def test_google_export_reads_back_the_same(tmp_path: Path) -> None:
    assert len(export_headers("google")) == 17 + 2 * 3 + 2 * 4 + 9 * 2 + 2 * 2
    values, details = _through_a_file(tmp_path, "google", CONTACT, DETAILS)
    assert values == {
        "first_name": "Anna", "middle_name": "Maria", "last_name": "Nowak", "title": "Dr",
        "organisation": "Urząd Miasta Krakowa", "position": "Head of International Relations",
        "department": "Biuro Prezydenta", "notes": "Met in Leipzig",
        "tags": "Partners ::: Mayors ::: * myContacts"}
    assert tags_of(values["tags"]) == CONTACT["tags"]
    poland = address([*DETAILS[6].parts[:4], "Poland"], "work")  # written by its name
    assert details == [*DETAILS[:6], poland, *DETAILS[7:]]


def test_outlook_export_reads_back_what_outlook_holds(tmp_path: Path) -> None:
    assert export_headers("outlook") == list(OUTLOOK_HEADERS)
    values, details = _through_a_file(tmp_path, "outlook", CONTACT, DETAILS)
    assert values == {
        "first_name": "Anna", "middle_name": "Maria", "last_name": "Nowak", "title": "Dr",
        "email": "anna.nowak@um.krakow.pl", "position": "Head of International Relations",
        "department": "Biuro Prezydenta", "organisation": "Urząd Miasta Krakowa",
        "notes": "Met in Leipzig", "tags": "Partners;Mayors"}
    # Outlook's e-mail addresses and its "Web Page" have no type; the preferred phone is
    # also its "Primary Phone", which reads back as the same, preferred number.
    assert details == [
        email("anna.nowak@um.krakow.pl", "", True), email("anna@example.pl"),
        phone("+48126161200", "work", True), phone("+48600100200", "mobile"),
        phone("+48126161201", "fax"), phone("+48126161202", "home fax"),
        address([*DETAILS[6].parts[:4], "Poland"], "work"), DETAILS[7],
        web("https://www.krakow.pl")]


def test_what_a_program_cannot_hold_goes_into_the_notes(tmp_path: Path) -> None:
    many = [email(f"a{n}@krakow.pl", preferred=n == 0) for n in range(5)]
    values, details = _through_a_file(tmp_path, "outlook", {"full_name": "Anna Nowak"}, many)
    assert (values["first_name"], values["last_name"]) == ("Anna", "Nowak")
    assert details == many[:3]
    assert values["notes"] == "email: a3@krakow.pl\nemail: a4@krakow.pl"


def test_a_contact_without_details_exports_its_own(tmp_path: Path) -> None:
    contact = {"full_name": "Jürgen Weiß", "email": "jw@nuernberg.de", "phone": "+49911231",
               "city": "Nürnberg", "country": "DE"}
    values, details = _through_a_file(tmp_path, "google", contact, [])
    assert (values["first_name"], values["last_name"]) == ("Jürgen", "Weiß")
    assert details == [email("jw@nuernberg.de", "", True), phone("+49911231", "", True),
                       address(["", "", "Nürnberg", "", "Germany"], "work")]
    with pytest.raises(ValueError, match='"thunderbird" is not a program'):
        export_headers("thunderbird")
