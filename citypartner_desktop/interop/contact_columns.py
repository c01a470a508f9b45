"""A contact's e-mails, phones, addresses and web pages as address-book programs write them:
each in columns of its own, read back into Details (``domain.contact_details``).

The programs, and the files they write (each is in ``tests/data/corpus/contacts``):

- Microsoft Outlook, desktop ("Import and Export" > "Comma Separated Values"): every cell
  quoted, in the PC's ANSI code page (Windows-1252 for English, German and French), headers in
  Outlook's language: "E-mail Address", "Business Phone", "Business Street" …; "E-Mail-Adresse",
  "Telefon geschäftlich", "Straße geschäftlich" …; "Adresse de messagerie", "Téléphone
  (bureau)", "Rue (bureau)" …. Outlook.com and the new Outlook write the English names (61 of
  them), unquoted, in UTF-8.
- Google Contacts: numbered groups "E-mail 1 - Label" + "E-mail 1 - Value", "Phone 1 - …",
  "Address 1 - Label/Formatted/Street/City/PO Box/Region/Postal Code/Country/Extended Address",
  "Website 1 - …" (since 2024; before, the same groups with "- Type" in place of "- Label",
  beside "Name", "Given Name", "Group Membership", "Organization 1 - Name" …). A value may hold
  several, joined by " ::: "; a label starting "* " marks the preferred one ("* Work").
- Thunderbird: "Primary Email", "Secondary Email", "Work Phone", "Home Phone", "Fax Number",
  "Pager Number", "Mobile Number", "Home Address" … "Work ZipCode", "Web Page 1" (work) and
  "Web Page 2" (home); in UTF-8, with an empty last column.
- LinkedIn "Connections.csv": "First Name", "Last Name", "URL" (the LinkedIn profile),
  "Email Address", "Company", "Position", "Connected On", below a few "Notes:" lines.
- Apple Contacts and iCloud export contacts only as vCard (.vcf): ``interop.vcard`` reads those.

Plain office sheets give the same: "Mobile", "Fax", "Website", "Street", "Postcode" (and
their German, French, Polish and Spanish names).

Design: a header is a *detail column* ``DetailColumn(group, kind, label, part)``: the columns
of one group make one detail per row (Outlook's "Business Street", "Business City", …
"Business Country/Region" are one work address); ``part`` is "value", an address part
(street, postcode, city, region, country; street lines and PO box are joined) or "type" (a
Google type or label cell: the label of its group, row by row, mapped to work, home, mobile,
fax, other when it is one of those in any of the five languages, else kept as written). A
group without a type cell has the column's own label (Outlook's "Home Phone" is home).

Preferred: a type starting "*" (Google), or a column that says so (Outlook's "Primary Phone",
whose number is usually also in another column: the two are one detail). Otherwise the first
e-mail and the first phone of the row, in column order, are preferred (Outlook's "E-mail
Address", Thunderbird's "Primary Email", Google's "E-mail 1"); a fax or pager is preferred
only when there is no other phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from citypartner_desktop.domain.contact_details import ADDRESS_PARTS, KINDS, Detail, address
from citypartner_desktop.domain.text import fold
from citypartner_desktop.interop.source_table import header_key

PARTS = ("value", "type", *ADDRESS_PARTS)
GOOGLE_SEPARATOR = " ::: "
# Labels that make a poor "the" phone of a person: preferred only when there is no other.
_NOT_PREFERRED = frozenset({"fax", "home fax", "other fax", "pager", "telex", "tty",
                            "assistant", "callback"})


@dataclass(frozen=True)
class DetailColumn:
    group: str  # the columns of one group make one detail of a row
    kind: str  # email, phone, address, web
    label: str  # work, home, mobile, fax, other, … ("" when the program has none)
    part: str  # one of PARTS
    preferred: bool = False  # the column holds the preferred one (Outlook "Primary Phone")


_COLUMNS: dict[str, DetailColumn] = {}


def _values(kind: str, *pairs: tuple[str, str]) -> None:
    """One detail per header: (header, label)."""
    for header, label in pairs:
        key = header_key(header)
        _COLUMNS[key] = DetailColumn(key, kind, label, "value")


def _prefer(kind: str, label: str, *headers: str) -> None:
    for header in headers:
        key = header_key(header)
        _COLUMNS[key] = DetailColumn(key, kind, label, "value", preferred=True)


def _address(group: str, label: str, *, street: Iterable[str] = (), postcode: Iterable[str] = (),
             city: Iterable[str] = (), region: Iterable[str] = (),
             country: Iterable[str] = ()) -> None:
    for part, headers in (("street", street), ("postcode", postcode), ("city", city),
                          ("region", region), ("country", country)):
        for header in headers:
            _COLUMNS[header_key(header)] = DetailColumn(group, "address", label, part)


# --- Outlook, English (desktop and Outlook.com), and what Thunderbird shares with it ----------
_values("email", ("E-mail Address", ""), ("E-mail 2 Address", ""), ("E-mail 3 Address", ""))
_values("phone", ("Assistant's Phone", "assistant"), ("Business Fax", "fax"),
        ("Business Phone", "work"), ("Business Phone 2", "work"), ("Callback", "callback"),
        ("Car Phone", "car"), ("Company Main Phone", "company"), ("Home Fax", "home fax"),
        ("Home Phone", "home"), ("Home Phone 2", "home"), ("ISDN", "isdn"),
        ("Mobile Phone", "mobile"), ("Mobile Phone 2", "mobile"), ("Other Fax", "other fax"),
        ("Other Phone", "other"), ("Pager", "pager"), ("Radio Phone", "radio"),
        ("TTY/TDD Phone", "tty"), ("Telex", "telex"))
_prefer("phone", "main", "Primary Phone")
_values("web", ("Web Page", ""), ("Personal Web Page", "home"))
for _where, _label in (("Business", "work"), ("Home", "home"), ("Other", "other")):
    _address(f"{_label} address", _label,
             street=(f"{_where} Street", f"{_where} Street 2", f"{_where} Street 3",
                     f"{_where} Address PO Box"),
             postcode=(f"{_where} Postal Code",), city=(f"{_where} City",),
             region=(f"{_where} State",),
             country=(f"{_where} Country/Region", f"{_where} Country"))

# --- Outlook, German --------------------------------------------------------------------------
_values("email", ("E-Mail-Adresse", ""), ("E-Mail 2: Adresse", ""), ("E-Mail 3: Adresse", ""))
_values("phone", ("Telefon Assistent", "assistant"), ("Fax geschäftlich", "fax"),
        ("Telefon geschäftlich", "work"), ("Telefon geschäftlich 2", "work"),
        ("Rückmeldung", "callback"), ("Autotelefon", "car"), ("Telefon Firma", "company"),
        ("Fax privat", "home fax"), ("Telefon privat", "home"), ("Telefon privat 2", "home"),
        ("Telefon (privat)", "home"), ("Telefon (privat 2)", "home"),
        ("Mobiltelefon", "mobile"), ("Mobiltelefon 2", "mobile"), ("Weiteres Fax", "other fax"),
        ("Weiteres Telefon", "other"), ("Telefon für Hörbehinderte", "tty"))
_prefer("phone", "main", "Haupttelefon")
_values("web", ("Webseite", ""))
_address("work address", "work",
         street=("Straße geschäftlich", "Straße geschäftlich 2", "Straße geschäftlich 3",
                 "Postfach geschäftlich"),
         postcode=("Postleitzahl geschäftlich",), city=("Ort geschäftlich",),
         region=("Region geschäftlich", "Bundesland/Kanton geschäftlich"),
         country=("Land/Region geschäftlich",))
_address("home address", "home",
         street=("Straße privat", "Straße privat 2", "Straße privat 3", "Postfach privat"),
         postcode=("Postleitzahl privat",), city=("Ort privat",),
         region=("Bundesland/Kanton privat", "Region privat"), country=("Land/Region privat",))
_address("other address", "other",
         street=("Weitere Straße", "Weitere Straße 2", "Weitere Straße 3", "Weiteres Postfach"),
         postcode=("Weitere Postleitzahl",), city=("Weiterer Ort",),
         region=("Weiteres/r Bundesland/Kanton",), country=("Weiteres/e Land/Region",))

# --- Outlook, French --------------------------------------------------------------------------
_values("email", ("Adresse de messagerie", ""), ("Adresse de messagerie 2", ""),
        ("Adresse de messagerie 3", ""))
_values("phone", ("Téléphone de l'assistant(e)", "assistant"), ("Télécopie (bureau)", "fax"),
        ("Téléphone (bureau)", "work"), ("Téléphone 2 (bureau)", "work"),
        ("Rappel", "callback"), ("Téléphone (voiture)", "car"),
        ("Téléphone société", "company"), ("Télécopie (domicile)", "home fax"),
        ("Téléphone (domicile)", "home"), ("Téléphone 2 (domicile)", "home"), ("RNIS", "isdn"),
        ("Tél. mobile", "mobile"), ("Télécopie (autre)", "other fax"),
        ("Téléphone (autre)", "other"), ("Récepteur de radiomessagerie", "pager"),
        ("Radio téléphone", "radio"), ("Téléphone TDD/TTY", "tty"), ("Télex", "telex"))
_prefer("phone", "main", "Téléphone principal")
_values("web", ("Page Web", ""))
for _where, _label in (("bureau", "work"), ("domicile", "home"), ("autre", "other")):
    _address(f"{_label} address", _label,
             street=(f"Rue ({_where})", f"Rue ({_where}) 2", f"Rue ({_where}) 3"),
             postcode=(f"Code postal ({_where})",), city=(f"Ville ({_where})",),
             region=(f"Dép/Région ({_where})",),
             country=(f"Pays/Région ({_where})", f"Pays ({_where})"))
_address("work address", "work", street=("B.P. professionnelle",))
_address("home address", "home", street=("Boîte postale du domicile",))
_address("other address", "other", street=("Autre boîte postale",))

# --- Thunderbird (English; German as its German build writes them) --------------------------
_values("email", ("Primary Email", ""), ("Secondary Email", ""),
        ("Primäre E-Mail-Adresse", ""), ("Sekundäre E-Mail-Adresse", ""))
_values("phone", ("Work Phone", "work"), ("Fax Number", "fax"), ("Pager Number", "pager"),
        ("Mobile Number", "mobile"), ("Tel. dienstlich", "work"), ("Tel. privat", "home"),
        ("Fax-Nummer", "fax"), ("Pager-Nummer", "pager"), ("Mobil-Tel.-Nr.", "mobile"))
_values("web", ("Web Page 1", "work"), ("Web Page 2", "home"), ("Webseite 1", "work"),
        ("Webseite 2", "home"))
for _where, _label, _de in (("Home", "home", "Privat"), ("Work", "work", "Dienstlich")):
    _address(f"{_label} address", _label,
             street=(f"{_where} Address", f"{_where} Address 2", f"{_de}: Adresse",
                     f"{_de}: Adresse 2"),
             postcode=(f"{_where} ZipCode", f"{_de}: PLZ"), city=(f"{_de}: Ort",),
             region=(f"{_de}: Bundesland",), country=(f"{_where} Country", f"{_de}: Land"))
_address("work address", "work", city=("Work City",), region=("Work State",))

# --- LinkedIn Connections.csv, and what office sheets call their columns ----------------------
_values("email", ("Email Address", ""))
_values("phone", ("Mobile", "mobile"), ("Mobile phone", "mobile"), ("Cell", "mobile"),
        ("Cell phone", "mobile"), ("Handy", "mobile"), ("Mobil", "mobile"),
        ("Portable", "mobile"), ("Téléphone portable", "mobile"), ("Komórka", "mobile"),
        ("Telefon komórkowy", "mobile"), ("Móvil", "mobile"), ("Teléfono móvil", "mobile"),
        ("Celular", "mobile"), ("Office phone", "work"), ("Telefon dienstlich", "work"),
        ("Téléphone professionnel", "work"), ("Telefon służbowy", "work"),
        ("Teléfono del trabajo", "work"), ("Private phone", "home"),
        ("Téléphone personnel", "home"), ("Telefon domowy", "home"),
        ("Teléfono particular", "home"), ("Fax", "fax"), ("Telefax", "fax"),
        ("Télécopie", "fax"), ("Faks", "fax"))
_values("web", ("URL", ""), ("Website", ""), ("Web site", ""), ("Web", ""), ("Homepage", ""),
        ("Home page", ""), ("Internetseite", ""), ("Site web", ""), ("Site internet", ""),
        ("Strona www", ""), ("Strona internetowa", ""), ("Sitio web", ""), ("Página web", ""),
        ("LinkedIn", "LinkedIn"))
_address("address", "",
         street=("Address", "Street", "Postal address", "Adresse", "Anschrift", "Straße",
                 "Rue", "Adres", "Ulica", "Dirección", "Calle"),
         postcode=("Postcode", "Postal code", "Zip", "Zip code", "PLZ", "Postleitzahl",
                   "Code postal", "Kod pocztowy", "Código postal"),
         region=("State", "Region", "Province", "Bundesland", "Województwo", "Provincia"))

# Google: "<kind> <n> - <part>", the kind and part as Google names them.
_GOOGLE = re.compile(r"^(e mail|phone|address|website) (\d+) (type|label|value|formatted|street|"
                     r"city|po box|region|postal code|country|extended address)$")
_GOOGLE_KINDS = {"e mail": "email", "phone": "phone", "address": "address", "website": "web"}
_GOOGLE_PARTS = {"type": "type", "label": "type", "value": "value", "formatted": "value",
                 "street": "street", "po box": "street", "extended address": "street",
                 "city": "city", "region": "region", "postal code": "postcode",
                 "country": "country"}

# A type or label cell, folded -> the label kept. Anything else is kept as written.
_LABEL_WORDS = {
    "work": ("work", "business", "office", "job", "geschaftlich", "dienstlich", "arbeit",
             "bureau", "travail", "professionnel", "praca", "sluzbowy", "trabajo", "oficina"),
    "home": ("home", "personal", "private", "privat", "domicile", "personnel", "prive",
             "dom", "domowy", "prywatny", "casa", "particular"),
    "mobile": ("mobile", "cell", "cellular", "mobil", "handy", "portable", "komorka",
               "komorkowy", "movil", "celular"),
    "fax": ("fax", "work fax", "business fax", "telefax", "telecopie", "faks"),
    "home fax": ("home fax",),
    "other fax": ("other fax",),
    "other": ("other", "andere", "sonstige", "weitere", "autre", "inny", "otro"),
    "main": ("main", "primary", "haupttelefon", "principal", "glowny"),
    "pager": ("pager",),
}
_LABELS = {word: label for label, words in _LABEL_WORDS.items() for word in words}


def label_of(text: str) -> tuple[str, bool]:
    """A type or label cell -> (the label, whether it marks the preferred): "* Work" ->
    ("work", True), "Arbeit" -> ("work", False), "Assistant" -> ("Assistant", False)."""
    text = text.strip()
    starred = text.startswith("*")
    text = text.lstrip("*").strip()
    return _LABELS.get(fold(text), text), starred


def detail_columns(headers: Sequence[str]) -> dict[int, DetailColumn]:
    """Column index -> DetailColumn, for the headers that hold a contact's details."""
    keys = [header_key(h) for h in headers]
    linkedin = "connected on" in keys  # LinkedIn's "URL" is the person's profile
    found: dict[int, DetailColumn] = {}
    for index, key in enumerate(keys):
        column = _COLUMNS.get(key)
        # Google's "E-mail 2 - Type" has the dash; Outlook's "E-mail 2 Type" ("SMTP") not.
        google = _GOOGLE.match(key) if " - " in headers[index] else None
        if column is None and google is not None:
            kind, number, part = google.groups()
            column = DetailColumn(f"google {kind} {number}", _GOOGLE_KINDS[kind], "",
                                  _GOOGLE_PARTS[part])
        if column is not None and linkedin and key == "url":
            column = DetailColumn(key, "web", "LinkedIn", "value")
        if column is not None:
            found[index] = column
    return found


def complete(columns: Mapping[int, DetailColumn], fields: Mapping[str, int],
             headers: Sequence[str]) -> dict[int, DetailColumn]:
    """The detail columns with the simple fields' columns that belong among them: an "E-mail"
    or "Phone" column beside the program's others is one of the details too (so the list is
    whole), and "City" and "Country" beside "Street" and "Postcode" complete that address."""
    result = dict(columns)
    for name in ("email", "phone"):
        if name in fields and fields[name] not in result:
            key = header_key(headers[fields[name]])
            result[fields[name]] = DetailColumn(key, name, "", "value")
    if any(c.group == "address" for c in columns.values()):
        for name in ("city", "country"):
            if name in fields and fields[name] not in result:
                result[fields[name]] = DetailColumn("address", "address", "", name)
    return result


@dataclass
class _Group:
    kind: str
    label: str
    preferred: bool
    types: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    parts: dict[str, list[str]] = field(default_factory=dict)


def details_of(cells: Sequence[object], columns: Mapping[int, DetailColumn]) -> list[Detail]:
    """The details a row holds in the detail columns, one per non-empty group (a Google value
    of several, joined by " ::: ", gives several): e-mails, phones, addresses, web pages,
    each kind in column order; duplicates are one."""
    groups: dict[str, _Group] = {}
    for index in sorted(columns):
        column = columns[index]
        group = groups.setdefault(column.group, _Group(column.kind, column.label, False))
        group.preferred = group.preferred or column.preferred
        cell = cells[index] if index < len(cells) else None
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        if column.part == "type":
            group.types = text.split(GOOGLE_SEPARATOR.strip())
        elif column.part == "value":
            group.values.append(text)
        else:
            group.parts.setdefault(column.part, []).append(text)
    found: list[Detail] = []
    for group in groups.values():
        found.extend(_group_details(group))
    found.sort(key=lambda d: KINDS.index(d.kind))
    return _preferred_first_of_kind(_merged(found))


def _group_details(group: _Group) -> list[Detail]:
    labels = [label_of(t) for t in group.types] or [(group.label, False)]
    label, starred = labels[0]
    if group.kind == "address":
        if group.parts:
            parts = [", ".join(group.parts.get(p, ())) for p in ADDRESS_PARTS]
            return [address(parts, label, starred or group.preferred)]
        if group.values:  # Google's "Formatted" alone: its lines, as one line
            value = ", ".join(line.strip() for v in group.values for line in v.splitlines()
                              if line.strip())
            return [Detail("address", value, label, starred or group.preferred)]
        return []
    values = [v.strip() for text in group.values for v in text.split(GOOGLE_SEPARATOR.strip())
              if v.strip()]
    each = len(labels) == len(values) > 1  # "Home ::: Work" beside "a ::: b"
    details = []
    for number, value in enumerate(values):
        if each:
            label, starred = labels[number]
            details.append(Detail(group.kind, value, label, starred))
        else:  # one label for all; the mark is the first one's
            details.append(Detail(group.kind, value, label,
                                  (starred or group.preferred) and number == 0))
    return details


def _same(d: Detail) -> tuple[str, str]:
    value = d.value.casefold() if d.kind in ("email", "web") else d.value
    return d.kind, " ".join(value.split())


def _merged(details: list[Detail]) -> list[Detail]:
    """One detail for each (kind, value): Outlook's "Primary Phone" repeats another number."""
    kept: dict[tuple[str, str], Detail] = {}
    for d in details:
        first = kept.get(_same(d))
        if first is None:
            kept[_same(d)] = d
            continue
        label = first.label if first.label not in ("", "main") else d.label or first.label
        kept[_same(d)] = Detail(first.kind, first.value, label,
                                first.preferred or d.preferred, first.parts)
    return list(kept.values())


def _preferred_first_of_kind(details: list[Detail]) -> list[Detail]:
    """One preferred e-mail and phone: the marked one, else the first (not a fax or pager
    while there is another); addresses and web pages only when marked."""
    chosen: dict[str, int] = {}
    for index, d in enumerate(details):
        if d.preferred and d.kind not in chosen:
            chosen[d.kind] = index
    for kind in ("email", "phone"):
        if kind not in chosen:
            of_kind = [i for i, d in enumerate(details) if d.kind == kind]
            usual = [i for i in of_kind if details[i].label.lower() not in _NOT_PREFERRED]
            if of_kind:
                chosen[kind] = (usual or of_kind)[0]
    return [Detail(d.kind, d.value, d.label, chosen.get(d.kind) == i, d.parts)
            for i, d in enumerate(details)]


# Labels the programs add by themselves, not the person's tags.
_SYSTEM_TAGS = frozenset({"mycontacts", "my contacts", "starred", "system group: my contacts"})


def tags_of(text: str) -> str:
    """A Labels / Group Membership / Categories cell as the tags field holds them (comma
    separated): "* myContacts ::: Partners ::: * starred" -> "Partners", Outlook's
    "Partners;Mayors" -> "Partners, Mayors"."""
    if GOOGLE_SEPARATOR.strip() in text:
        parts = text.split(GOOGLE_SEPARATOR.strip())
    elif ";" in text:
        parts = text.split(";")
    else:
        parts = text.split(",")
    tags: list[str] = []
    for part in parts:
        tag = part.strip().lstrip("*").strip()
        if tag.lower().startswith("system group:"):
            tag = tag.split(":", 1)[1].strip()
        if tag and fold(tag) not in _SYSTEM_TAGS and tag not in tags:
            tags.append(tag)
    return ", ".join(tags)
