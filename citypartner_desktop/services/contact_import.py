"""What an imported contact row becomes: its details (every e-mail, phone, address and web page
of the card or the vendor's columns), the preferred ones for the contact's own columns, and
the changes a card seen before (same UID) brings to the contact it became.

Nothing here refuses a person for a detail: a phone number that cannot be read stays as
written, an e-mail that is not an address stays among the details with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.contact_details import Detail
from citypartner_desktop.domain.formatting import audit_text
from citypartner_desktop.domain.validation import parse_email, parse_phone

# Import field -> contact column, where the names differ.
FIELD_COLUMNS = {"first_name": "given_name", "last_name": "family_name"}
# The columns a card seen before may change (identity and data-protection facts stay).
UPDATABLE = ("full_name", "title", "given_name", "family_name", "position", "organisation",
             "department", "city_id", "email", "phone", "details", "languages", "tags", "notes")


@dataclass(frozen=True)
class DetailsRead:
    details: list[Detail]
    email: str | None  # the preferred e-mail, checked
    phone: str | None  # the preferred phone, E.164
    warnings: tuple[str, ...]


def read_details(raw: object, region: str | None) -> DetailsRead:
    """The details of a row (a list of Detail, or their JSON or typed form). Phone numbers
    are stored in E.164 when they can be read (in ``region`` when they have no country code)
    and as written otherwise (an extension is kept as written)."""
    details = contact_details.parse(raw)
    warnings: list[str] = []
    stored: list[Detail] = []
    for d in details:
        if d.kind == "phone" and not _has_extension(d.value):
            try:
                d = Detail(d.kind, parse_phone(d.value, region), d.label, d.preferred, d.parts)
            except ValueError:
                warnings.append(f'phone "{d.value}" could not be read; it is kept as written')
        stored.append(d)
    email = phone = None
    if (first := contact_details.preferred(stored, "email")) is not None:
        try:
            email = parse_email(first.value)
        except ValueError as exc:
            warnings.append(f"e-mail {exc}; it is kept among the details only")
    if (first := contact_details.preferred(stored, "phone")) is not None:
        try:
            phone = parse_phone(_EXTENSION.split(first.value)[0], region)
        except ValueError:
            phone = None
    return DetailsRead(stored, email, phone, tuple(warnings))


_EXTENSION = re.compile(r";ext=|\bext\.?\s*\d|\bx\s*\d+$|#\s*\d+$", re.IGNORECASE)


def _has_extension(value: str) -> bool:
    return _EXTENSION.search(value) is not None


def changes(stored: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """column -> (old, new) for the columns a card seen before gives a different value for;
    a blank on the card leaves the stored value alone (a card may hold less than we do)."""
    result = {}
    for name in UPDATABLE:
        new = given.get(name)
        if new in (None, "", [], ()):
            continue
        if name == "details" and _adds_nothing(stored, new):
            continue
        old = stored.get(name)
        if audit_text(old) != audit_text(new):
            result[name] = (old, new)
    return result


def _adds_nothing(stored: Mapping[str, Any], new: Any) -> bool:
    """Whether a card's details are only what the contact holds already: its e-mail and
    phone, its details, an address that is no more than its city (as this app's own vCards
    write a contact without details)."""
    known = {(d.kind, d.value.casefold()) for d in contact_details.parse(stored.get("details"))}
    known |= {("email", str(stored.get("email") or "").casefold()),
              ("phone", str(stored.get("phone") or "").casefold())}
    for d in contact_details.parse(new):
        city_only = d.kind == "address" and len(d.parts) == 5 and not any(
            d.parts[i] for i in (0, 1, 3))
        if not city_only and (d.kind, d.value.casefold()) not in known:
            return False
    return True
