"""Importing rows of cities, contacts, partnerships (pairs of cities) or activities.

Every row gets an outcome: created, updated (a contact's card seen before), matched (already
in the database or an earlier row) or refused, with the reasons; rows read = created + updated
+ matched + refused. Nothing is written on a dry run, nor when a row was refused, unless only
the valid rows were asked for. Writing is one transaction after a safety backup: a failure or
a cancel leaves the database as it was.
Re-importing a file creates nothing: each kind has its identity (a city its gazetteer place
or name and country, a partnership its pair of cities in either order, a contact its e-mail or
name and city — or the UID of the card it came from —, an activity its partnership, title and
start date).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from citypartner_desktop.db.base import new_id, utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import contact_details, specs
from citypartner_desktop.domain.city_names import language_of_script
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.specs import FieldSpec
from citypartner_desktop.domain.text import fold, search_key
from citypartner_desktop.domain.validation import (
    country_index,
    country_name,
    parse_country,
    parse_field,
    parse_int,
)
from citypartner_desktop.repositories import bulk
from citypartner_desktop.repositories import imports as repo
from citypartner_desktop.services import backups, contact_import, records
from citypartner_desktop.services import gazetteer as gazetteer_service
from citypartner_desktop.services.import_cities import (
    CityRef,
    CityResolver,
    NewCity,
    PlaceLookup,
    is_latin,
)

Progress = Callable[[int, int, str], None]
CREATE, UPDATE, MATCH, REFUSE = "create", "update", "match", "refuse"
_CHUNK = 2_000


class ImportCancelled(CityPartnerError):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class ImportRow:
    """One row of a file: field -> cell, the column each field came from (for messages), and
    problems already found while reading (a date or country that could not be read)."""

    line: int
    values: Mapping[str, Any]
    columns: Mapping[str, str]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowOutcome:
    line: int
    action: str  # CREATE, MATCH or REFUSE
    text: str  # what the row is ("Berat (AL) – Amasya (TR)") or what it matched
    problems: tuple[str, ...] = ()  # why it is refused: 'column email: "bob@" is not …'
    notes: tuple[str, ...] = ()  # what a person should check (a city not in the gazetteer)
    # what was kept differently from the file (a phone number kept as written in the notes)
    warnings: tuple[str, ...] = ()

    def messages(self, source: str = "") -> list[str]:
        where = f"{source} line {self.line}" if source else f"line {self.line}"
        return [f"{where}, {p}" for p in self.problems]


@dataclass
class ImportReport:
    kind: str
    source: str
    outcomes: list[RowOutcome]
    created: dict[str, int]  # records created per table (cities, partnerships, memberships, …)
    review: list[str]  # new cities a person should check, with their lines
    dry_run: bool
    valid_only: bool
    committed: bool = False
    backup: Path | None = None
    updated: int = 0  # contacts updated from a card seen before (same UID)
    names_added: int = 0  # cities we had that keep the file's spelling as another name

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def rows_read(self) -> int:
        return len(self.outcomes)

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REFUSE]

    def summary(self) -> str:
        created, matched, refused = self.count(CREATE), self.count(MATCH), self.count(REFUSE)
        updated = self.count(UPDATE)
        update = f"{updated:,} to update, " if updated else ""
        head = (f"{self.rows_read:,} rows read: {created:,} to create, {update}{matched:,} "
                f"already there, {refused:,} refused.")
        records = ", ".join([f"{n:,} {table}" for table, n in self.created.items() if n]
                            + ([f"{self.updated:,} contacts updated"] if self.updated else [])
                            + ([f"another name for {self.names_added:,} cities"]
                               if self.names_added else []))
        if self.committed:
            return f"{head} Imported: {records or 'nothing new'}."
        if self.dry_run:
            return f"{head} Dry run: nothing was written (would create {records or 'nothing'})."
        if not self.refused or self.valid_only:
            return f"{head} Nothing new to import."
        return (f"{head} Nothing was imported because rows were refused; fix them, or import "
                "only the valid rows.")


@dataclass
class _Pending:
    """Rows to write, per table, in insert order (parents first)."""

    cities: list[NewCity] = field(default_factory=list)
    city_names: dict[str, str] = field(default_factory=dict)  # city id -> its other names
    partnerships: list[tuple[Any, ...]] = field(default_factory=list)
    memberships: list[tuple[Any, ...]] = field(default_factory=list)
    contacts: list[tuple[Any, ...]] = field(default_factory=list)
    # A card seen before: (contact id, {column: (old, new)})
    contact_updates: list[tuple[str, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    activities: list[tuple[Any, ...]] = field(default_factory=list)


class _Run:
    def __init__(self, total: int, progress: Progress | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        self.total = total
        self._progress = progress
        self._cancel = should_cancel

    def step(self, done: int, message: str) -> None:
        if self._cancel is not None and self._cancel():
            raise ImportCancelled("The import was cancelled; nothing was changed.")
        if self._progress is not None:
            self._progress(done, self.total, message)


def _problem(row: ImportRow, name: str, reason: str) -> str:
    return f"column {row.columns.get(name, name)}: {reason}"


def _text(row: ImportRow, name: str) -> str:
    value = row.values.get(name)
    return "" if value is None else " ".join(str(value).split())


def _parse(row: ImportRow, spec: FieldSpec, name: str, problems: list[str], *,
           phone_region: str | None = None) -> Any:
    """One field through the same rules as the edit dialogs; a refusal becomes a problem."""
    if name not in row.values:
        return spec.default if spec.required else None
    raw = row.values[name]
    try:
        return parse_field(spec, raw, phone_region=phone_region)
    except ValueError as exc:
        problems.append(_problem(row, name, str(exc)))
        return None


def _country_of(city: CityRef) -> str | None:
    """The country code of a city as the import labels it: "Kraków (PL)"."""
    found = re.search(r"\(([A-Z]{2})\)$", city.label)
    return found[1] if found else None


def _given(row: ImportRow, spec: FieldSpec, name: str, problems: list[str]) -> Any:
    """A field the row gives a value for, read as ``_parse`` reads it; else None (not the
    spec's default)."""
    if row.values.get(name) in (None, ""):
        return None
    return _parse(row, spec, name, problems)


class _Planner:
    """Decides each row's outcome and collects what to write."""

    def __init__(self, uow: UnitOfWork, kind: str, source: str, lookup: PlaceLookup | None,
                 run: _Run, language: str = "") -> None:
        self.kind = kind
        self.language = language  # of the file's names ("" when not said)
        self.source = source
        self.run = run
        self.session = uow.session
        self.cities = CityResolver(repo.live_cities(uow.session), lookup, source)
        self.pending = _Pending()
        self.outcomes: list[RowOutcome] = []
        self._seen: dict[Any, int] = {}  # identity -> first line, for rows listed twice

    def plan(self, rows: Sequence[ImportRow]) -> None:
        method = {"cities": self._city, "partnerships": self._pair, "contacts": self._contact,
                  "activities": self._activity}[self.kind]
        prepare = getattr(self, f"_prepare_{self.kind}", None)
        if prepare is not None:
            prepare(rows)
        for index, row in enumerate(rows):
            if index % 500 == 0:
                self.run.step(index, f"Checking row {index + 1:,} of {len(rows):,}…")
            self.outcomes.append(method(row))
        self.pending.cities = [c for c in self.cities.new_cities if c.used]
        self.pending.city_names = self.cities.spellings

    def _refuse(self, row: ImportRow, problems: Iterable[str], text: str = "") -> RowOutcome:
        return RowOutcome(row.line, REFUSE, text, tuple(problems))

    def _duplicate(self, row: ImportRow, identity: Any, text: str, what: str
                   ) -> RowOutcome | None:
        first = self._seen.get(identity)
        if first is not None:
            return RowOutcome(row.line, MATCH, f"{text}: same {what} as line {first}")
        self._seen[identity] = row.line
        return None

    def _city_of(self, row: ImportRow, name_field: str, country_field: str,
                 problems: list[str], *, required: bool) -> CityRef | None:
        name = _text(row, name_field)
        country = _text(row, country_field)
        if not name:
            if required:
                problems.append(_problem(row, name_field, "is required"))
            return None  # no city: a country alone (a contact's) links to nothing
        if len(name) > specs.CITY.field("name").max_length:
            problems.append(_problem(row, name_field, f"is {len(name)} characters long; at most "
                                     f"{specs.CITY.field('name').max_length} are allowed"))
            return None
        labelled = _LABELLED_CITY.fullmatch(name)
        if labelled and not country and labelled[2] in _country_codes():
            name, country = labelled[1], labelled[2]  # "Kraków (PL)", as lists show a city
        if not country and ", " in name:  # "Varna, Bulgaria" in the city's column
            head, _sep, tail = name.rpartition(", ")
            with contextlib.suppress(ValueError):
                name, country = head, parse_country(tail)
        if not country:
            if any(p.startswith(f"column {row.columns.get(country_field)}:") for p in problems):
                return None  # the country was there but could not be read; already reported
            ref = self.cities.find_existing_by_name(name)
            if ref is not None:
                return self._spelled(ref, name)
            # No country given: the gazetteer's place of that name, when one stands out.
            place, problem = self.cities.find_place_anywhere(name, _text(row, "region"))
            if place is not None:
                return self._spelled(self.cities.resolve(name, place.country), name)
            where = (country_field if country_field in row.columns else name_field)
            problems.append(_problem(row, where, f'no country given, and "{name}" is not a '
                                     f"city in the database; the world gazetteer: {problem}; "
                                     "give the country"))
            return None
        return self._spelled(self.cities.resolve(name, country), name)

    def _spelled(self, ref: CityRef, written: str) -> CityRef:
        """The city, which keeps the spelling the file used as one of its names."""
        self.cities.note_spelling(ref, written, self.language or language_of_script(written))
        return ref

    @staticmethod
    def _use(line: int, *refs: CityRef | None) -> tuple[str, ...]:
        """Mark the new cities an accepted row needs; the first row that needs one says so."""
        notes = []
        for ref in refs:
            if ref is None or ref.new is None:
                continue
            city = ref.new
            if line not in city.lines:
                city.lines.append(line)
            if city.used:
                continue
            city.used = True
            if city.review:
                notes.append(f"creates {ref.label}: {city.review.split(': ', 1)[-1]}")
            else:
                notes.append(f"creates {ref.label} from the world gazetteer")
        return tuple(notes)

    # --- partnerships -------------------------------------------------------------------------

    def _prepare_partnerships(self, _rows: Sequence[ImportRow]) -> None:
        self._pairs = repo.pair_partnerships(self.session)
        self._home_ids = repo.home_city_ids(self.session)

    def _pair(self, row: ImportRow) -> RowOutcome:
        problems = list(row.problems)
        a = self._city_of(row, "city_a", "country_a", problems, required=True)
        b = self._city_of(row, "city_b", "country_b", problems, required=True)
        spec = specs.PARTNERSHIP
        start = row.values.get("start_date")
        if start is not None and not isinstance(start, date):
            start = None  # reported by the reader
        year_text = _text(row, "since_year")
        since_year = None  # a year alone stays a year: "since 1979" is not 1 January 1979
        if year_text and start is None:
            try:
                year = parse_int(_YEAR_WORDS.sub("", year_text))
                if not 1000 <= year <= date.today().year + 1:
                    raise ValueError(f'"{year_text}" is not a plausible year')
                since_year = year
            except ValueError as exc:
                problems.append(_problem(row, "since_year", str(exc)))
        # A published list's pairs are twinnings in force unless the row says otherwise (the
        # dialogs' defaults, "proposed", are for a partnership being set up, not one listed).
        kind = _given(row, spec.field("kind"), "kind", problems) or "twinning"
        status = _given(row, spec.field("status"), "status", problems) or "active"
        themes = _parse(row, spec.field("themes"), "themes", problems) or ()
        aims = _parse(row, spec.field("aims"), "aims", problems)
        title = _parse(row, spec.field("title"), "title", problems)
        if a is not None and b is not None and a.id == b.id:
            problems.append(f"columns {row.columns['city_a']} and {row.columns['city_b']}: "
                            f"both name {a.label}; a city cannot partner itself")
        if problems or a is None or b is None:
            return self._refuse(row, problems, " – ".join(
                f"{_text(row, c)}, {row.values.get(k) or '?'}" for c, k in
                (("city_a", "country_a"), ("city_b", "country_b"))))
        text = f"{a.label} – {b.label}"
        pair = frozenset((a.id, b.id))
        if pair in self._pairs:
            return RowOutcome(row.line, MATCH, f"{text}: already in the database")
        if (duplicate := self._duplicate(row, pair, text, "partnership")) is not None:
            return duplicate
        title = title or f"{a.label.rsplit(' (', 1)[0]} – {b.label.rsplit(' (', 1)[0]}"
        partnership_id = new_id()
        self.pending.partnerships.append((
            partnership_id, title[:300], kind, status, list(themes), start, since_year, None,
            None, None, aims, search_key(title)))
        # Our own city leads its partnerships; in a list of others' pairs both are partners.
        for ref in (a, b):
            role = "lead" if ref.id in self._home_ids and a.id != b.id else "partner"
            self.pending.memberships.append((new_id(), partnership_id, ref.id, role,
                                             start, None))
        return RowOutcome(row.line, CREATE, text, notes=self._use(row.line, a, b))

    # --- cities ---------------------------------------------------------------------------------

    def _city(self, row: ImportRow) -> RowOutcome:
        problems = list(row.problems)
        spec = specs.CITY
        values = {f.name: _parse(row, f, f.name, problems) for f in spec.fields
                  if f.name in row.values and f.name != "is_home"}
        name, country = str(values.get("name") or ""), str(values.get("country") or "")
        if not problems and name and not country:  # the one place of that name, if one
            place, problem = self.cities.find_place_anywhere(name, str(values.get("region") or
                                                                        ""))
            if place is None:
                problems.append(_problem(row, "country", f'no country given for "{name}"; '
                                         f"the world gazetteer: {problem}; give the country"))
            else:
                country = values["country"] = place.country
        if not problems and not (name and country):
            problems.append(_problem(row, "name" if not name else "country", "is required"))
        if problems:
            return self._refuse(row, problems, _text(row, "name"))
        text = f"{name} ({country})"
        existing = self.cities.find_existing(name, country)
        if existing is not None:
            self._spelled(existing, name)
            if existing.new is not None:
                return RowOutcome(row.line, MATCH,
                                  f"{text}: same city as line {existing.new.lines[0]}")
            return RowOutcome(row.line, MATCH, f"{text}: already in the database")
        place, problem = self.cities.find_place(name, country)
        given = values.get("geonames_id")
        if given is not None and (place is None or place.geonames_id != given):
            place = None  # the file says which place it is; its facts are the file's
        geonames_id = given or (place.geonames_id if place is not None else None)
        known = self.cities.find_geonames(geonames_id) if geonames_id else None
        if known is not None:
            return RowOutcome(row.line, MATCH, f"{text}: already in the database as "
                              f"{known.label}")
        facts: dict[str, Any] = {}
        if place is not None:
            facts = {"region": place.region, "population": place.population or None,
                     "latitude": place.latitude, "longitude": place.longitude,
                     "timezone": place.timezone, "geonames_id": place.geonames_id}
        merged = {**facts, **{k: v for k, v in values.items() if v not in (None, "")}}
        linked = place is not None or given is not None
        review = None if linked else f"{name} ({country_name(country)}): {problem}"
        native = merged.get("native_name") or (None if is_latin(name) else name)
        city = NewCity(new_id(), name, country, native_name=native, region=merged.get("region"),
                       population=merged.get("population"), latitude=merged.get("latitude"),
                       longitude=merged.get("longitude"), timezone=merged.get("timezone"),
                       geonames_id=merged.get("geonames_id"), website=merged.get("website"),
                       review=review, notes=merged.get("notes"),
                       check=merged.get("review") or (None if linked else
                                                      f"{problem} (imported from {self.source})"),
                       lines=[row.line])
        ref = self.cities.add(city)
        return RowOutcome(row.line, CREATE, text, notes=self._use(row.line, ref))

    # --- contacts -------------------------------------------------------------------------------

    def _prepare_contacts(self, rows: Sequence[ImportRow]) -> None:
        self._home_country = repo.home_country(self.session)
        self._emails: dict[str, str] = {}
        self._names: dict[tuple[str, str | None], str] = {}
        for contact_id, full_name, email, city_id in repo.live_contacts(self.session):
            if email:
                self._emails.setdefault(email.casefold(), contact_id)
            self._names.setdefault((fold(full_name), city_id), contact_id)
        # A card imported (or exported) before: its UID finds the contact it became.
        uids = {_text(row, "card_uid") for row in rows} - {""}
        self._by_uid = repo.contacts_by_uid(self.session, uids, contact_import.UPDATABLE)

    def _contact(self, row: ImportRow) -> RowOutcome:
        problems = list(row.problems)
        spec = specs.CONTACT
        full_name = _text(row, "full_name") or " ".join(
            p for p in (_text(row, "first_name"), _text(row, "last_name")) if p)
        if not full_name:
            problems.append(_problem(row, "full_name" if "full_name" in row.columns
                                     else "last_name", "is required"))
        elif len(full_name) > spec.field("full_name").max_length:
            problems.append(_problem(row, "full_name", f"is {len(full_name)} characters long; "
                                     f"at most {spec.field('full_name').max_length} are allowed"))
        city = self._city_of(row, "city", "country", problems, required=False)
        # A number without its country code is read as the contact's country writes it, else
        # as the office's own country does.
        region = (_text(row, "country") or (_country_of(city) if city else None)
                  or self._home_country)
        values = {contact_import.FIELD_COLUMNS.get(f.name, f.name):
                  _parse(row, f, f.name, problems, phone_region=region)
                  for f in _CONTACT_IMPORT_FIELDS if f.name in row.values
                  and f.name not in ("full_name", "city_id", "phone", "details")}
        unread: list[str] = []
        if _text(row, "phone"):
            values["phone"] = _parse(row, spec.field("phone"), "phone", unread,
                                     phone_region=region)
        warnings: list[str] = []
        read = None
        if row.values.get("details") not in (None, "", []):
            try:
                read = contact_import.read_details(row.values["details"], region)
            except ValueError as exc:
                problems.append(_problem(row, "details", str(exc)))
            else:
                values["details"] = contact_details.to_json(read.details) or None
                values["email"] = values.get("email") or read.email
                values["phone"] = values.get("phone") or read.phone
                warnings.extend(read.warnings)
        written = _text(row, "phone")
        if unread and read is not None and any(written in w for w in read.warnings):
            pass  # kept as written among the details, and said so once
        elif unread:  # never a reason to refuse the person: kept as written, in the notes
            values["notes"] = "\n".join(p for p in (values.get("notes"),
                                                    f"Phone as written: {written}") if p)
            warnings.append(f'column {row.columns["phone"]}: "{written}" could not be read as '
                            "a phone number; it is kept as written in the notes")
        if problems:
            return self._refuse(row, problems, full_name)
        email = values.get("email")
        text = full_name + (f" <{email}>" if email else "")
        city_id = city.id if city else None
        card_uid = values.get("card_uid")
        if card_uid and (known := self._by_uid.get(card_uid)) is not None:
            given = {**values, "full_name": full_name, "city_id": city_id}
            changed = contact_import.changes(known, given)
            if not changed:
                return RowOutcome(row.line, MATCH, f"{text}: already in the database (same "
                                  "card)")
            self.pending.contact_updates.append((known["id"], changed))
            names = ", ".join(specs.CONTACT.field(n).label.lower() for n in changed)
            return RowOutcome(row.line, UPDATE, f"{text}: updates {names} (same card)",
                              notes=self._use(row.line, city), warnings=tuple(warnings))
        if email and email.casefold() in self._emails:
            return RowOutcome(row.line, MATCH, f"{text}: already in the database")
        if not email and (fold(full_name), city_id) in self._names:
            return RowOutcome(row.line, MATCH, f"{text}: already in the database")
        identity = ("email", email.casefold()) if email else ("name", fold(full_name), city_id)
        if (duplicate := self._duplicate(row, identity, text, "contact")) is not None:
            return duplicate
        city_key = self.cities.search_keys.get(city_id) if city_id else None
        self.pending.contacts.append((
            new_id(), full_name, values.get("title"), values.get("position"),
            values.get("organisation"), city_id, email, values.get("phone"),
            values.get("languages"), values.get("notes"), values.get("legal_basis"),
            values.get("data_source"), values.get("consent_date"), values.get("review_date"),
            values.get("given_name"), values.get("family_name"), values.get("department"),
            values.get("tags"), card_uid, values.get("details"),
            contact_search_key({**values, "full_name": full_name}), city_key))
        return RowOutcome(row.line, CREATE, text, notes=self._use(row.line, city),
                          warnings=tuple(warnings))

    # --- activities -----------------------------------------------------------------------------

    def _prepare_activities(self, _rows: Sequence[ImportRow]) -> None:
        self._titles: dict[str, list[str]] = {}
        for partnership_id, title in repo.live_partnerships(self.session):
            self._titles.setdefault(fold(title), []).append(partnership_id)
        self._activities = {(pid, fold(title), start)
                            for _id, pid, title, start in repo.live_activities(self.session)}

    def _activity(self, row: ImportRow) -> RowOutcome:
        problems = list(row.problems)
        spec = specs.ACTIVITY
        wanted = _text(row, "partnership")
        matches = self._titles.get(fold(wanted), []) if wanted else []
        if not wanted:
            problems.append(_problem(row, "partnership", "is required"))
        elif not matches:
            problems.append(_problem(row, "partnership", f'no partnership is titled "{wanted}"'))
        elif len(matches) > 1:
            problems.append(_problem(row, "partnership", f'{len(matches)} partnerships are '
                                     f'titled "{wanted}"; rename one'))
        city = self._city_of(row, "city", "country", problems, required=False)
        values = {f.name: _parse(row, f, f.name, problems) for f in spec.fields
                  if f.name in row.values and f.name not in ("partnership_id", "city_id", "kind")}
        # A blank kind (a calendar's event, a sheet's empty cell) is a meeting.
        values["kind"] = _given(row, spec.field("kind"), "kind", problems)
        start, end = values.get("start_date"), values.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            problems.append(_problem(row, "end_date", f"is before the start ({start})"))
        if not problems and not start:
            problems.append(_problem(row, "start_date", "is required"))
        title = values.get("title") or ""
        if problems:
            return self._refuse(row, problems, title)
        partnership_id = matches[0]
        text = f"{start}: {title}"
        identity = (partnership_id, fold(title), start)
        if identity in self._activities:
            return RowOutcome(row.line, MATCH, f"{text}: already in the database")
        if (duplicate := self._duplicate(row, identity, text, "activity")) is not None:
            return duplicate
        currency = values.get("currency") or ("EUR" if values.get("cost") is not None else None)
        self.pending.activities.append((
            new_id(), partnership_id, values.get("kind") or "meeting", title, start, end,
            city.id if city else None, values.get("participant_count"), values.get("cost"),
            currency, values.get("summary"), search_key(title, values.get("summary"))))
        return RowOutcome(row.line, CREATE, text, notes=self._use(row.line, city))


_LABELLED_CITY = re.compile(r"(.+) \(([A-Z]{2})\)")
# "since 1979", "seit 1979", "depuis 1979", "od 1979", "desde 1979", "1979 r.": the year alone
_YEAR_WORDS = re.compile(r"(?i)^\s*(since|seit|depuis|od|desde|dal|sinds)\s+|\s*(r\.|rok)\s*$")


def is_year_alone(text: str) -> bool:
    """Whether a start "date" is a year alone ("1979", "since 1979", "seit 1979", "1979 r.")."""
    return re.fullmatch(r"\d{4}", _YEAR_WORDS.sub("", text).strip()) is not None
# The contact fields an import reads: the spec's, and the parts a name is put together from.
_CONTACT_IMPORT_FIELDS = (
    *specs.CONTACT.fields,
    FieldSpec("first_name", "First name", max_length=100),
    FieldSpec("last_name", "Last name", max_length=100),
)


def contact_search_key(values: Mapping[str, Any]) -> str:
    return search_key(*(str(values.get(f) or "") for f in specs.CONTACT.search_fields))


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(country_index().values())


_CITY_COLUMNS = ("id", "name", "native_name", "other_names", "country", "region", "population",
                 "latitude", "longitude", "timezone", "geonames_id", "is_home", "website", "notes",
                 "review", "search_key")
_PARTNERSHIP_COLUMNS = ("id", "title", "kind", "status", "themes", "start_date", "since_year",
                        "end_date",
                        "programme_id", "lead_department", "aims", "search_key")
_MEMBERSHIP_COLUMNS = ("id", "partnership_id", "city_id", "role", "joined_on", "left_on")
_CONTACT_COLUMNS = ("id", "full_name", "title", "position", "organisation", "city_id", "email",
                    "phone", "languages", "notes", "legal_basis", "data_source", "consent_date",
                    "review_date", "given_name", "family_name", "department", "tags",
                    "card_uid", "details", "search_key", "city_key")
_ACTIVITY_COLUMNS = ("id", "partnership_id", "kind", "title", "start_date", "end_date",
                     "city_id", "participant_count", "cost", "currency", "summary", "search_key")
_CHANGE_COLUMNS = ("id", "record_kind", "record_id", "field", "old_value", "new_value",
                   "changed_at", "changed_by", "installation_id")


def _city_row(city: NewCity) -> tuple[Any, ...]:
    return (city.id, city.name, city.native_name, city.other_names, city.country, city.region,
            city.population, city.latitude, city.longitude, city.timezone, city.geonames_id, False,
            city.website, city.notes, city.check, city.search_key)


def _write(uow: UnitOfWork, pending: _Pending, source: str, run: _Run) -> None:
    now = utcnow()
    session = uow.session
    audit = bulk.RowWriter(session, "changes", _CHANGE_COLUMNS, now)
    tables: list[tuple[str, str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        ("cities", "city", _CITY_COLUMNS, [_city_row(c) for c in pending.cities]),
        ("partnerships", "partnership", _PARTNERSHIP_COLUMNS, pending.partnerships),
        ("memberships", "membership", _MEMBERSHIP_COLUMNS, pending.memberships),
        ("contacts", "contact", _CONTACT_COLUMNS, pending.contacts),
        ("activities", "activity", _ACTIVITY_COLUMNS, pending.activities),
    ]
    total = sum(len(rows) for *_, rows in tables)
    done = 0
    for table, kind, columns, rows in tables:
        if not rows:
            continue
        writer = bulk.RowWriter(session, table, columns, now)
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start:start + _CHUNK]
            run.step(done, f"Writing {table}…")
            writer.write(chunk)
            # The audit trail: each record was created, by whom, from which file.
            audit.write([(new_id(), kind, row[0], "*", None, f"created by import of {source}",
                          now, uow.actor.user, uow.actor.installation_id) for row in chunk])
            done += len(chunk)
    for city_id, names in pending.city_names.items():  # spellings of cities we had
        records.update_in(uow, "city", city_id, {"other_names": names})
    if pending.contact_updates:
        run.step(done, "Updating contacts…")
        for contact_id, changed in pending.contact_updates:  # as an edit: checked, with history
            records.update_in(uow, "contact", contact_id,
                              {name: new for name, (_old, new) in changed.items()})
    run.step(total, "Saving…")


def _created_counts(pending: _Pending) -> dict[str, int]:
    return {"cities": len(pending.cities), "partnerships": len(pending.partnerships),
            "memberships": len(pending.memberships), "contacts": len(pending.contacts),
            "activities": len(pending.activities)}


def _review(cities: Iterable[NewCity]) -> list[str]:
    notes = []
    for city in cities:
        if city.review:
            lines = ", ".join(str(n) for n in city.lines[:10])
            more = f" and {len(city.lines) - 10} more" if len(city.lines) > 10 else ""
            notes.append(f"{city.review} (line{'s' if len(city.lines) > 1 else ''} "
                         f"{lines}{more})")
    return notes


def run_import(
    db: Database,
    kind: str,
    rows: Sequence[ImportRow],
    *,
    source: str,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    lookup: PlaceLookup | None = None,
    language: str = "",
) -> ImportReport:
    """Plan every row, then (unless a dry run, or rows were refused without ``valid_only``)
    back up the database and write the new records in one transaction."""
    run = _Run(len(rows), progress, should_cancel)
    own_lookup = None
    if lookup is None:
        run.step(0, "Opening the world gazetteer…")
        own_lookup = gazetteer_service.exact_lookup(
            None if progress is None else (lambda message: progress(0, len(rows), message)))
        lookup = own_lookup
    try:
        with db.uow() as uow:
            planner = _Planner(uow, kind, source, lookup, run, language)
            planner.plan(rows)
    finally:
        if own_lookup is not None:
            own_lookup.close()
    pending = planner.pending
    report = ImportReport(kind, source, planner.outcomes, _created_counts(pending),
                          _review(pending.cities), dry_run, valid_only,
                          updated=len(pending.contact_updates),
                          names_added=len(pending.city_names))
    if dry_run or (report.refused and not valid_only) or not (
            any(report.created.values()) or report.updated or report.names_added):
        return report
    run.step(len(rows), "Backing up the database…")
    report.backup = backups.backup_before(db, "import")
    with db.uow() as uow:
        uow.writes_first()
        # The rows and their plans are held beside the cache: 48 MB keeps the whole import
        # under 400 MB (benchmarks.import_limits) and is plenty for the 150,000 rows let in.
        with bulk.large_page_cache(uow.session, mebibytes=48):
            _write(uow, pending, source, run)
        uow.commit()
    report.committed = True
    return report
