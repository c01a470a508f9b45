"""A record's history: every change to it (field, old → new, when, who), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import NotFoundError
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.repositories import records as records_repo

MAX_ENTRIES = 5000


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime  # UTC
    who: str
    field: str  # the field's label, or "Record" for created / deleted / restored
    old: str
    new: str


def _describe(kind: str, field: str, old: str | None, new: str | None) -> tuple[str, str, str]:
    if field == "*":
        return "Record", "", new or ""
    if field == "deleted_at":
        return "Record", "", "deleted" if new else "restored"
    if field in ("merged_into", "merged_from"):  # services.duplicates.merge
        what = "merged into" if field == "merged_into" else "merged with (and took the links of)"
        return "Record", "", f"{what} the record {new}"
    try:
        label = spec_for(kind).field(field).label
    except KeyError:
        label = field
    return label, old or "", new or ""


def history(uow: UnitOfWork, kind: str, record_id: str) -> list[HistoryEntry]:
    with uow:
        if records_repo.get(uow.session, kind, record_id) is None:
            raise NotFoundError(f"No {spec_for(kind).label.lower()} with id {record_id}.")
        rows = changes_repo.of_record(uow.session, kind, record_id, MAX_ENTRIES)
    entries = []
    for field, old, new, when, who in rows:
        label, old_text, new_text = _describe(kind, field, old, new)
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        entries.append(HistoryEntry(aware, who, label, old_text, new_text))
    return entries
