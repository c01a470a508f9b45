"""The SQL of erasing a person: their fields, their history's values, their attachments,
every word-for-word mention of their name, e-mail or phone in other records and in the
history, and the erasure register.

Core statements, not the ORM's records: the record service would write the old values into
the history, which is exactly what erasing removes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Select, String, Text, delete, insert, or_, select, update
from sqlalchemy import func as sql_func
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Column, Table

from citypartner_desktop.db.models import MODELS, Base, Erasure
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.domain.text import search_key

ERASED_NAME = "Erased contact"
ERASED_MARK = "[erased]"
# Kept: what the office's counts and stories need (the row, its city) and what is not about
# the person (the row's bookkeeping, the sort and search copies rewritten below).
_KEPT_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted_at",
                           "city_id", "city_label", "city_key", "search_key", "full_name"})
# Columns that are not anyone's words: keys, sort and search copies (rewritten from the
# words), and the history's own bookkeeping.
_NOT_WORDS = re.compile(r"^(id|.*_id|search_key|.*_label|.*_key|record_kind|field|"
                        r"changed_by|installation_id|media_type|sha256)$")


@dataclass(frozen=True)
class Traces:
    """What identifies the person word for word: found and replaced wherever it was written."""

    contact_id: str
    full_name: str
    email: str | None
    phone: str | None

    def words(self) -> list[str]:
        # Longest first: an e-mail holding the name is replaced whole.
        found = {w.strip() for w in (self.full_name, self.email, self.phone) if w}
        return sorted((w for w in found if len(w) >= 3 and w != ERASED_NAME), key=len,
                      reverse=True)


@dataclass(frozen=True)
class ErasureEntry:
    contact_id: str
    erased_at: datetime
    erased_by: str
    reason: str | None


def _contacts() -> Table:
    return Base.metadata.tables["contacts"]


def traces(session: Session, contact_id: str) -> Traces | None:
    contacts = _contacts()
    row = session.execute(select(contacts.c.full_name, contacts.c.email, contacts.c.phone)
                          .where(contacts.c.id == contact_id)).first()
    if row is None:
        return None
    return Traces(contact_id, str(row[0] or ""), row[1], row[2])


def holds_personal_data(session: Session, contact_id: str) -> bool:
    """Whether anything an erasure removes is (back) in the database: the contact's fields,
    values in their history, their files."""
    contacts = _contacts()
    personal = [c for c in contacts.c if c.name not in _KEPT_COLUMNS]
    row = session.execute(select(contacts.c.full_name, *personal)
                          .where(contacts.c.id == contact_id)).first()
    if row is None:
        return False
    if row[0] != ERASED_NAME or any(v is not None for v in row[1:]):
        return True
    changes = Base.metadata.tables["changes"]
    attachments = Base.metadata.tables["attachments"]
    history = session.execute(select(changes.c.id).where(
        changes.c.record_kind == "contact", changes.c.record_id == contact_id,
        or_(changes.c.old_value.is_not(None), changes.c.new_value.is_not(None))).limit(1)).first()
    files = session.execute(select(attachments.c.id).where(
        attachments.c.owner_kind == "contact", attachments.c.owner_id == contact_id
    ).limit(1)).first()
    return history is not None or files is not None


def scrub_contact(session: Session, contact_id: str, when: datetime) -> None:
    """The person's own fields: the name becomes "Erased contact", everything else about
    them empty; the row stays, so counts and the partnership's story stay true."""
    contacts = _contacts()
    cleared: dict[str, Any] = {c.name: None for c in contacts.c if c.name not in _KEPT_COLUMNS}
    spec = spec_for("contact")
    key = search_key(*(ERASED_NAME if f == "full_name" else "" for f in spec.search_fields))
    session.execute(update(contacts).where(contacts.c.id == contact_id).values(
        full_name=ERASED_NAME, search_key=key, updated_at=when,
        version=contacts.c.version + 1, **cleared))


def scrub_history(session: Session, kind: str, record_ids: Sequence[str]) -> int:
    """The history keeps that a change happened (when, who, which field), not what it was."""
    if not record_ids:
        return 0
    changes = Base.metadata.tables["changes"]
    done = session.execute(update(changes).where(
        changes.c.record_kind == kind, changes.c.record_id.in_(record_ids),
        or_(changes.c.old_value.is_not(None), changes.c.new_value.is_not(None)),
    ).values(old_value=None, new_value=None))
    return int(getattr(done, "rowcount", 0) or 0)


def delete_attachments(session: Session, contact_id: str) -> list[str]:
    """The person's own files, deleted for good (not a tombstone); their ids."""
    attachments = Base.metadata.tables["attachments"]
    mine = (attachments.c.owner_kind == "contact") & (attachments.c.owner_id == contact_id)
    ids = [str(i) for i in session.execute(select(attachments.c.id).where(mine)).scalars()]
    if ids:
        session.execute(delete(attachments).where(mine))
    return ids


@dataclass(frozen=True)
class Mention:
    table: str
    record_id: str
    columns: tuple[str, ...]


# Another person's own name, e-mail or phone is not a mention, even when it is the same.
_OTHER_PEOPLE = frozenset({"full_name", "email", "phone"})


def _word_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.c if isinstance(c.type, String | Text | JSON)
            and not _NOT_WORDS.match(c.name)
            and not (table.name == "contacts" and c.name in _OTHER_PEOPLE)]


def _replaced(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED_MARK, value)
    if isinstance(value, list):
        return [_replaced(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, pattern) for k, v in value.items()}
    return value


def _mention_queries(found: Traces) -> Iterator[tuple[Table, list[Column[Any]], Select[Any]]]:
    """Per table with words in it: the rows where one of the person's words is written."""
    words = found.words()
    for table in Base.metadata.sorted_tables if words else ():
        columns = _word_columns(table)
        if not columns or table.name == "erasures":
            continue
        conditions = [sql_func.lower(sql_func.cast(c, Text)).contains(w.lower(), autoescape=True)
                      for c in columns for w in words]
        query = select(*table.primary_key.columns, *columns).where(or_(*conditions))
        if table.name == "contacts":
            query = query.where(table.c.id != found.contact_id)
        yield table, columns, query


def mentioned(session: Session, found: Traces) -> bool:
    """Whether the person is written anywhere else (a mention that came back)."""
    return any(session.execute(query.limit(1)).first() is not None
               for _t, _c, query in _mention_queries(found))


def replace_mentions(session: Session, found: Traces) -> list[Mention]:
    """Every word-for-word mention of the person (name, e-mail, phone; any letter case) in
    any other row of any table: record texts, the history's values, the merge ledger. Record
    rows get their search copy rewritten; the mentions found are returned."""
    pattern = re.compile("|".join(re.escape(w) for w in found.words()), re.IGNORECASE)
    kinds = {model.__tablename__: kind for kind, model in MODELS.items()}
    result: list[Mention] = []
    for table, columns, query in _mention_queries(found):
        keys = list(table.primary_key.columns)
        for row in session.execute(query).all():
            key, values = row[:len(keys)], row[len(keys):]
            new = {c.name: _replaced(v, pattern) for c, v in zip(columns, values, strict=True)}
            changed = tuple(c.name for c, v in zip(columns, values, strict=True)
                            if new[c.name] != v)
            if not changed:
                continue
            updates: dict[str, Any] = {name: new[name] for name in changed}
            kind = kinds.get(table.name)
            if kind is not None and "search_key" in table.c and kind not in ("change",
                                                                            "attachment"):
                updates["search_key"] = _search_key_after(session, table, kind, key[0],
                                                          updates)
            where = [k == v for k, v in zip(keys, key, strict=True)]
            session.execute(update(table).where(*where).values(**updates))
            result.append(Mention(table.name, str(key[0]), changed))
    return result


def _search_key_after(session: Session, table: Table, kind: str, record_id: Any,
                      updates: dict[str, Any]) -> str:
    spec = spec_for(kind)
    fields = [f for f in spec.search_fields if f in table.c]
    row = session.execute(select(*(table.c[f] for f in fields))
                          .where(table.c.id == record_id)).one()
    values = {f: updates.get(f, v) for f, v in zip(fields, row, strict=True)}
    return search_key(*(str(values.get(f) or "") for f in spec.search_fields))


# -- the register -----------------------------------------------------------------------------
def register(session: Session) -> list[ErasureEntry]:
    erasures = Base.metadata.tables["erasures"]
    return [ErasureEntry(str(r[0]), r[1], str(r[2]), r[3]) for r in session.execute(
        select(erasures.c.contact_id, erasures.c.erased_at, erasures.c.erased_by,
               erasures.c.reason).order_by(erasures.c.erased_at, erasures.c.contact_id))]


def entry(session: Session, contact_id: str) -> ErasureEntry | None:
    found = session.get(Erasure, contact_id)
    if found is None:
        return None
    return ErasureEntry(found.contact_id, found.erased_at, found.erased_by, found.reason)


def add_entries(session: Session, entries: Iterable[ErasureEntry]) -> int:
    """Entries this register lacks, added; how many."""
    have = {e.contact_id for e in register(session)}
    new = [e for e in entries if e.contact_id not in have]
    if new:
        session.execute(insert(Base.metadata.tables["erasures"]), [
            {"contact_id": e.contact_id, "erased_at": e.erased_at, "erased_by": e.erased_by,
             "reason": e.reason} for e in new])
    return len(new)


def existing_contacts(session: Session, ids: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(ids))
    contacts = _contacts()
    found: list[str] = []
    for start in range(0, len(wanted), 500):
        found += [str(i) for i in session.execute(select(contacts.c.id).where(
            contacts.c.id.in_(wanted[start:start + 500]))).scalars()]
    return found
