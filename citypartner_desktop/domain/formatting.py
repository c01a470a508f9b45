"""How stored values read on screen and on paper (one place, so tables and reports agree)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.specs import FieldKind, FieldSpec
from citypartner_desktop.domain.validation import format_phone
from citypartner_desktop.domain.vocab import label_of


def display(spec: FieldSpec, value: Any) -> str:
    if value is None or value == "":
        return ""
    kind = spec.kind
    if kind is FieldKind.CHOICE:
        return label_of(spec.vocab, value)
    if kind is FieldKind.MULTICHOICE:
        items: Iterable[str] = json.loads(value) if isinstance(value, str) else value
        return ", ".join(label_of(spec.vocab, v) for v in items)
    if kind is FieldKind.BOOL:
        return "Yes" if value else "No"
    if kind is FieldKind.PHONE:
        return format_phone(value)
    if kind is FieldKind.DETAILS:
        return details_text(value)
    if kind is FieldKind.INT and isinstance(value, int) and spec.name == "population":
        return f"{value:,}".replace(",", "\u202f")  # thin space: readable in any locale
    if kind is FieldKind.FLOAT and isinstance(value, float):
        if spec.name in ("latitude", "longitude"):
            return f"{value:.6g}"
        return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def audit_text(value: Any) -> str | None:
    """A value as stored in the audit trail."""
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def details_text(value: Any) -> str:
    """A contact's details, one per line: "E-mail (work, preferred): anna@krakow.pl"."""
    try:
        details = contact_details.parse(value)
    except ValueError:
        return str(value)
    return "\n".join(f"{d.described()}: "
                     f"{format_phone(d.value) if d.kind == 'phone' else d.value}"
                     for d in details)
