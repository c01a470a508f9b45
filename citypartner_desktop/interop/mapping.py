"""Which column holds which field: header names and their common aliases, or the user's map.

Headers are compared folded (case, accents, spaces, "-", "_", "." and "/" do not matter), so
"E-Mail", "e_mail" and "email" are one name. Each kind lists the fields an import fills, in
the order a mapping screen shows them, with the names office sheets give them in English,
German, French, Polish and Spanish ("Stadt", "Ville", "Miasto", "Ciudad") and the names
address-book programs write (Outlook, Google Contacts, Thunderbird, LinkedIn; see
``contact_columns``, which also reads a contact's several e-mails, phones, addresses and web
pages from their columns: ``ColumnMap.details``).

Where a name means two things, the file decides: "Name" beside "Vorname" (and "Nom" beside
"Prénom") is the last name, "Nombre" beside "Apellidos" the first name; a second "Titre"
(French Outlook writes the honorific and the job title both so) is the position; a second
"City"/"Country" column of a partnership is its partner's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citypartner_desktop.interop.contact_columns import DetailColumn, complete, detail_columns
from citypartner_desktop.interop.source_table import FileRefused, SourceTable
from citypartner_desktop.interop.source_table import header_key as header_key

IGNORE = "-"  # --map "Old column=-" skips a column


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


F = ImportField
# "Notes" as German, French, Polish and Spanish sheets (and Outlook) write it.
_NOTES = ("notizen", "bemerkung", "bemerkungen", "anmerkungen", "kommentar", "remarques",
          "commentaire", "commentaires", "uwagi", "notatki", "komentarz", "notas",
          "observaciones", "comentarios")

KIND_FIELDS: dict[str, tuple[ImportField, ...]] = {
    "cities": (
        F("name", "Name", True,
          ("city", "city name", "town", "municipality", "place", "stadt", "ort", "gemeinde",
           "stadtname", "ville", "commune", "nom de la ville", "nom", "miasto", "miejscowosc",
           "gmina", "nazwa miasta", "nazwa", "ciudad", "municipio", "localidad",
           "nombre de la ciudad", "nombre")),
        # Without a country the gazetteer's place of that name is taken when one stands out.
        F("country", "Country", False,
          ("country code", "nation", "state country", "land", "staat", "landercode", "pays",
           "code pays", "kraj", "kod kraju", "pais", "codigo de pais")),
        F("native_name", "Native name", False,
          ("local name", "name local", "native", "lokaler name", "name in landessprache",
           "nom local", "nazwa lokalna", "nazwa oryginalna", "nombre local")),
        F("region", "Region", False,
          ("state", "province", "county", "admin1", "bundesland", "departement",
           "wojewodztwo", "provincia", "comunidad autonoma")),
        F("population", "Population", False,
          ("inhabitants", "pop", "einwohner", "einwohnerzahl", "bevolkerung", "habitants",
           "nombre d'habitants", "ludnosc", "liczba mieszkancow", "poblacion", "habitantes")),
        F("latitude", "Latitude", False,
          ("lat", "breitengrad", "breite", "szerokosc geograficzna", "szerokosc", "latitud")),
        F("longitude", "Longitude", False,
          ("lon", "lng", "long", "langengrad", "lange", "dlugosc geograficzna", "dlugosc",
           "longitud")),
        F("timezone", "Time zone", False,
          ("tz", "time zone", "zeitzone", "fuseau horaire", "strefa czasowa", "zona horaria",
           "huso horario")),
        F("geonames_id", "GeoNames id", False, ("geonameid", "geonames")),
        F("website", "Website", False,
          ("url", "web", "homepage", "webseite", "internetseite", "site web",
           "site internet", "strona internetowa", "strona www", "sitio web", "pagina web")),
        F("notes", "Notes", False, ("note", "comment", "comments", "remarks", *_NOTES)),
        F("review", "To check", False,
          ("review", "check", "prufen", "zu prufen", "a verifier", "do sprawdzenia",
           "revisar")),
    ),
    "contacts": (
        F("full_name", "Full name", True,
          ("name", "contact", "person", "contact name", "display name", "anzeigename",
           "vollstandiger name", "nom", "nom complet", "nom a afficher", "imie i nazwisko",
           "nombre", "nombre completo")),
        F("first_name", "First name", False,
          ("given name", "forename", "firstname", "vorname", "prenom", "imie",
           "nombre de pila")),
        F("middle_name", "Middle name", False,
          ("additional name", "second name", "weitere vornamen", "zweiter vorname",
           "deuxieme prenom", "drugie imie", "segundo nombre")),
        F("last_name", "Last name", False,
          ("surname", "family name", "lastname", "nachname", "familienname",
           "nom de famille", "nazwisko", "apellidos", "apellido")),
        F("title", "Title", False,
          ("salutation", "honorific", "name prefix", "prefix", "anrede", "titel", "civilite",
           "titre", "tytul", "zwrot grzecznosciowy", "tratamiento")),
        F("position", "Position / role", False,
          ("role", "job title", "function", "job", "organization title",
           "organization 1 title", "funktion", "arbeitstitel", "fonction", "poste",
           "stanowisko", "funkcja", "cargo", "puesto")),
        F("organisation", "Organisation", False,
          ("organization", "org", "company", "institution", "employer", "organization name",
           "organization 1 name", "firma", "behorde", "societe", "entreprise", "organisme",
           "organizacja", "instytucja", "urzad", "empresa", "organizacion", "institucion")),
        F("department", "Department", False,
          ("dept", "organization department", "organization 1 department", "abteilung",
           "service", "dzial", "wydzial", "departamento")),
        F("city", "City", False,
          ("town", "municipality", "city name", "stadt", "ort", "ville", "miasto",
           "miejscowosc", "ciudad", "localidad")),
        F("country", "Country", False,
          ("city country", "nation", "land", "staat", "pays", "kraj", "pais")),
        F("email", "E-mail", False,
          ("mail", "e mail", "email address", "e mail address", "e mail adresse",
           "adresse e mail", "adresse de messagerie", "courriel", "adres e mail",
           "correo electronico", "correo")),
        F("phone", "Phone", False,
          ("telephone", "tel", "phone number", "mobile", "telefon", "telefonnummer",
           "numero de telephone", "numer telefonu", "telefono")),
        F("details", "Details (e-mails, phones, addresses)", False, ("contact details",)),
        F("languages", "Languages", False,
          ("language", "speaks", "sprache", "sprachen", "langue", "langues", "jezyk",
           "jezyki", "idioma", "idiomas")),
        F("tags", "Tags", False,
          ("tag", "labels", "group membership", "groups", "categories", "category",
           "kategorien", "kategorie", "etiquettes", "tagi", "etykiety", "etiquetas",
           "categorias")),
        F("notes", "Notes", False, ("note", "comment", "comments", "remarks", *_NOTES)),
        F("legal_basis", "Legal basis", False,
          ("basis", "gdpr basis", "rechtsgrundlage", "base juridique", "base legale",
           "podstawa prawna", "base juridica", "base legal")),
        F("data_source", "Source of data", False,
          ("source", "quelle", "herkunft", "origine", "zrodlo", "zrodlo danych", "fuente",
           "origen")),
        F("consent_date", "Consent / basis date", False,
          ("consent", "consent on", "einwilligung", "einwilligungsdatum", "consentement",
           "date du consentement", "zgoda", "data zgody", "consentimiento",
           "fecha de consentimiento")),
        F("review_date", "Review date", False,
          ("review", "review on", "wiedervorlage", "uberprufung", "date de revision",
           "revision", "przeglad", "data przegladu", "fecha de revision")),
        F("card_uid", "Card UID", False, ("uid", "card uid", "vcard uid")),
    ),
    "partnerships": (
        F("city_a", "City A", True,
          ("city1", "city 1", "city", "town1", "home city", "stadt", "stadt 1", "heimatstadt",
           "ville", "ville 1", "miasto", "miasto 1", "ciudad", "ciudad 1")),
        F("country_a", "Country A", True,
          ("country1", "country 1", "country", "home country", "land", "land 1", "pays",
           "pays 1", "kraj", "kraj 1", "pais", "pais 1")),
        F("city_b", "City B", True,
          ("city2", "city 2", "partner", "partner city", "twin", "twin city", "town2",
           "partnerstadt", "stadt 2", "ville jumelee", "ville partenaire", "ville 2",
           "miasto partnerskie", "miasto 2", "ciudad hermanada", "ciudad 2")),
        F("country_b", "Country B", True,
          ("country2", "country 2", "partner country", "twin country", "partnerland",
           "land 2", "pays partenaire", "pays 2", "kraj partnera", "kraj 2", "pais socio",
           "pais 2")),
        F("since_year", "Since (year)", False,
          ("year", "since", "twinned since", "seit", "partnerschaft seit", "jahr", "depuis",
           "jumelee depuis", "annee", "od roku", "rok", "desde", "ano")),
        F("start_date", "Start date", False,
          ("start", "started", "date", "beginn", "startdatum", "datum", "debut",
           "date de debut", "data rozpoczecia", "data", "fecha de inicio", "fecha", "inicio")),
        F("title", "Title", False,
          ("name", "partnership", "titel", "bezeichnung", "titre", "intitule", "nom", "tytul",
           "nazwa", "titulo", "nombre")),
        F("kind", "Kind", False,
          ("type", "art", "partnerschaftsart", "typ", "type de partenariat", "rodzaj", "tipo")),
        F("status", "Status", False, ("statut", "estado")),
        F("themes", "Themes", False,
          ("theme", "topics", "themen", "thema", "thematiques", "domaines", "tematy",
           "tematyka", "temas")),
        F("aims", "Aims", False,
          ("notes", "description", "aim", "ziele", "ziel", "beschreibung", "objectifs",
           "cele", "opis", "objetivos", "descripcion")),
    ),
    "activities": (
        F("partnership", "Partnership", True,
          ("partnership title", "partnership id", "partnerschaft", "partenariat", "jumelage",
           "partnerstwo", "asociacion", "hermanamiento")),
        F("title", "Title", True,
          ("activity", "what", "name", "subject", "titel", "bezeichnung", "betreff",
           "aktivitat", "veranstaltung", "titre", "intitule", "objet", "activite", "nom",
           "tytul", "nazwa", "wydarzenie", "titulo", "actividad", "asunto", "nombre")),
        F("start_date", "Start", True,
          ("date", "start", "from", "starts", "beginn", "datum", "von", "startdatum", "debut",
           "date de debut", "du", "data", "data rozpoczecia", "od", "fecha",
           "fecha de inicio", "inicio", "desde")),
        F("end_date", "End", False,
          ("end", "to", "until", "ends", "ende", "enddatum", "bis", "fin", "date de fin",
           "au", "data zakonczenia", "koniec", "do", "fecha de fin", "hasta")),
        F("kind", "Kind", False,
          ("type", "activity kind", "art", "typ", "type d'activite", "rodzaj", "tipo")),
        F("city", "Place (city)", False,
          ("place", "town", "location", "ort", "stadt", "ville", "lieu", "miasto", "miejsce",
           "ciudad", "lugar")),
        F("country", "Country", False,
          ("place country", "land", "pays", "kraj", "pais")),
        F("participant_count", "Participants (count)", False,
          ("participants", "attendees", "people", "teilnehmer", "teilnehmerzahl",
           "anzahl teilnehmer", "nombre de participants", "uczestnicy", "liczba uczestnikow",
           "participantes", "numero de participantes")),
        F("cost", "Cost", False,
          ("costs", "amount", "kosten", "betrag", "cout", "couts", "montant", "koszt",
           "koszty", "kwota", "coste", "costo", "importe")),
        F("currency", "Currency", False,
          ("wahrung", "devise", "monnaie", "waluta", "moneda", "divisa")),
        F("summary", "Summary / minutes", False,
          ("minutes", "notes", "description", "zusammenfassung", "protokoll", "beschreibung",
           "resume", "compte rendu", "podsumowanie", "protokol", "opis", "resumen", "acta",
           "descripcion", *_NOTES)),
    ),
}
KINDS = tuple(KIND_FIELDS)


@dataclass(frozen=True)
class ColumnMap:
    """field -> column index, plus the columns nothing reads (reported, then ignored), and
    for contacts the columns of their details (``contact_columns.details_of`` reads a row's;
    a simple e-mail or phone column may be one of them too)."""

    kind: str
    fields: dict[str, int]
    headers: tuple[str, ...]
    extra: tuple[str, ...]
    details: dict[int, DetailColumn] = dataclasses.field(default_factory=dict)

    def column_of(self, field: str) -> str:
        return self.headers[self.fields[field]]


def fields_of(kind: str) -> tuple[ImportField, ...]:
    try:
        return KIND_FIELDS[kind]
    except KeyError:
        raise FileRefused(f'"{kind}" is not something to import; choose one of: '
                          f'{", ".join(KINDS)}.') from None


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """``["Town=city_a", "Notes=-"]`` -> {"Town": "city_a", "Notes": "-"}."""
    result: dict[str, str] = {}
    for option in options:
        column, sep, field = option.rpartition("=")
        if not sep or not column.strip():
            raise FileRefused(f'--map "{option}" must look like COLUMN=FIELD (or COLUMN=- to '
                              "skip a column).")
        result[column.strip()] = field.strip()
    return result


def guess_fields(kind: str, headers: Sequence[str]) -> dict[int, str]:
    """Column index -> field, for the headers whose name or alias is a field's."""
    lookup: dict[str, str] = {}
    for f in fields_of(kind):  # field names and labels win over aliases ("country" of cities)
        for alias in f.aliases:
            lookup.setdefault(header_key(alias), f.name)
    for f in fields_of(kind):
        lookup[header_key(f.name)] = f.name
        lookup[header_key(f.label)] = f.name
    keys = [header_key(h) for h in headers]
    return _settled({i: lookup[key] for i, key in enumerate(keys) if key in lookup}, keys)


# A field a second column of the same name holds: French Outlook's two "Titre" columns are the
# honorific and the job title; a sheet of pairs may say "City, Country, City, Country".
_SECOND = {"title": "position", "city_a": "city_b", "country_a": "country_b"}
# A name that is the last name beside a first name ("Vorname, Name"; French Outlook's
# "Prénom, Nom"), or the first name beside a last name (Spanish "Nombre, Apellidos").
_NAME_BESIDE = {"name": ("first_name", "last_name"), "nom": ("first_name", "last_name"),
                "nombre": ("last_name", "first_name")}


def _settled(guessed: dict[int, str], keys: list[str]) -> dict[int, str]:
    taken = set(guessed.values())
    for field, second in _SECOND.items():
        columns = [i for i in sorted(guessed) if guessed[i] == field]
        if len(columns) == 2 and second not in taken:
            guessed[columns[1]] = second
            taken.add(second)
    for index, field in list(guessed.items()):
        beside = _NAME_BESIDE.get(keys[index])
        if field == "full_name" and beside and beside[0] in taken and beside[1] not in taken:
            guessed[index] = beside[1]
            taken.add(beside[1])
    return guessed


def match_columns(kind: str, table: SourceTable,
                  explicit: Mapping[str, str] | None = None) -> ColumnMap:
    """Match the table's headers to the kind's fields. Raises FileRefused when a required
    field has no column or two columns claim one field."""
    spec = fields_of(kind)
    by_name = {f.name: f for f in spec}
    headers = table.headers
    keys = [header_key(h) for h in headers]
    chosen: dict[int, str] = {}
    for column, field in (explicit or {}).items():
        index = _find_column(column, headers, keys, table.name)
        if field == IGNORE or not field:
            chosen[index] = IGNORE
        elif field not in by_name:
            raise FileRefused(f'--map {column}={field}: "{field}" is not a field of {kind}; '
                              f'the fields are: {", ".join(by_name)}.')
        else:
            chosen[index] = field
    explicit_columns = set(chosen)
    for index, field in guess_fields(kind, headers).items():
        chosen.setdefault(index, field)
    details = ({i: c for i, c in detail_columns(headers).items() if i not in explicit_columns}
               if kind == "contacts" else {})
    fields: dict[str, int] = {}
    for index in sorted(chosen):
        field = chosen[index]
        if field == IGNORE:
            continue
        if field in fields and details and field in ("email", "phone") and (
                index not in explicit_columns):
            # Outlook's several e-mail columns are details, not two answers to one question.
            del chosen[index]
            details.setdefault(index, DetailColumn(keys[index], field, "", "value"))
            continue
        if field in fields:
            first = fields[field]
            raise FileRefused(
                f'{table.name}: columns {first + 1} ("{headers[first]}") and {index + 1} '
                f'("{headers[index]}") both hold the {by_name[field].label.lower()}; remove '
                f'one, or say which one with --map "{headers[index]}=-".')
        fields[field] = index
    # A contact's full name may be put together from first and last name.
    missing = [f for f in spec if f.required and f.name not in fields
               and not (f.name == "full_name" and ("first_name" in fields
                                                  or "last_name" in fields))]
    if missing:
        found = ", ".join(f'"{h}"' for h in headers)
        wanted = ", ".join(f.name for f in missing)
        unused = [h for i, h in enumerate(headers) if i not in chosen]
        hint = (f' Rename the header or map it, e.g. --map "{unused[0] if unused else "COLUMN"}'
                f'={missing[0].name}".')
        if len(headers) == 1 and any(d in headers[0] for d in "|:"):
            hint = " The file seems to use another delimiter; use comma, semicolon or tab."
        raise FileRefused(f"{table.name} has no column for {wanted} (required). Its columns "
                          f"are: {found}.{hint}")
    if details:
        details = complete(details, fields, headers)
    extra = tuple(headers[i] for i in range(len(headers))
                  if (i not in chosen or chosen[i] == IGNORE) and i not in details)
    return ColumnMap(kind, fields, headers, extra, details)


def _find_column(column: str, headers: tuple[str, ...], keys: list[str], name: str) -> int:
    if column in headers:
        return headers.index(column)
    key = header_key(column)
    if key in keys:
        return keys.index(key)
    found = ", ".join(f'"{h}"' for h in headers)
    raise FileRefused(f'--map: {name} has no column "{column}"; its columns are: {found}.')
