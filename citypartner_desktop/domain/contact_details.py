"""A contact's e-mail addresses, phone numbers, postal addresses and web pages, as people keep
them: several of each, each with its type (work, home, mobile, …) and one of a kind preferred.

Stored as one text field (``contacts.details``) in a canonical JSON form, so history, undo,
visit-pack merges and exports treat it like any other field; the contact's ``email`` and
``phone`` columns hold the preferred one of each, for the table, search and mail merge.
Read also in a form people type and spreadsheets hold, one detail per line::

    email (work, preferred): anna.nowak@krakow.pl
    phone (mobile): +48 600 100 200
    address (work): Plac Wszystkich Świętych 3; 31-004; Kraków; Małopolskie; PL
    web: https://www.krakow.pl
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KINDS = ("email", "phone", "address", "web")
KIND_LABELS = {"email": "E-mail", "phone": "Phone", "address": "Address", "web": "Web page"}
# The types other programs use (vCard TYPE, Outlook's column names, Google's "Type" cells).
COMMON_LABELS = ("work", "home", "mobile", "fax", "other")
ADDRESS_PARTS = ("street", "postcode", "city", "region", "country")
MAX_DETAILS = 60
MAX_VALUE = 500


@dataclass(frozen=True, slots=True)
class Detail:
    kind: str  # one of KINDS
    value: str  # an address: its parts joined for reading ("Rynek 1, 31-042 Kraków, PL")
    label: str = ""  # work, home, mobile, fax, other, or the card's own ("Assistant")
    preferred: bool = False
    parts: tuple[str, ...] = ()  # an address: ADDRESS_PARTS, in that order

    def described(self) -> str:
        """``E-mail (work, preferred)`` — the label a form or the detail pane shows."""
        marks = [m for m in (self.label, "preferred" if self.preferred else "") if m]
        return KIND_LABELS[self.kind] + (f" ({', '.join(marks)})" if marks else "")


def address(parts: Sequence[str], label: str = "", preferred: bool = False) -> Detail:
    """An address from its parts (street, postcode, city, region, country); blanks allowed."""
    cleaned = tuple((list(p.strip() for p in parts) + [""] * 5)[:5])
    street, postcode, city, region, country = cleaned
    place = " ".join(p for p in (postcode, city) if p)
    value = ", ".join(p for p in (street, place, region, country) if p)
    return Detail("address", value, label, preferred, cleaned)


def preferred(details: Iterable[Detail], kind: str) -> Detail | None:
    """The preferred detail of a kind, else the first one of it."""
    of_kind = [d for d in details if d.kind == kind]
    return next((d for d in of_kind if d.preferred), of_kind[0] if of_kind else None)


def preferred_address(details: Iterable[Detail]) -> Detail | None:
    """The preferred address, else the first work address, else the first one: where the
    contact is, for the city and country columns."""
    addresses = [d for d in details if d.kind == "address"]
    return (next((d for d in addresses if d.preferred), None)
            or next((d for d in addresses if d.label.lower() == "work"), None)
            or (addresses[0] if addresses else None))


def to_json(details: Sequence[Detail]) -> str:
    """The canonical stored form ("" for none)."""
    if not details:
        return ""
    items = []
    for d in details:
        item: dict[str, object] = {"kind": d.kind, "value": d.value}
        if d.label:
            item["label"] = d.label
        if d.preferred:
            item["preferred"] = True
        if d.parts:
            item["parts"] = list(d.parts)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def to_lines(details: Sequence[Detail]) -> str:
    """The typed form, one line per detail (what a CSV cell or ``citypartner get`` shows)."""
    lines = []
    for d in details:
        marks = [m for m in (d.label, "preferred" if d.preferred else "") if m]
        head = d.kind + (f" ({', '.join(marks)})" if marks else "")
        value = "; ".join(d.parts) if d.kind == "address" and d.parts else d.value
        lines.append(f"{head}: {value}")
    return "\n".join(lines)


_LINE = re.compile(r"^\s*(?P<kind>[A-Za-z-]+)\s*(?:\((?P<marks>[^)]*)\))?\s*:\s*(?P<value>.*)$")
_KIND_WORDS = {"email": "email", "e-mail": "email", "mail": "email", "phone": "phone",
               "tel": "phone", "telephone": "phone", "address": "address", "adr": "address",
               "web": "web", "url": "web", "website": "web"}


def parse(raw: object) -> list[Detail]:
    """Details from a list of Details (or dicts), the JSON form or the typed form.

    Raises ValueError with the line or item at fault. One preferred detail per kind is kept:
    when several are marked, the first; when none is, none (``preferred()`` takes the first).
    """
    if raw is None:
        return []
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return []
        items: list[Detail] = (_from_items(_json_items(text)) if text.startswith("[")
                               else _from_lines(text))
    elif isinstance(raw, Detail):
        items = [raw]
    elif isinstance(raw, Iterable):
        items = _from_items(list(raw))
    else:
        raise ValueError("must be a list of e-mail addresses, phone numbers, addresses and "
                         "web pages")
    if len(items) > MAX_DETAILS:
        raise ValueError(f"holds {len(items)} details; at most {MAX_DETAILS} are allowed")
    return _one_preferred_each(items)


def normalise(raw: object) -> str:
    """The stored form of anything ``parse`` reads."""
    return to_json(parse(raw))


def _json_items(text: str) -> list[object]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not a readable list of details ({exc.msg})") from None
    if not isinstance(loaded, list):
        raise ValueError("must be a list of details")
    return loaded


def _from_items(items: list[object]) -> list[Detail]:
    result = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, Detail):
            result.append(_checked(item, f"detail {number}"))
            continue
        if not isinstance(item, dict):
            raise ValueError(f"detail {number} is not a detail (kind and value)")
        kind = _kind(str(item.get("kind", "")), f"detail {number}")
        parts = item.get("parts") or ()
        if not isinstance(parts, list | tuple):
            raise ValueError(f"detail {number}: the address parts must be a list")
        label = str(item.get("label") or "").strip()
        pref = bool(item.get("preferred"))
        if kind == "address" and parts:
            detail = address([str(p) for p in parts], label, pref)
        else:
            detail = Detail(kind, str(item.get("value") or "").strip(), label, pref)
        result.append(_checked(detail, f"detail {number}"))
    return result


def _from_lines(text: str) -> list[Detail]:
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f'line {number} ("{line.strip()[:60]}") should look like '
                             '"email (work): name@example.org"')
        kind = _kind(match["kind"], f"line {number}")
        marks = [m.strip() for m in (match["marks"] or "").split(",") if m.strip()]
        pref = any(m.lower() in ("preferred", "pref") for m in marks)
        label = ", ".join(m for m in marks if m.lower() not in ("preferred", "pref"))
        value = match["value"].strip()
        if kind == "address" and ";" in value:
            detail = address(value.split(";"), label, pref)
        else:
            detail = Detail(kind, value, label, pref)
        result.append(_checked(detail, f"line {number}"))
    return result


def _kind(word: str, where: str) -> str:
    kind = _KIND_WORDS.get(word.strip().lower())
    if kind is None:
        raise ValueError(f'{where}: "{word}" is not a kind of detail; use email, phone, '
                         "address or web")
    return kind


def _checked(detail: Detail, where: str) -> Detail:
    if detail.kind not in KINDS:
        raise ValueError(f'{where}: "{detail.kind}" is not a kind of detail')
    if not detail.value:
        raise ValueError(f"{where}: the {KIND_LABELS[detail.kind].lower()} is empty")
    if len(detail.value) > MAX_VALUE or len(detail.label) > 100:
        raise ValueError(f"{where} is longer than {MAX_VALUE} characters")
    return detail


def _one_preferred_each(items: list[Detail]) -> list[Detail]:
    seen: set[str] = set()
    result = []
    for d in items:
        if d.preferred and d.kind in seen:
            d = Detail(d.kind, d.value, d.label, False, d.parts)
        elif d.preferred:
            seen.add(d.kind)
        result.append(d)
    return result
