"""Contacts written as vCards: 4.0 (RFC 6350) with every detail, or 3.0 for programs that read
nothing newer (older Outlook and Android).

Each e-mail, phone, address and web page of the contact's details is written with its TYPE
(work, home, cell, fax) and ``PREF=1`` on the preferred one of its kind; another label (a
card's own, "other") is written Apple-style as ``itemN.X-ABLabel``. A number in international
form is a ``tel:`` URI (its extension as ``;ext=``); any other is text. Without details, the
contact's e-mail, phone and city and country are written. The UID is the card's own when the
contact came from one (so the address book it came from recognises it), else the contact's id.
Text is escaped and folded as RFC 6350 says (``interop.textformats``), control characters as
the line breaks they mean (``interop.cells.printable``). ``interop.vcard`` reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.textformats import escape, fold
from citypartner_desktop.interop.vcard import built_name, is_family_first

VERSIONS = ("4.0", "3.0")


def card(values: Mapping[str, Any], uid: str | None = None, rev: str | None = None, *,
         version: str = "4.0") -> str:
    """One vCard for a contact's values (keys as in COLUMNS; blanks are left out).

    ``details`` is the stored JSON text or a list of Detail; without details of a kind, the
    single ``email``, ``phone`` and ``city``/``country`` values are written instead. The UID is
    the card's own (``card_uid``, the one the contact came with) when known, else the
    contact's id as ``urn:uuid:``. Version "3.0" is for programs that read nothing newer
    (older Outlook and Android): no LANG, TYPE=pref, phones as text.
    """
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: write 4.0 or 3.0")
    v4 = version == "4.0"

    def text(*keys: str) -> str:  # a value of control characters only is no value
        for key in keys:
            value = values.get(key)
            if value is not None and printable(str(value)):
                return printable(str(value))
        return ""

    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    card_uid = text("card_uid").strip()
    if card_uid:
        lines.append(f"UID:{_uid_value(card_uid)}")
    elif uid:
        lines.append(f"UID:urn:uuid:{uid}")
    first = text("first_name", "given_name").strip()
    last = text("last_name", "family_name").strip()
    title = text("title").strip()
    full = text("full_name")
    if not full.strip() and (first or last):
        full = built_name(last, first, "", "", is_family_first(last, first, ()))
    lines.append(f"FN:{escape(full)}")
    if first or last or title:
        lines.append(f"N:{escape(last)};{escape(first)};;{escape(title)};")
    elif not v4:  # N is required in 3.0; programs that sort by it find the whole name
        lines.append(f"N:;{escape(full)};;;")
    if text("position"):
        lines.append(f"TITLE:{escape(text('position'))}")
    if text("organisation") or text("department"):
        department = text("department")
        lines.append(f"ORG:{escape(text('organisation'))}"
                     + (f";{escape(department)}" if department else ""))
    lines.extend(_detail_lines(_written_details(values, text), v4))
    if v4:
        for index, language in enumerate(p.strip() for p in text("languages").split(",")):
            if language:
                lines.append(f"LANG;PREF={index + 1}:{escape(language)}")
    tags = values.get("tags")
    tag_list = ([printable(str(t)) for t in tags] if isinstance(tags, list | tuple)
                else text("tags").split(","))
    tag_list = [t.strip() for t in tag_list if t.strip()]
    if tag_list:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in tag_list))
    if text("notes"):
        lines.append(f"NOTE:{escape(text('notes'))}")
    if rev:
        lines.append(f"REV:{rev}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def card_30(values: Mapping[str, Any], uid: str | None = None, rev: str | None = None) -> str:
    """A vCard 3.0 (for Outlook and older Android, which read no 4.0)."""
    return card(values, uid, rev, version="3.0")


def cards_text(contacts: Iterable[tuple[str | None, Mapping[str, Any], str | None]], *,
               version: str = "4.0") -> str:
    return "".join(card(values, uid, rev, version=version) for uid, values, rev in contacts)


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _uid_value(card_uid: str) -> str:
    return f"urn:uuid:{card_uid}" if _UUID.fullmatch(card_uid) else escape(card_uid)


def _written_details(values: Mapping[str, Any], text: Callable[..., str]) -> list[Detail]:
    """The details to write, in kind order: the stored ones, or the single values."""
    try:
        details = contact_details.parse(values.get("details"))
    except ValueError:  # stored values are checked; a broken one is no reason to fail
        details = []
    fallback = {
        "email": [Detail("email", text("email").strip())] if text("email").strip() else [],
        "phone": [Detail("phone", text("phone").strip())] if text("phone").strip() else [],
        "address": ([address(["", "", text("city"), "", text("country")], "work")]
                    if text("city").strip() or text("country").strip() else []),
        "web": [],
    }
    result: list[Detail] = []
    for kind in contact_details.KINDS:
        of_kind = [d for d in details if d.kind == kind]
        result.extend(of_kind or fallback[kind])
    return result


# The labels written as a TYPE; any other is written Apple's way (group + X-ABLabel), which
# Apple's and Google's contacts and this reader understand.
_LABEL_TYPES = {"work": "work", "home": "home"}
_TEL_TYPES = {"mobile": "cell", "fax": "fax"}


def _detail_lines(details: Sequence[Detail], v4: bool) -> Iterator[str]:
    group = 0
    for d in details:
        value = printable(d.value).strip()
        if d.kind == "address":
            parts = [printable(p).strip() for p in d.parts] if d.parts else [value]
            parts = (parts + [""] * 5)[:5]
            if not any(parts):
                continue
        elif not value:
            continue
        name = {"email": "EMAIL", "phone": "TEL", "address": "ADR", "web": "URL"}[d.kind]
        kind_type = (_TEL_TYPES.get(d.label) if d.kind == "phone" else None) \
            or _LABEL_TYPES.get(d.label)
        types = [kind_type] if kind_type else []
        custom = "" if kind_type or not d.label else d.label
        params, uri = [], None
        if not v4:
            types = [t.upper() for t in types]
            if d.kind == "email":
                types.insert(0, "INTERNET")
            if d.preferred:
                types.append("PREF")
        if d.kind == "phone" and v4:
            uri = _tel_uri(value)
            if uri:
                params.append("VALUE=uri")
        if types:
            params.append("TYPE=" + ",".join(types))
        if d.preferred and v4:
            params.append("PREF=1")
        if d.kind == "address":
            street, postcode, city, region, country = parts
            written = ";".join(escape(p) for p in ("", "", street, city, region, postcode,
                                                   country))
        elif uri:
            written = uri
        else:
            written = escape(value)
        head = name + "".join(f";{p}" for p in params)
        if custom:
            group += 1
            label = "_$!<Other>!$_" if custom == "other" else escape(printable(custom))
            yield f"item{group}.{head}:{written}"
            yield f"item{group}.X-ABLabel:{label}"
        else:
            yield f"{head}:{written}"


# A phone number as people write it: +, digits and separators, maybe an extension.
_PHONE = re.compile(r"\+[\d\s().\-/]+(?:(?:;ext=|\s*(?:ext\.?|x|#)\s*)\d+)?", re.I)


def _tel_uri(number: str) -> str | None:
    """``tel:+4930123456;ext=56`` for an international number, None for anything else."""
    if not _PHONE.fullmatch(number):
        return None
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{e164}" + (f";ext={parsed.extension}" if parsed.extension else "")
