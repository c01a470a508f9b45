"""Packs with minimal contacts (data minimisation for a laptop taken on a trip): the contacts'
names, title, position, organisation, city and legal basis go along — the traveller needs to
know who they meet — but not how to reach them, the notes about them, their languages, the
other data-protection facts (source, consent, review and withdrawal dates), their own
attachments, nor the history entries that hold those values.

The pack's base copy is made from the minimal rows, so the merge back sees the left-out fields
unchanged on the visit and keeps the office's values."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.domain.text import search_key
from citypartner_desktop.repositories import packs as repo

CONTACTS = "contacts"
CONTACT = "contact"  # the record kind of a contact (attachments' owner, history entries)
ATTACHMENT = "attachment"
# Contact columns left out of a minimal pack (the legal basis stays: it says why the office
# may hold the name at all).
LEFT_OUT: tuple[str, ...] = ("email", "phone", "details", "notes", "languages", "data_source",
                             "consent_date", "review_date", "consent_withdrawn_on")
SCOPE_KEY = "minimal_contacts"  # in pack_info.scope


def contact_search_key(row: Mapping[str, Any]) -> str:
    """A contact's search key from the columns it has (as the record service makes it)."""
    return search_key(*(str(row.get(name) or "") for name in spec_for(CONTACT).search_fields))


def minimise_rows(rows: MutableMapping[str, list[dict[str, Any]]]) -> None:
    """Rows read from the office (table -> rows), made minimal in place."""
    for row in rows.get(CONTACTS, []):
        for name in LEFT_OUT:
            row[name] = None
        row["search_key"] = contact_search_key(row)  # it held the e-mail address
    attachments = rows.get("attachments", [])
    dropped = {str(a["id"]) for a in attachments if a["owner_kind"] == CONTACT}
    rows["attachments"] = [a for a in attachments if str(a["id"]) not in dropped]
    rows["changes"] = [h for h in rows.get("changes", []) if not _private_history(
        str(h["record_kind"]), str(h["record_id"]), str(h["field"]), dropped)]


def _private_history(kind: str, record_id: str, field: str, dropped: set[str]) -> bool:
    return ((kind == CONTACT and field in LEFT_OUT)
            or (kind == ATTACHMENT and record_id in dropped))


def minimise_file(uow: UnitOfWork) -> None:
    """The same for a pack copied whole from the office file, inside its unit of work: the
    values cleared where they are (and their pages zeroed when freed), the contacts' files and
    the history of both deleted. The caller compacts the file afterwards, so that no copy is
    left in free pages."""
    session = uow.session
    repo.secure_delete(session)
    repo.clear_columns(session, CONTACTS, LEFT_OUT)
    repo.set_column(session, CONTACTS, "search_key", {
        str(row["id"]): contact_search_key(row) for row in repo.rows(session, CONTACTS)})
    files = repo.ids_where(session, "attachments", "owner_kind", {CONTACT}, live_only=False)
    repo.delete_rows(session, "attachments", files)
    repo.delete_history(session, CONTACT, fields=LEFT_OUT)
    repo.delete_history(session, ATTACHMENT, record_ids=files)


def is_minimal(pack: Database) -> bool:
    """Whether ``pack`` is a visit pack made with minimal contacts."""
    with pack.uow() as uow:
        info = repo.pack_info(uow.session)
        return info is not None and bool((info.scope or {}).get(SCOPE_KEY))
