"""Forgetting a person on request, for good: their fields, their history's values, their files,
their mentions, the search index, and (in a file) the free pages and the write-ahead log.

An erasure register (ids, when, who, why: no personal data) is kept in the database and in
this installation's data folder, so that restoring an older backup, importing an archive or
merging a visit pack erases the person again (``reapply``). No backup is taken before an
erasure: it would be one more copy of the person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citypartner_desktop import paths
from citypartner_desktop.atomic_files import write_bytes
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.file_errors import describe_error
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import CityPartnerError, NoRightsError, NotFoundError
from citypartner_desktop.repositories import erasure as repo
from citypartner_desktop.repositories.erasure import ERASED_NAME, ErasureEntry, Traces
from citypartner_desktop.services import audit

__all__ = ["ERASED_NAME", "ErasureEntry", "ErasureResult", "Traces", "erase", "reapply",
           "register"]

_REGISTER_FILE = "erasures.json"


class AlreadyErasedError(CityPartnerError):
    """The person was erased before; there is nothing left to erase."""


@dataclass(frozen=True)
class ErasureResult:
    contact_id: str
    erased_at: datetime
    history_rows: int  # changes whose values were removed
    attachments: int  # files deleted
    mentions: int  # other rows where the name, e-mail or phone was replaced
    file_problem: str | None  # why a file's free pages or log may still hold them (None: done)


def check_may_erase(db: Database) -> None:
    """Refuse plainly where erasing is not allowed (the server enforces it as well)."""
    if db.read_only:
        raise CityPartnerError("This database is open read-only; nobody can be erased from it.")
    if db.is_server and db.access != "administrator":
        raise NoRightsError("Only an administrator of the office server may erase a person; "
                            "nothing was changed.")


def name_to_erase(db: Database, contact_id: str) -> str:
    """The name of the contact about to be erased (for the confirmation); refuses an unknown
    id or an erased person as ``erase`` would."""
    with db.uow() as uow:
        _refuse_erased(uow, contact_id)
        found = repo.traces(uow.session, contact_id)
    if found is None:
        raise NotFoundError(f'No contact with id "{contact_id}"; nothing was changed.')
    return found.full_name


def _refuse_erased(uow: UnitOfWork, contact_id: str) -> None:
    earlier = repo.entry(uow.session, contact_id)
    if earlier is not None:
        raise AlreadyErasedError(f"Contact {contact_id} was already erased on "
                                 f"{earlier.erased_at:%Y-%m-%d}; nothing was changed.")


def erase(db: Database, contact_id: str, reason: str | None = None,
          *, when: datetime | None = None) -> ErasureResult:
    """Erase the contact ``contact_id``; refuses an unknown id, an erased person, a viewer or
    editor on a server, with nothing changed."""
    check_may_erase(db)
    when = when or datetime.now(UTC)
    with db.uow() as uow, _securely(uow):
        _refuse_erased(uow, contact_id)
        found = repo.traces(uow.session, contact_id)
        if found is None:
            raise NotFoundError(f'No contact with id "{contact_id}"; nothing was changed.')
        history, files, mentions = _erase_in(uow, found, when)
        entry = ErasureEntry(contact_id, when, uow.actor.user, _without_traces(reason, found))
        repo.add_entries(uow.session, [entry])
        uow.commit()
    _remember([entry])  # first: whatever happens to the file next, the erasure is known
    return ErasureResult(contact_id, when, history, files, mentions, clear_file(db))


def _erase_in(uow: UnitOfWork, found: Traces, when: datetime) -> tuple[int, int, int]:
    session = uow.session
    mentions = _mentions_gone(uow, found, when)  # while their files are there to be named
    files = repo.delete_attachments(session, found.contact_id)
    history = repo.scrub_history(session, "contact", [found.contact_id])
    history += repo.scrub_history(session, "attachment", files)  # their names and sizes
    repo.scrub_contact(session, found.contact_id, when)
    audit.record(uow, "contact", found.contact_id, "erased", None, None, when)
    return history, len(files), mentions


def _mentions_gone(uow: UnitOfWork, found: Traces, when: datetime) -> int:
    """The person's name, e-mail and phone replaced in every other row; each record so
    changed gets a history entry without values."""
    mentions = repo.replace_mentions(uow.session, found)
    for mention in mentions:
        kind = _kind_of(mention.table)
        if kind is not None:
            for column in mention.columns:
                audit.record(uow, kind, mention.record_id, column, None, None, when)
    return len(mentions)


def _kind_of(table: str) -> str | None:
    from citypartner_desktop.db.models import MODELS

    kinds = {m.__tablename__: k for k, m in MODELS.items() if k not in ("change", "attachment")}
    return kinds.get(table)


def _without_traces(reason: str | None, found: Traces) -> str | None:
    """The reason is kept, the person's name or address in it is not."""
    text = (reason or "").strip()
    for word in found.words():
        text = re.sub(re.escape(word), repo.ERASED_MARK, text, flags=re.IGNORECASE)
    return text or None


def register(db: Database) -> list[ErasureEntry]:
    with db.uow() as uow:
        return repo.register(uow.session)


def reapply(db: Database, more: Iterable[ErasureEntry] = (),
            clues: Iterable[Traces] = ()) -> int:
    """Erase again everyone this database's register, this installation's and ``more``
    (a pack's) name who is back in the data (an older backup restored, an archive imported,
    a pack merged); returns how many. The register gains the entries it lacked.

    ``clues``: what erased people were called in data just brought in (a pack's rows): the
    database itself no longer knows, yet their mentions may have come back with it."""
    entries = {e.contact_id: e for e in [*_remembered(), *more]}
    with db.uow() as uow:
        own = {e.contact_id: e for e in repo.register(uow.session)}
        entries.update(own)
        present = repo.existing_contacts(uow.session, entries) if entries else []
        back = [i for i in present if repo.holds_personal_data(uow.session, i)]
        hints = [c for c in clues if c.contact_id in entries and c.words()
                 and repo.mentioned(uow.session, c)]
    missing = [entries[i] for i in present if i not in own]
    if back or missing or hints:
        check_may_erase(db)
        with db.uow() as uow, _securely(uow):
            when = datetime.now(UTC)
            for contact_id in back:
                found = repo.traces(uow.session, contact_id)
                if found is not None and repo.holds_personal_data(uow.session, contact_id):
                    _erase_in(uow, found, when)
            for clue in hints:
                _mentions_gone(uow, clue, when)
            repo.add_entries(uow.session, missing)
            uow.commit()
    if entries:
        _remember(entries.values())
    if back or hints:
        clear_file(db)
    return len(back)


def erased_among(db: Database, contact_ids: Iterable[str],
                 more: Iterable[ErasureEntry] = ()) -> list[str]:
    """Which of ``contact_ids`` (a pack's, an archive's) were erased, by this database's
    register, this installation's or ``more``."""
    with db.uow() as uow:
        known = {e.contact_id for e in [*_remembered(), *more, *repo.register(uow.session)]}
    return sorted(set(contact_ids) & known)


def check_may_bring_back(db: Database, contact_ids: Iterable[str],
                         more: Iterable[ErasureEntry] = (), what: str = "This") -> None:
    """Refuse, before anything is written, data that holds people erased here when this user
    may not erase them again (a viewer or editor on a server): merged or imported, they would
    be back."""
    erased = erased_among(db, contact_ids, more)
    if not erased:
        return
    try:
        check_may_erase(db)
    except CityPartnerError:
        raise NoRightsError(
            f"{what} holds {len(erased)} people erased in this office; bringing it in would "
            "bring them back, and only an administrator may erase them again. Ask an "
            "administrator to do it; nothing was changed.") from None


# -- a file's free pages and log --------------------------------------------------------------
@contextmanager
def _securely(uow: UnitOfWork) -> Iterator[None]:
    """The unit of work as a writer with SQLite's secure_delete on (what it deletes is
    overwritten with zeros), set back as it was afterwards."""
    uow.writes_first()
    if uow.session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = uow.session.connection()
    before = int(connection.exec_driver_sql("PRAGMA secure_delete").scalar_one())
    connection.exec_driver_sql("PRAGMA secure_delete=ON")
    try:
        yield
    finally:
        # After a failed write the connection may be broken; it is discarded then anyway.
        with suppress(Exception):
            connection.exec_driver_sql(f"PRAGMA secure_delete={before}")


def clear_file(db: Database) -> str | None:
    """Rewrite a file without free pages (VACUUM, secure_delete on), rebuild the search
    tables (FTS5 keeps deleted words in older segments until then) and empty the write-ahead
    log, so that no byte of an erased person is left in either. None when done; else what
    stopped it (it can be run again: ``citypartner privacy clear``). A server: None (its own
    VACUUM reclaims dead rows; what SQL reads holds nothing)."""
    if db.is_server:
        return None
    try:
        db.compact(secure=True)
    except Exception as exc:  # the erasure is committed: say what is left, not a traceback
        return f"the file could not be rewritten ({describe_error(exc)})"
    if not _truncate_log(db):
        return ("its write-ahead log could not be emptied while another program (or "
                "window) reads the database")
    return None


def _truncate_log(db: Database) -> bool:
    """Checkpoint the whole log and truncate it to nothing; waits for readers as long as the
    busy timeout (SQLite's busy handler), then says it could not."""
    try:
        with db.engine.connect() as connection:
            raw: Any = connection.connection.driver_connection
            busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return not busy
    except Exception:  # full, I/O, …: reported as not emptied
        return False


# -- this installation's copy of the register -------------------------------------------------
def _register_file() -> Path:
    return paths.user_data_dir() / _REGISTER_FILE


def _remembered() -> list[ErasureEntry]:
    try:
        items = json.loads(_register_file().read_text(encoding="utf-8"))
        return [ErasureEntry(str(i["contact_id"]), datetime.fromisoformat(i["erased_at"]),
                             str(i["erased_by"]), i.get("reason")) for i in items]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # none yet, or unreadable: the database's own register still holds


def _remember(entries: Iterable[ErasureEntry]) -> None:
    known = {e.contact_id: e for e in _remembered()}
    for one in entries:
        known.setdefault(one.contact_id, one)
    items = [{"contact_id": e.contact_id, "erased_at": e.erased_at.isoformat(),
              "erased_by": e.erased_by, "reason": e.reason}
             for e in sorted(known.values(), key=lambda e: (e.erased_at, e.contact_id))]
    target = _register_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(target, json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8"))
