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

from sqlalchemy import Text, and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Column, Table

from citypartner_desktop.db.models import MODELS, Base, Erasure
from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.specs import ENTITIES, FieldKind, spec_for
from citypartner_desktop.domain.text import search_key

ERASED_NAME = "Erased contact"
ERASED_MARK = "[erased]"
# Kept: what the office's counts and stories need (the row, its city) and what is not about
# the person (the row's bookkeeping, the sort and search copies rewritten below).
_KEPT_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted_at",
                           "city_id", "city_label", "city_key", "search_key", "full_name"})


@dataclass(frozen=True)
class Traces:
    """What identifies the person word for word: found and replaced wherever it was written."""

    contact_id: str
    full_name: str
    email: str | None
    phone: str | None
    former: tuple[str, ...] = ()  # names, e-mails and phones their history shows they had

    def words(self) -> list[str]:
        # Longest first: an e-mail holding the name is replaced whole.
        found = {w.strip() for w in (self.full_name, self.email, self.phone, *self.former)
                 if w}
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
    row = session.execute(select(contacts.c.full_name, contacts.c.email, contacts.c.phone,
                                 contacts.c.details)
                          .where(contacts.c.id == contact_id)).first()
    if row is None:
        return None
    changes = Base.metadata.tables["changes"]
    former: set[str] = set(_reachable_at(row[3]))
    for field, *pair in session.execute(
            select(changes.c.field, changes.c.old_value, changes.c.new_value).where(
                changes.c.record_kind == "contact", changes.c.record_id == contact_id,
                changes.c.field.in_(("full_name", "email", "phone", "details")))):
        for value in pair:
            if value and field == "details":
                former.update(_reachable_at(value))
            elif value:
                former.add(str(value))
    return Traces(contact_id, str(row[0] or ""), row[1], row[2], tuple(sorted(former)))


def _reachable_at(details: str | None) -> list[str]:
    """The e-mail addresses and phone numbers among a contact's details (their other ones)."""
    try:
        found = contact_details.parse(details)
    except ValueError:
        return []
    return [d.value for d in found if d.kind in ("email", "phone")]


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


# The fields where a person's name is written by someone: free text. Choices, references,
# dates and another contact's own name, e-mail and phone are never rewritten (a namesake is
# not a mention; "lead" must stay "lead" whoever is called "Lea").
_FREE_TEXT = frozenset({FieldKind.TEXT, FieldKind.MULTILINE})
_OTHER_PEOPLE = frozenset({"full_name", "email", "phone"})


def _word_fields(kind: str) -> tuple[str, ...]:
    if kind not in ENTITIES:  # kept by their own editors (scores, health checks): by type
        table = Base.metadata.tables[MODELS[kind].__tablename__]
        return tuple(c.name for c in table.c if isinstance(c.type, Text))
    spec = spec_for(kind)
    return tuple(f.name for f in spec.fields if f.kind in _FREE_TEXT
                 and not (kind == "contact" and f.name in _OTHER_PEOPLE))


def _namesakes(session: Session, found: Traces) -> set[str]:
    """The person's words that are also another live contact's own name, e-mail or phone: a
    mention of those may be of the other person, so it is not rewritten."""
    contacts = _contacts()
    words = found.words()
    if not words:
        return set()
    folded = {w.casefold(): w for w in words}
    others = session.execute(select(contacts.c.full_name, contacts.c.email, contacts.c.phone)
                             .where(contacts.c.id != found.contact_id,
                                    contacts.c.deleted_at.is_(None),
                                    or_(contacts.c.full_name.in_(words),
                                        contacts.c.email.in_(words),
                                        contacts.c.phone.in_(words))))
    return {folded[v.casefold()] for row in others for v in row
            if v and v.casefold() in folded}


def _pattern(found: Traces, skip: Iterable[str] = ()) -> re.Pattern[str] | None:
    """The person's words, whole words only, in any letter case (Unicode: "Łukasz")."""
    skipped = set(skip)
    words = [w for w in found.words() if w not in skipped]
    if not words:
        return None
    return re.compile("(?<!\\w)(?:" + "|".join(re.escape(w) for w in words) + ")(?!\\w)",
                      re.IGNORECASE)


def _like(word: str) -> str:
    """A LIKE pattern that finds the word whatever the engine's letter case does: letters
    beyond ASCII (which SQLite's LIKE compares by byte) match any one character; the exact
    match is then Python's."""
    escaped = "".join("\\" + ch if ch in "%_\\" else ch if ch.isascii() else "_"
                      for ch in word)
    return f"%{escaped}%"


def _candidates(session: Session, table: Table, columns: list[Column[Any]], words: list[str],
                extra: Any = None) -> list[Any]:
    conditions = [c.ilike(_like(w), escape="\\") for c in columns for w in words]
    query = select(*table.primary_key.columns, *columns).where(or_(*conditions))
    if extra is not None:
        query = query.where(extra)
    return list(session.execute(query).all())


def _record_tables(found: Traces) -> Iterator[tuple[str, Table, list[Column[Any]], Any]]:
    for kind, model in MODELS.items():
        if kind in ("change", "attachment"):
            continue
        table = Base.metadata.tables[model.__tablename__]
        columns = [table.c[name] for name in _word_fields(kind) if name in table.c]
        if columns:
            extra = table.c.id != found.contact_id if kind == "contact" else None
            yield kind, table, columns, extra


def _history_fields() -> list[tuple[str, str]]:
    return [(kind, name) for kind in MODELS if kind not in ("change", "attachment")
            for name in _word_fields(kind)]


def mentioned(session: Session, found: Traces) -> bool:
    """Whether the person is written anywhere else (a mention that came back)."""
    pattern = _pattern(found, _namesakes(session, found))
    return pattern is not None and any(True for _ in _mention_rows(session, found, pattern))


def _mention_rows(session: Session, found: Traces, pattern: re.Pattern[str]
                  ) -> Iterator[tuple[str, Table, Any, dict[str, Any]]]:
    """(kind, table, key, {column: new text}) for every row that mentions the person."""
    words = found.words()
    for kind, table, columns, extra in _record_tables(found):
        for row in _candidates(session, table, columns, words, extra):
            new = _changed(dict(zip((c.name for c in columns), row[1:], strict=True)), pattern)
            if new:
                yield kind, table, row[0], new
    changes = Base.metadata.tables["changes"]
    text_fields = or_(*(and_(changes.c.record_kind == k, changes.c.field == f)
                        for k, f in _history_fields()))
    for row in _candidates(session, changes, [changes.c.old_value, changes.c.new_value], words,
                           text_fields):
        new = _changed({"old_value": row[1], "new_value": row[2]}, pattern)
        if new:
            yield "change", changes, row[0], new


def _changed(values: dict[str, Any], pattern: re.Pattern[str]) -> dict[str, Any]:
    return {name: pattern.sub(ERASED_MARK, value) for name, value in values.items()
            if isinstance(value, str) and pattern.search(value)}


def replace_mentions(session: Session, found: Traces) -> list[Mention]:
    """Every word-for-word mention of the person (name, e-mail, phone, and the ones their
    history shows they had; whole words, any letter case) in the free text of other records
    and in the history of such text; record rows get their search copy rewritten. A word
    another live contact also has (a namesake) is left as it is."""
    pattern = _pattern(found, _namesakes(session, found))
    if pattern is None:
        return []
    result: list[Mention] = []
    for kind, table, key, updates in list(_mention_rows(session, found, pattern)):
        if kind != "change" and "search_key" in table.c:
            updates["search_key"] = _search_key_after(session, table, kind, key, updates)
        session.execute(update(table).where(table.c.id == key).values(**updates))
        result.append(Mention(table.name, str(key), tuple(n for n in updates
                                                          if n != "search_key")))
    result += _scrub_merge_ledger(session, found, pattern)
    return result


def _scrub_merge_ledger(session: Session, found: Traces, pattern: re.Pattern[str]
                        ) -> list[Mention]:
    """The visit packs merged in: their undo steps hold the fields a merge overwrote. Steps
    about the person's own record (or files) go — undoing the merge must not write them
    back — and their words go from the rest."""
    merges = Base.metadata.tables["pack_merges"]
    attachments = Base.metadata.tables["attachments"]
    theirs = {found.contact_id} | {str(i) for i in session.execute(select(attachments.c.id).where(
        attachments.c.owner_kind == "contact", attachments.c.owner_id == found.contact_id
    )).scalars()}
    result: list[Mention] = []
    for pack_id, summary, undo in session.execute(
            select(merges.c.pack_id, merges.c.summary, merges.c.undo)).all():
        steps = [s for s in (undo or []) if not (
            isinstance(s, list) and len(s) > 2 and s[1] in ("contacts", "attachments")
            and str(s[2]) in theirs)]
        new_undo, new_summary = _replaced(steps, pattern), _replaced(summary, pattern)
        if new_undo != undo or new_summary != summary:
            session.execute(update(merges).where(merges.c.pack_id == pack_id).values(
                undo=new_undo, summary=new_summary))
            result.append(Mention("pack_merges", str(pack_id), ("undo", "summary")))
    return result


def _replaced(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED_MARK, value)
    if isinstance(value, list):
        return [_replaced(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, pattern) for k, v in value.items()}
    return value


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
