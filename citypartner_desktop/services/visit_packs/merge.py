"""Merge a visit pack back into its office: analyse (read only: what the pack would change,
what both changed, which new records look like ones the office has), then apply — after a
backup, in one transaction, through the same record service as every edit (validation, search
keys, history) — and remember it, so the same pack merged again changes nothing and the merge
can be undone as one step.

A pack made from another office database is refused; so is a file that is no pack.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import PackMerge
from citypartner_desktop.domain.errors import CityPartnerError, NotFoundError, ValidationError
from citypartner_desktop.domain.file_names import safe_file_name
from citypartner_desktop.domain.specs import FieldKind, spec_for
from citypartner_desktop.repositories import archive as archive_repo
from citypartner_desktop.repositories import bulk
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.repositories import erasure as erasure_repo
from citypartner_desktop.repositories import packs as repo
from citypartner_desktop.repositories import records as records_repo
from citypartner_desktop.repositories.erasure import ErasureEntry
from citypartner_desktop.services import backups, conflicts, erasure, records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs import canon
from citypartner_desktop.services.visit_packs.plan import (
    DELETED,
    FieldConflict,
    Key,
    Plan,
    Side,
    plan,
)
from citypartner_desktop.services.visit_packs.scope import KIND_OF_TABLE

Prefer = Literal["office", "pack"] | None
Changed = tuple[str, datetime]  # who, when (UTC)
_OWNER_COLUMNS = ("owner_id", "record_id")  # references by (kind, id), not foreign keys
_TABLE_ORDER = {t: n for n, t in enumerate(archive_repo.tables())}
_TITLE_COLUMNS = ("title", "name", "full_name", "period", "file_name", "criterion", "key",
                  "aspect", "role")


class PackRefusedError(ValidationError):
    """Not a pack of this office, or no pack at all."""


@dataclass(frozen=True)
class PackFacts:
    pack_id: str
    title: str
    source: str
    made_at: datetime
    made_by: str
    records: int

    @property
    def banner(self) -> str:
        made = self.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return (f"Visit pack for {self.title}, made on {made} from {self.source}; merge it "
                "back when you are home (File ▸ Merge visit pack…).")


@dataclass(frozen=True)
class Duplicate:
    """A record new on the visit that looks like one the office has (the duplicate finder's
    rule: a city of the same name in the same country, a contact of the same name and e-mail
    address). By default it is merged into the office's, not added a second time."""

    table: str
    pack_id: str
    office_id: str
    label: str


@dataclass
class Analysis:
    facts: PackFacts
    plan: Plan
    office: dict[Key, dict[str, Any] | None]  # rows as they are, every column
    pack: dict[Key, dict[str, Any] | None]
    new_history: list[dict[str, Any]]  # the visit's history entries the office lacks
    duplicates: list[Duplicate] = field(default_factory=list)
    merged_before: tuple[datetime, str] | None = None  # (when, by whom): nothing to do
    # Per conflict: who changed the field last, and when (UTC), in the office and on the visit.
    changed: dict[tuple[str, str, str], tuple[Changed | None, Changed | None]] = field(
        default_factory=dict)
    # The office's backup before the merge, started while analysing (``analyse(back_up=)``).
    backup: Future[Path | None] | None = field(default=None, repr=False)
    # People erased on the visit (the pack's erasure register): erased in the office too.
    erasures: list[ErasureEntry] = field(default_factory=list)

    def who(self, conflict: FieldConflict, side: Side) -> str:
        """"jan@office-pc, 2026-12-06 14:30" (local time), or "" when the history is silent."""
        office, pack = self.changed.get(conflict.key, (None, None))
        found = office if side == "office" else pack
        if found is None:
            return ""
        return f"{found[0]}, {found[1].astimezone():%Y-%m-%d %H:%M}"

    def label(self, key: Key) -> str:
        row = self.pack.get(key) or self.office.get(key) or {}
        for column in _TITLE_COLUMNS:
            if row.get(column):
                return str(row[column])
        return key[1]

    def kind_label(self, table: str) -> str:
        kind = KIND_OF_TABLE.get(table)
        return spec_for(kind).label if kind else table.replace("_", " ").capitalize()

    def field_label(self, table: str, name: str) -> str:
        if name == DELETED:
            return "Deleted"
        kind = KIND_OF_TABLE.get(table)
        if kind and name in spec_for(kind).field_names:
            return spec_for(kind).field(name).label
        return name.replace("_", " ").capitalize()

    def summary(self) -> dict[str, int]:
        return {"new": len(self.plan.creates), "updated": len(self.plan.updates),
                "deleted": len(self.plan.deletes), "restored": len(self.plan.restores),
                "conflicts": len(self.plan.conflicts), "duplicates": len(self.duplicates),
                "history": len(self.new_history), "gone": len(self.plan.purged)}

    def describe(self) -> str:
        s = self.summary()
        return (f"{s['new']} new, {s['updated']} updated, {s['deleted']} deleted, "
                f"{s['conflicts']} conflicts, {s['duplicates']} possible duplicates")


@dataclass(frozen=True)
class MergeResult:
    summary: dict[str, int]
    conflicts_left: tuple[FieldConflict, ...]
    refused: tuple[str, ...]  # records the office's rules refused, with the reason
    backup: Path | None
    seconds: float
    erased_again: int = 0  # people erased in the office (or on the visit) the pack brought back


# -- reading ------------------------------------------------------------------------------------
def open_pack(path: Path, passphrase: str | None = None) -> Database:
    """Open a pack file (upgraded like any database file when the app is newer), refusing
    what is no pack. An encrypted pack needs its passphrase (given, or remembered)."""
    if not path.exists():
        raise PackRefusedError.single("pack", f"{path} does not exist")
    pack = open_db(path, passphrase=passphrase)
    try:
        with pack.uow() as uow:
            if repo.pack_info(uow.session) is None:
                raise PackRefusedError.single(
                    "pack", f"{path.name} is a CityPartner database but no visit pack "
                            "(make one with File ▸ Take on a visit… or citypartner pack create)")
    except BaseException:
        pack.close()
        raise
    return pack


def facts(pack: Database) -> PackFacts | None:
    """What a pack says about itself; None when the database is no pack."""
    with pack.uow() as uow:
        info = repo.pack_info(uow.session)
        if info is None:
            return None
        return PackFacts(info.pack_id, info.title, info.source, info.made_at, info.made_by,
                         repo.base_count(uow.session))


def analyse(office: Database, pack: Database, *, back_up: bool = False) -> Analysis:
    """What merging ``pack`` into ``office`` would do; writes nothing. ``back_up``: the
    merge is meant to follow, so the office's backup before it is started now, beside the
    reading (once the pack is known to be this office's and not merged yet)."""
    about = facts(pack)
    if about is None:
        raise PackRefusedError.single("pack", "is no visit pack")
    with pack.uow() as uow:
        info = repo.pack_info(uow.session)
        assert info is not None
        source_id = info.source_database_id
        base = repo.legacy_base_rows(uow.session)
        for table, row in repo.base_rows(uow.session):
            base[(table, str(row["id"]))] = canon.row(table, row)
        pack_rows: dict[Key, dict[str, Any] | None] = {}
        for table in archive_repo.tables():
            if table == "changes":
                continue
            for row in repo.rows(uow.session, table):
                pack_rows[(table, str(row["id"]))] = row
        history = repo.rows(uow.session, "changes")
        erased_on_visit = erasure_repo.register(uow.session)
    for key in base:
        pack_rows.setdefault(key, None)  # purged on the laptop
    with office.uow() as uow:
        office_id = repo.database_id(uow.session)
        if office_id != source_id:
            raise PackRefusedError.single(
                "pack", f"was made from another office database ({about.source}); merge it "
                        "into the database it was made from")
        done = repo.merge_of(uow.session, about.pack_id)
        merged_before = ((done.merged_at, done.merged_by)
                         if done is not None and done.undone_at is None else None)
        backup = (backups.backup_before_soon(office, "merge")
                  if back_up and merged_before is None and not office.is_server else None)
        office_rows: dict[Key, dict[str, Any] | None] = {}
        wanted: dict[str, set[str]] = {}
        for table, record_id in pack_rows:
            wanted.setdefault(table, set()).add(record_id)
        for table, ids in wanted.items():
            for row in repo.rows(uow.session, table, ids):
                office_rows[(table, str(row["id"]))] = row
        known_history = repo.ids_where(uow.session, "changes", "id",
                                       [str(h["id"]) for h in history], live_only=False)
        for key in pack_rows:
            office_rows.setdefault(key, None)
        result = plan(
            base,
            {k: (canon.row(k[0], v) if v is not None else None) for k, v in office_rows.items()},
            {k: (canon.row(k[0], v) if v is not None else None) for k, v in pack_rows.items()})
        analysis = Analysis(about, result, office_rows, pack_rows,
                            [h for h in history if str(h["id"]) not in known_history],
                            merged_before=merged_before, backup=backup,
                            erasures=erased_on_visit)
        analysis.duplicates = _duplicates(uow, analysis)
        analysis.changed = _who_changed(uow, analysis)
    return analysis


def _who_changed(uow: Any, analysis: Analysis
                 ) -> dict[tuple[str, str, str], tuple[Changed | None, Changed | None]]:
    """The last change of each conflicting field on either side, from the histories."""
    found: dict[tuple[str, str, str], tuple[Changed | None, Changed | None]] = {}
    for conflict in analysis.plan.conflicts:
        kind = KIND_OF_TABLE.get(conflict.table)
        if kind is None:
            continue
        field_name = "deleted_at" if conflict.field == DELETED else conflict.field
        history = changes_repo.of_record(uow.session, kind, conflict.record_id, 200)
        office = next(((who, conflicts.utc(when)) for name, _o, _n, when, who in history
                       if name == field_name), None)
        visit = [(str(h["changed_by"]), conflicts.utc(h["changed_at"]))
                 for h in analysis.new_history
                 if h["record_kind"] == kind and h["record_id"] == conflict.record_id
                 and h["field"] == field_name]
        found[conflict.key] = (office, max(visit, key=lambda v: v[1]) if visit else None)
    return found


def _duplicates(uow: Any, analysis: Analysis) -> list[Duplicate]:
    found = []
    for key in analysis.plan.creates:
        table, record_id = key
        row = analysis.pack[key]
        if row is None or row.get("deleted_at") is not None:
            continue
        if table == "cities":
            same = records_repo.same_name_cities(uow.session, str(row["name"]),
                                                 str(row["country"]), None)
        elif table == "contacts":
            same = repo.same_contacts(uow.session, str(row["full_name"]), row.get("email"))
        else:
            continue
        if same:
            found.append(Duplicate(table, record_id, sorted(same)[0], analysis.label(key)))
    return found


# -- applying -----------------------------------------------------------------------------------
def apply(office: Database, analysis: Analysis,
          choices: Mapping[tuple[str, str, str], Side] | None = None, *,
          prefer: Prefer = None, keep_both: frozenset[str] = frozenset()) -> MergeResult:
    """Write the merge: conflicts as ``choices`` say (or all to ``prefer``; the rest stay as
    the office has them), possible duplicates merged into the office's record unless their
    pack id is in ``keep_both``. One transaction after a backup; remembered for undo."""
    started = time.perf_counter()
    if analysis.merged_before is not None:
        when, who = analysis.merged_before
        return MergeResult({}, (), (f"already merged on {when.astimezone():%Y-%m-%d %H:%M} by "
                                    f"{who}; nothing changed",), None, 0.0)
    erasure.check_may_bring_back(office, (
        key[1] for key, row in analysis.pack.items() if key[0] == "contacts" and row
        and row.get("full_name") != erasure.ERASED_NAME), analysis.erasures, "This visit pack")
    chosen = dict(choices or {})
    if prefer is not None:
        for conflict in analysis.plan.conflicts:
            chosen.setdefault(conflict.key, prefer)
    final = analysis.plan.chosen({k: v for k, v in chosen.items() if v == "pack"})
    decided_office = {k for k, v in chosen.items() if v == "office"}
    left = tuple(c for c in final.conflicts if c.key not in decided_office)
    backup = None if analysis.backup is not None else backups.backup_before(office, "merge")
    writer = _Writer(analysis, {d.pack_id: d.office_id for d in analysis.duplicates
                                if d.pack_id not in keep_both})
    with office.uow() as uow:
        if analysis.backup is not None and not repo.writes_beside_readers(uow.session):
            backup = analysis.backup.result()  # the writing would wait for its read anyway
        # Thousands of new rows land all over a dozen indexes: in SQLite's small default
        # cache their pages would be spilled to the log and read back again and again.
        with bulk.large_page_cache(uow.session):
            writer.write(uow, final)
        summary = {**analysis.summary(), **writer.counts(), "conflicts": len(left)}
        repo.record_merge(uow.session, PackMerge(
            pack_id=analysis.facts.pack_id, title=analysis.facts.title, merged_at=utcnow(),
            merged_by=office.actor.user, summary=summary, undo=writer.undo))
        if analysis.backup is not None and backup is None:
            # A backup started while analysing copies the office as it was then (its read
            # began before this transaction, whose writes it never sees): the writing could
            # go on beside it, but nothing is committed before it is whole. If it failed,
            # this raises and the merge is rolled back.
            backup = analysis.backup.result()
        uow.commit()
    # A pack made before an erasure carries the person: whatever it brought back goes again.
    clues = (erasure.Traces(key[1], str(row.get("full_name") or ""), row.get("email"),
                            row.get("phone"))
             for key, row in analysis.pack.items() if key[0] == "contacts" and row)
    again = erasure.reapply(office, analysis.erasures, clues)
    return MergeResult(summary, left, tuple(writer.refused), backup,
                       time.perf_counter() - started, again)


class _Writer:
    """Writes a chosen plan inside one unit of work, noting how to undo each step."""

    def __init__(self, analysis: Analysis, same_as: Mapping[str, str]) -> None:
        self.analysis = analysis
        self.same_as = dict(same_as)  # a new record of the visit -> the office's one
        self.undo: list[Any] = []
        self.refused: list[str] = []
        self.restored: set[Key] = set()  # brought back by this merge: at a new version now
        self.not_created: set[str] = set()  # new on the visit, but not added to the office

    def _value(self, table: str, name: str, value: Any) -> Any:
        """A reference to a new record of the visit that is the office's points there."""
        if isinstance(value, str) and value in self.same_as and (name in _OWNER_COLUMNS or any(
                column == name for column, _t in repo.foreign_keys(table))):
            return self.same_as[value]
        return value

    def _values(self, table: str, row: Mapping[str, Any], names: Any) -> dict[str, Any]:
        values = {n: self._value(table, n, row.get(n)) for n in names}
        if table == "attachments" and "file_name" in values:
            # A pack is a file from outside: its names are reduced like any coming in.
            values["file_name"] = safe_file_name(str(values["file_name"] or ""))
        return values

    def _refuse(self, key: Key, reason: str) -> None:
        self.refused.append(f"{self.analysis.kind_label(key[0])} "
                            f"“{self.analysis.label(key)}”: {reason}")

    def write(self, uow: Any, final: Plan) -> None:
        # Adding and changing first, deleting last: while nothing is deleted, a record found
        # once (the partnership a thousand new activities name) need not be looked up again.
        with records_repo.remembering_live_records(uow.session):
            creates = sorted(final.creates, key=lambda k: (_TABLE_ORDER[k[0]], k[1]))
            for table in dict.fromkeys(k[0] for k in creates):  # in table order
                self._create_all(uow, table, [k for k in creates if k[0] == table])
            for key in sorted(final.restores, key=lambda k: (_TABLE_ORDER[k[0]], k[1])):
                self._restore(uow, key)
            for key, fields in sorted(final.updates.items(),
                                      key=lambda kv: (_TABLE_ORDER[kv[0][0]], kv[0][1])):
                self._update(uow, key, fields)
        for key in sorted(final.deletes, key=lambda k: (-_TABLE_ORDER[k[0]], k[1])):
            self._delete(uow, key)
        # The history of records that were not added (the office's own record stands for a
        # duplicate; the office's rules refused one) stays out: it would describe nothing.
        history = [entry for entry in self.analysis.new_history
                   if entry["record_id"] not in self.not_created]
        repo.insert_rows(uow.session, "changes", history)
        self.undo.extend(["history", str(entry["id"])] for entry in history)

    def counts(self) -> dict[str, int]:
        """What was written, by kind of step (a refused record is not counted)."""
        done = [step[0] for step in self.undo]
        return {"new": done.count("create"), "updated": done.count("update"),
                "deleted": done.count("delete"), "restored": done.count("restore"),
                "history": done.count("history"), "refused": len(self.refused)}

    def _create_all(self, uow: Any, table: str, keys: list[Key]) -> None:
        """The records of ``table`` new on the visit (after those of the tables they refer
        to), validated one by one and written together."""
        new: list[Key] = []
        for key in keys:
            row = self.analysis.pack[key]
            if row is None or row.get("deleted_at") is not None:
                self.not_created.add(key[1])  # made and deleted on the visit: nothing to bring
            elif key[1] in self.same_as:
                self.not_created.add(key[1])
                self._fill_in(uow, key, row)
            else:
                new.append(key)
        kind = KIND_OF_TABLE.get(table)
        if kind is None or table == "attachments":
            # A score, a setting, a file: no rules of their own beyond the row (and a file's
            # bytes are no field of a form), so the row goes in as the visit wrote it.
            repo.insert_rows(uow.session, table, [
                self._values(table, row, row) for row in (self.analysis.pack[k] or {}
                                                          for k in new)])
            refused: dict[str, str] = {}
        else:
            names = [f.name for f in spec_for(kind).fields if f.kind is not FieldKind.SCORES]
            batch = []
            for key in new:
                row = self.analysis.pack[key] or {}
                batch.append(records.NewRecord(key[1], self._values(table, row, names),
                                               row.get("created_at")))
            with _history_from_the_visit(uow):
                refused = records.create_many_in(uow, kind, batch, confirm_duplicate=True)
        for key in new:
            if key[1] in refused:
                self.not_created.add(key[1])
                self._refuse(key, refused[key[1]])
            else:
                self.undo.append(["create", table, key[1]])

    def _fill_in(self, uow: Any, key: Key, row: Mapping[str, Any]) -> None:
        """A new record of the visit that is the office's: its empty fields take the
        visit's values."""
        table, record_id = key
        office_id = self.same_as[record_id]
        kind = KIND_OF_TABLE[table]
        current, version = records.values_in(uow, kind, office_id)
        spec = spec_for(kind)
        missing = {f.name: row.get(f.name) for f in spec.fields
                   if f.kind not in (FieldKind.SCORES, FieldKind.REF)
                   and current.get(f.name) in (None, "", (), [])
                   and row.get(f.name) not in (None, "", (), [])}
        if missing:
            self._update(uow, (table, office_id), missing, version=version)

    def _update(self, uow: Any, key: Key, fields: Mapping[str, Any], *,
                version: int | None = None) -> None:
        table, record_id = key
        row = self.analysis.pack.get(key) or {}
        names = [n for n in fields if n != DELETED]
        if not names:
            return
        office_row = self.analysis.office.get(key) or {}
        old = {n: canon.row(table, office_row).get(n) for n in names}
        values = self._values(table, row, names) if row else dict(fields)
        kind = KIND_OF_TABLE.get(table)
        expected: int | None = (version if version is not None else
                                int(office_row.get("version") or 0))
        if key in self.restored:
            expected = None  # this transaction moved it on a moment ago
        if kind is None:
            if not repo.update_row(uow.session, table, record_id, values, expected):
                raise _moved(self.analysis, key)
        else:
            try:
                # The visit's history says who changed these fields on the laptop, and when;
                # a record of the office that a new one of the visit filled in has none.
                with _history_from_the_visit(uow, row is not None and bool(row)):
                    records.update_in(uow, kind, record_id, values, expected_version=expected,
                                      confirm_duplicate=True)
            except ValidationError as exc:
                self._refuse(key, "; ".join(exc.errors.values()))
                return
            except NotFoundError:
                return  # deleted with its parent by this merge
        self.undo.append(["update", table, record_id, old])

    def _delete(self, uow: Any, key: Key) -> None:
        table, record_id = key
        kind = KIND_OF_TABLE.get(table)
        if kind is None:
            row = self.analysis.office.get(key) or {}
            repo.update_row(uow.session, table, record_id, {"deleted_at": utcnow()},
                            int(row.get("version") or 0))
        else:
            try:
                records.delete_in(uow, kind, record_id)
            except NotFoundError:
                return  # already deleted with its parent by this merge
        self.undo.append(["delete", table, record_id])

    def _restore(self, uow: Any, key: Key) -> None:
        table, record_id = key
        kind = KIND_OF_TABLE.get(table)
        if kind is None:
            row = self.analysis.office.get(key) or {}
            repo.update_row(uow.session, table, record_id, {"deleted_at": None},
                            int(row.get("version") or 0))
        else:
            try:
                records.restore_in(uow, kind, record_id)
            except ValidationError as exc:
                self._refuse(key, "; ".join(exc.errors.values()))
                return
        self.restored.add(key)
        self.undo.append(["restore", table, record_id])


@contextmanager
def _history_from_the_visit(uow: Any, brought: bool = True) -> Iterator[None]:
    """While the visit's own history entries describe a write, the record service adds none
    (else every change would show twice: by the visitor, and again by whoever merged)."""
    uow.record_history = not brought
    try:
        yield
    finally:
        uow.record_history = True


def _moved(analysis: Analysis, key: Key) -> CityPartnerError:
    from citypartner_desktop.domain.errors import ConflictError

    return ConflictError(f"{analysis.kind_label(key[0])} “{analysis.label(key)}” was changed "
                         "in the office during the merge; nothing was merged — merge again")


# -- undo ---------------------------------------------------------------------------------------
def undo(office: Database, pack_id: str) -> int:
    """Take a merge back in one transaction: its new records deleted, its deletions restored,
    each field it changed set back (unless changed again since). Returns the steps undone;
    the pack may then be merged again."""
    with office.uow() as uow:
        merge = repo.merge_of(uow.session, pack_id)
        if merge is None or merge.undone_at is not None:
            raise ValidationError.single("pack", "was not merged into this database (or its "
                                                 "merge was already undone)")
        steps = 0
        for step in reversed(list(merge.undo)):
            action, table = step[0], step[1]
            kind = KIND_OF_TABLE.get(table)
            if action == "history":
                continue  # what happened on the visit stays in the history
            record_id = step[2]
            steps += 1
            if kind is None:
                _undo_row(uow, action, table, record_id, step)
                continue
            try:
                if action == "create":
                    records.delete_in(uow, kind, record_id)
                elif action == "delete":
                    records.restore_in(uow, kind, record_id)
                elif action == "restore":
                    records.delete_in(uow, kind, record_id)
                elif action == "update":
                    records.update_in(uow, kind, record_id, dict(step[3]),
                                      confirm_duplicate=True)
            except NotFoundError:
                continue  # already gone with its parent
        repo.mark_undone(uow.session, pack_id, utcnow())
        uow.commit()
    return steps


def _undo_row(uow: Any, action: str, table: str, record_id: str, step: list[Any]) -> None:
    """Undo one step on a row that is no record of the service layer."""
    if action == "create":
        repo.delete_rows(uow.session, table, [record_id])
    elif action == "update":
        repo.update_row(uow.session, table, record_id, dict(step[3]), None)
    else:
        repo.update_row(uow.session, table, record_id,
                        {"deleted_at": None if action == "delete" else utcnow()}, None)
