"""Contacts in the CSV columns Outlook and Google Contacts import, so that a contact list from
CityPartner goes into the address book of the office's mail program.

``export_headers(vendor)`` is the header line and ``export_row(vendor, contact, details)`` one
contact's cells, for vendor "outlook" (the English columns Outlook.com and the new Outlook
export, and "Categories"; desktop Outlook's "Import and Export" maps them all by itself) or
"google" (Google Contacts' columns since 2024: "E-mail 1 - Label", "E-mail 1 - Value", …).
Write them comma separated, in UTF-8 with a byte-order mark: both programs read it, and a
Polish or Czech name does not fit the Windows-1252 code page.

The contact mapping has the keys full_name, first_name, last_name, title, position,
organisation, department, email, phone, notes, tags (comma separated), city and country (an
ISO code; written as the English name). Without details, the contact's e-mail and phone are
its details; without an address, its city and country are written as the work address.

What a program cannot hold is not dropped: Outlook keeps three e-mail addresses (without a
type), one business, one home and one other address, two web pages and one number of each
kind of phone (two business and home ones); Google as many as its columns here (3 e-mails,
4 phones, 2 addresses, 2 web pages). A detail beyond those is written in the notes, one line
each, as ``contact_details.to_lines`` writes it (which CityPartner reads back). Outlook's
mark of the preferred phone is its "Primary Phone" (the number is in its own column too);
Google's the "* " before the label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pycountry

from citypartner_desktop.domain.contact_details import Detail, address, to_lines

VENDORS = ("outlook", "google")

OUTLOOK_HEADERS = (
    "First Name", "Middle Name", "Last Name", "Title", "Suffix", "Nickname", "Given Yomi",
    "Surname Yomi", "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Home Phone",
    "Home Phone 2", "Business Phone", "Business Phone 2", "Mobile Phone", "Car Phone",
    "Other Phone", "Primary Phone", "Pager", "Business Fax", "Home Fax", "Other Fax",
    "Company Main Phone", "Callback", "Radio Phone", "Telex", "TTY/TDD Phone", "IMAddress",
    "Job Title", "Department", "Company", "Office Location", "Manager's Name",
    "Assistant's Name", "Assistant's Phone", "Company Yomi", "Business Street",
    "Business City", "Business State", "Business Postal Code", "Business Country/Region",
    "Home Street", "Home City", "Home State", "Home Postal Code", "Home Country/Region",
    "Other Street", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
    "Personal Web Page", "Spouse", "Schools", "Hobby", "Location", "Web Page", "Birthday",
    "Anniversary", "Notes", "Categories")
_OUTLOOK_PHONES = {
    "work": ("Business Phone", "Business Phone 2"), "home": ("Home Phone", "Home Phone 2"),
    "mobile": ("Mobile Phone",), "fax": ("Business Fax",), "home fax": ("Home Fax",),
    "other fax": ("Other Fax",), "other": ("Other Phone",), "main": ("Primary Phone",),
    "assistant": ("Assistant's Phone",), "car": ("Car Phone",),
    "company": ("Company Main Phone",), "pager": ("Pager",), "callback": ("Callback",),
    "radio": ("Radio Phone",), "tty": ("TTY/TDD Phone",), "telex": ("Telex",)}
_OUTLOOK_SPARE_PHONES = ("Other Phone", "Business Phone 2", "Home Phone 2", "Car Phone",
                         "Callback", "Radio Phone")
_OUTLOOK_ADDRESSES = {"work": "Business", "home": "Home", "other": "Other"}
_OUTLOOK_WEB = {"": "Web Page", "work": "Web Page", "home": "Personal Web Page"}

_GOOGLE_NAMES = (
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
    "Photo", "Labels")
_GOOGLE_SLOTS = {"email": ("E-mail", 3), "phone": ("Phone", 4), "address": ("Address", 2),
                 "web": ("Website", 2)}
_GOOGLE_ADDRESS = ("Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country",
                   "Extended Address")
# Our labels as Google's own types; any other label is written as it is.
_GOOGLE_LABELS = {"work": "Work", "home": "Home", "mobile": "Mobile", "fax": "Work Fax",
                  "home fax": "Home Fax", "other": "Other", "main": "Main", "pager": "Pager"}


def export_headers(vendor: str) -> list[str]:
    """The header line the vendor's contacts import reads."""
    if _vendor(vendor) == "outlook":
        return list(OUTLOOK_HEADERS)
    headers = list(_GOOGLE_NAMES)
    for kind, (name, count) in _GOOGLE_SLOTS.items():
        for n in range(1, count + 1):
            parts = _GOOGLE_ADDRESS if kind == "address" else ("Value",)
            headers += [f"{name} {n} - {part}" for part in ("Label", *parts)]
    return headers


def export_row(vendor: str, contact: Mapping[str, Any], details: Sequence[Detail]
               ) -> list[str]:
    """One contact's cells, in the order of ``export_headers(vendor)``."""
    vendor = _vendor(vendor)
    text = {k: str(v).strip() for k, v in contact.items() if v is not None}
    first, middle, last = _names(text)
    tags = [t.strip() for t in text.get("tags", "").split(",") if t.strip()]
    every = _with_contact_details(text, details)
    if vendor == "outlook":
        cells, left = _outlook(every)
        cells.update({"First Name": first, "Middle Name": middle, "Last Name": last,
                      "Title": text.get("title", ""), "Job Title": text.get("position", ""),
                      "Company": text.get("organisation", ""),
                      "Department": text.get("department", ""), "Categories": ";".join(tags)})
    else:
        cells, left = _google(every)
        cells.update({"First Name": first, "Middle Name": middle, "Last Name": last,
                      "Name Prefix": text.get("title", ""),
                      "Organization Title": text.get("position", ""),
                      "Organization Name": text.get("organisation", ""),
                      "Organization Department": text.get("department", ""),
                      "Labels": " ::: ".join([*tags, "* myContacts"])})
    cells["Notes"] = "\n".join(p for p in (text.get("notes", ""), to_lines(left)) if p)
    return [cells.get(h, "") for h in export_headers(vendor)]


def _vendor(vendor: str) -> str:
    if vendor not in VENDORS:
        raise ValueError(f'"{vendor}" is not a program to export contacts for; choose one of: '
                         f'{", ".join(VENDORS)}')
    return vendor


def _names(text: Mapping[str, str]) -> tuple[str, str, str]:
    """First, middle and last name; from the full name when the contact has no parts."""
    first, last = text.get("first_name", ""), text.get("last_name", "")
    full = text.get("full_name", "")
    if not first and not last:
        words = full.split()
        return (" ".join(words[:-1]), "", words[-1]) if len(words) > 1 else (full, "", "")
    middle = ""
    if first and last and full.startswith(first + " ") and full.endswith(" " + last):
        middle = full[len(first):len(full) - len(last)].strip()
    return first, middle, last


def country_name(code: str) -> str:
    """An ISO code's English name ("PL" -> "Poland"); anything else as it is."""
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def _with_contact_details(text: Mapping[str, str], details: Sequence[Detail]) -> list[Detail]:
    """The details, the preferred of each kind first; the contact's own e-mail, phone, city
    and country when the details lack them."""
    every = list(details)
    for kind in ("email", "phone"):
        value = text.get(kind, "")
        if value and not any(d.kind == kind and d.value == value for d in every):
            every.append(Detail(kind, value, "", not any(d.kind == kind for d in every)))
    if not any(d.kind == "address" for d in every) and (text.get("city") or
                                                        text.get("country")):
        every.append(address(["", "", text.get("city", ""), "", text.get("country", "")],
                             "work"))
    every = [address([*d.parts[:4], country_name(d.parts[4])], d.label, d.preferred)
             if d.kind == "address" and d.parts else d for d in every]
    return sorted(every, key=lambda d: not d.preferred)


def _outlook(details: list[Detail]) -> tuple[dict[str, str], list[Detail]]:
    cells: dict[str, str] = {}
    left: list[Detail] = []

    def place(detail: Detail, *columns: str) -> bool:
        free = next((c for c in columns if c not in cells), None)
        if free is not None:
            cells[free] = detail.value
        return free is not None

    for d in details:
        if d.kind == "email":
            placed = place(d, "E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
        elif d.kind == "phone":
            if d.preferred and "Primary Phone" not in cells:
                cells["Primary Phone"] = d.value
                if d.label.lower() == "main":
                    continue
            placed = place(d, *_OUTLOOK_PHONES.get(d.label.lower(), ()),
                           *_OUTLOOK_SPARE_PHONES)
        elif d.kind == "web":
            placed = place(d, *(c for c in (_OUTLOOK_WEB.get(d.label.lower()),) if c),
                           "Web Page", "Personal Web Page")
        else:
            where = _OUTLOOK_ADDRESSES.get(d.label.lower())
            free = [w for w in (where, *_OUTLOOK_ADDRESSES.values())
                    if w and f"{w} Street" not in cells]
            placed = bool(free)
            if free:
                street, postcode, city, region, country = d.parts or (d.value, "", "", "", "")
                cells.update({f"{free[0]} Street": street, f"{free[0]} City": city,
                              f"{free[0]} State": region, f"{free[0]} Postal Code": postcode,
                              f"{free[0]} Country/Region": country})
        if not placed:
            left.append(d)
    return cells, left


def _google(details: list[Detail]) -> tuple[dict[str, str], list[Detail]]:
    cells: dict[str, str] = {}
    left: list[Detail] = []
    used = dict.fromkeys(_GOOGLE_SLOTS, 0)
    for d in details:
        name, count = _GOOGLE_SLOTS[d.kind]
        if used[d.kind] == count:
            left.append(d)
            continue
        used[d.kind] += 1
        slot = f"{name} {used[d.kind]} - "
        label = _GOOGLE_LABELS.get(d.label.lower(), d.label)
        cells[slot + "Label"] = f"* {label}" if d.preferred else label
        if d.kind != "address":
            cells[slot + "Value"] = d.value
            continue
        street, postcode, city, region, country = d.parts or (d.value, "", "", "", "")
        place = " ".join(p for p in (postcode, city) if p)
        cells.update({slot + "Formatted": "\n".join(p for p in (street, place, region, country)
                                                    if p),
                      slot + "Street": street, slot + "City": city, slot + "Region": region,
                      slot + "Postal Code": postcode, slot + "Country": country})
    return cells, left
