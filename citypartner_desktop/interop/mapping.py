"""Which column holds which field: header names and their common aliases, or the user's map.

Headers are compared folded (case, accents, spaces, "-", "_" and "." do not matter), so
"E-Mail", "e_mail" and "email" are one name. Each kind lists the fields an import fills, in
the order a mapping screen shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citypartner_desktop.domain.text import fold
from citypartner_desktop.interop.tables import FileRefused, SourceTable

IGNORE = "-"  # --map "Old column=-" skips a column


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


F = ImportField

KIND_FIELDS: dict[str, tuple[ImportField, ...]] = {
    "cities": (
        F("name", "Name", True, ("city", "city name", "town", "municipality", "place")),
        F("country", "Country", True, ("country code", "nation", "state country")),
        F("native_name", "Native name", False, ("local name", "name local", "native")),
        F("region", "Region", False, ("state", "province", "county", "admin1")),
        F("population", "Population", False, ("inhabitants", "pop")),
        F("latitude", "Latitude", False, ("lat",)),
        F("longitude", "Longitude", False, ("lon", "lng", "long")),
        F("timezone", "Time zone", False, ("tz", "time zone")),
        F("geonames_id", "GeoNames id", False, ("geonameid", "geonames")),
        F("website", "Website", False, ("url", "web", "homepage")),
        F("notes", "Notes", False, ("note", "comment", "comments", "remarks")),
        F("review", "To check", False, ("review", "check")),
    ),
    "contacts": (
        F("full_name", "Full name", True, ("name", "contact", "person", "contact name")),
        F("first_name", "First name", False, ("given name", "forename", "firstname")),
        F("last_name", "Last name", False, ("surname", "family name", "lastname")),
        F("title", "Title", False, ("salutation", "honorific")),
        F("position", "Position / role", False, ("role", "job title", "function", "job")),
        F("organisation", "Organisation", False,
          ("organization", "org", "company", "institution", "employer")),
        F("city", "City", False, ("town", "municipality", "city name")),
        F("country", "Country", False, ("city country", "nation")),
        F("email", "E-mail", False, ("mail", "e mail", "email address", "e mail address")),
        F("phone", "Phone", False, ("telephone", "tel", "phone number", "mobile")),
        F("languages", "Languages", False, ("language", "speaks")),
        F("notes", "Notes", False, ("note", "comment", "comments", "remarks")),
        F("legal_basis", "Legal basis", False, ("basis", "gdpr basis")),
        F("data_source", "Source of data", False, ("source",)),
        F("consent_date", "Consent / basis date", False, ("consent", "consent on")),
        F("review_date", "Review date", False, ("review", "review on")),
    ),
    "partnerships": (
        F("city_a", "City A", True, ("city1", "city 1", "city", "town1", "home city")),
        F("country_a", "Country A", True, ("country1", "country 1", "country")),
        F("city_b", "City B", True,
          ("city2", "city 2", "partner", "partner city", "twin", "twin city", "town2")),
        F("country_b", "Country B", True,
          ("country2", "country 2", "partner country", "twin country")),
        F("since_year", "Since (year)", False, ("year", "since", "twinned since")),
        F("start_date", "Start date", False, ("start", "started", "date")),
        F("title", "Title", False, ("name", "partnership")),
        F("kind", "Kind", False, ("type",)),
        F("status", "Status", False, ()),
        F("themes", "Themes", False, ("theme", "topics")),
        F("aims", "Aims", False, ("notes", "description", "aim")),
    ),
    "activities": (
        F("partnership", "Partnership", True, ("partnership title", "partnership id")),
        F("title", "Title", True, ("activity", "what", "name", "subject")),
        F("start_date", "Start", True, ("date", "start", "from", "starts")),
        F("end_date", "End", False, ("end", "to", "until", "ends")),
        F("kind", "Kind", False, ("type", "activity kind")),
        F("city", "Place (city)", False, ("place", "town", "location")),
        F("country", "Country", False, ("place country",)),
        F("participant_count", "Participants (count)", False,
          ("participants", "attendees", "people")),
        F("cost", "Cost", False, ("costs", "amount")),
        F("currency", "Currency", False, ()),
        F("summary", "Summary / minutes", False, ("minutes", "notes", "description")),
    ),
}
KINDS = tuple(KIND_FIELDS)


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[-_./]+", " ", fold(text)).split())


@dataclass(frozen=True)
class ColumnMap:
    """field -> column index, plus the columns nothing reads (reported, then ignored)."""

    kind: str
    fields: dict[str, int]
    headers: tuple[str, ...]
    extra: tuple[str, ...]

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
    return {i: lookup[key] for i, key in enumerate(header_key(h) for h in headers)
            if key in lookup}


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
    for index, field in guess_fields(kind, headers).items():
        chosen.setdefault(index, field)
    fields: dict[str, int] = {}
    for index in sorted(chosen):
        field = chosen[index]
        if field == IGNORE:
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
    extra = tuple(headers[i] for i in range(len(headers))
                  if i not in chosen or chosen[i] == IGNORE)
    return ColumnMap(kind, fields, headers, extra)


def _find_column(column: str, headers: tuple[str, ...], keys: list[str], name: str) -> int:
    if column in headers:
        return headers.index(column)
    key = header_key(column)
    if key in keys:
        return keys.index(key)
    found = ", ".join(f'"{h}"' for h in headers)
    raise FileRefused(f'--map: {name} has no column "{column}"; its columns are: {found}.')
