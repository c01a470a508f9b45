"""Contacts as vCard 4.0 (RFC 6350), one file with many cards, and back.

Written: FN (full name), N (only the honorific title, as its prefix), TITLE (position), ORG,
EMAIL, TEL (as a tel: URI), LANG (one per language), ADR (the city's name and country code as
locality and country), NOTE, UID (the contact's id), REV. Read: the same, plus what other
programs write (N without FN, several EMAIL/TEL: the preferred or first one), as rows for the
contacts importer, so a .vcf file goes through the same preview, matching and checks as a
spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.source_table import FileRefused, SourceRow, SourceTable
from citypartner_desktop.interop.textformats import (
    escape,
    fold,
    split_escaped,
    split_property,
    unescape,
    unfolded_lines,
)

# The columns a card becomes (names the contacts import matches by themselves).
COLUMNS = ("full_name", "title", "position", "organisation", "email", "phone", "languages",
           "city", "country", "notes")


def card(values: Mapping[str, Any], uid: str | None = None, rev: str | None = None) -> str:
    """One vCard for a contact's values (keys as in COLUMNS; blanks are left out)."""
    def text(key: str) -> str:  # a value of control characters only is no value
        value = values.get(key)
        return "" if value is None else printable(str(value))

    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if uid:
        lines.append(f"UID:urn:uuid:{uid}")
    lines.append(f"FN:{escape(text('full_name'))}")
    if text("title"):
        lines.append(f"N:;;;{escape(text('title'))};")
    if text("position"):
        lines.append(f"TITLE:{escape(text('position'))}")
    if text("organisation"):
        lines.append(f"ORG:{escape(text('organisation'))}")
    if text("email"):
        lines.append(f"EMAIL:{escape(text('email'))}")
    if text("phone"):
        lines.append(f"TEL;VALUE=uri:tel:{text('phone')}")
    for index, language in enumerate(part.strip() for part in text("languages").split(",")):
        if language:
            lines.append(f"LANG;PREF={index + 1}:{escape(language)}")
    if text("city") or text("country"):
        lines.append(f"ADR;TYPE=work:;;;{escape(text('city'))};;;{escape(text('country'))}")
    if text("notes"):
        lines.append(f"NOTE:{escape(text('notes'))}")
    if rev:
        lines.append(f"REV:{rev}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


@dataclass
class _Card:
    line: int
    values: dict[str, str] = field(default_factory=dict)
    languages: list[tuple[int, str]] = field(default_factory=list)
    email_pref: int = 1_000
    phone_pref: int = 1_000


def _pref(params: Mapping[str, str]) -> int:
    if "pref" in params.get("TYPE", "").lower().split(","):
        return 0
    try:
        return int(params.get("PREF", "100"))
    except ValueError:
        return 100


def parse_cards(text: str, name: str = "cards.vcf") -> list[tuple[int, dict[str, str]]]:
    """(line of BEGIN:VCARD, values keyed as COLUMNS) for each card."""
    cards: list[_Card] = []
    current: _Card | None = None
    for line_no, line in unfolded_lines(text):
        if not line.strip():
            continue
        prop, params, raw = split_property(line)
        if prop == "BEGIN" and raw.upper() == "VCARD":
            if current is not None:
                raise FileRefused(f"{name} line {line_no}: a card begins before the card of "
                                  f"line {current.line} has ended (END:VCARD is missing).")
            current = _Card(line_no)
            continue
        if current is None:
            raise FileRefused(f"{name} line {line_no}: this is outside any card "
                              "(BEGIN:VCARD … END:VCARD).")
        if prop == "END" and raw.upper() == "VCARD":
            cards.append(current)
            current = None
            continue
        _read_property(current, prop, params, raw)
    if current is not None:
        raise FileRefused(f"{name}: the card of line {current.line} never ends "
                          "(END:VCARD is missing).")
    result = []
    for parsed in cards:
        if parsed.languages:
            parsed.values["languages"] = ", ".join(lang for _p, lang in sorted(parsed.languages))
        result.append((parsed.line, parsed.values))
    return result


def _read_property(target: _Card, prop: str, params: Mapping[str, str], raw: str) -> None:
    values = target.values
    if prop == "FN":
        values["full_name"] = unescape(raw)
    elif prop == "N":
        parts = [unescape(p) for p in split_escaped(raw, ";")] + [""] * 5
        family, given, _middle, prefix, _suffix = parts[:5]
        if prefix:
            values["title"] = prefix
        if "full_name" not in values and (given or family):
            values.setdefault("n_name", " ".join(p for p in (given, family) if p))
    elif prop == "TITLE":
        values["position"] = unescape(raw)
    elif prop == "ORG":
        values["organisation"] = unescape(split_escaped(raw, ";")[0])
    elif prop == "EMAIL":
        if _pref(params) < target.email_pref:
            target.email_pref = _pref(params)
            values["email"] = unescape(raw)
    elif prop == "TEL":
        if _pref(params) < target.phone_pref:
            target.phone_pref = _pref(params)
            number = unescape(raw)
            values["phone"] = number[4:] if number.lower().startswith("tel:") else number
    elif prop == "LANG":
        target.languages.append((_pref(params), unescape(raw)))
    elif prop == "ADR":
        parts = [unescape(p) for p in split_escaped(raw, ";")] + [""] * 7
        if parts[3]:
            values["city"] = parts[3]
        if parts[6]:
            values["country"] = parts[6]
    elif prop == "NOTE":
        values["notes"] = unescape(raw)


def read_vcards(data: bytes, name: str) -> SourceTable:
    """A .vcf file as a table with the COLUMNS headers, one row per card."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(f"{name} is not UTF-8 text; vCard 4.0 files always are.") from None
    cards = parse_cards(text, name)
    if not cards:
        raise FileRefused(f"{name} holds no vCard (BEGIN:VCARD … END:VCARD).")
    rows = []
    for line, values in cards:
        if "full_name" not in values and "n_name" in values:
            values["full_name"] = values["n_name"]
        rows.append(SourceRow(line, tuple(values.get(c, "") for c in COLUMNS)))
    return SourceTable(name, COLUMNS, tuple(rows), "UTF-8", None)


def cards_text(contacts: Iterable[tuple[str | None, Mapping[str, Any], str | None]]) -> str:
    return "".join(card(values, uid, rev) for uid, values, rev in contacts)
