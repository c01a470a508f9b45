"""The three-way merge of a visit pack, pure: for every record, each field as it was packed
(the base), as the office has it now and as the pack has it now decide what happens.

- a field changed on one side only takes that side's value; changed on both to the same value
  is no conflict; changed on both to different values is a conflict (the office's value stays
  unless the user chooses the pack's);
- a record new on the visit is added; new in the office is not the pack's business;
- deleted on one side and changed on the other is a conflict; deleted on one side only is
  deleted; deleted on both is nothing to do;
- never decided by clocks: laptop clocks and time zones lie; times are only shown.

Values are canonical (``canon``): what compares equal is equal for a person too. A record is a
mapping field -> value with the pseudo-field ``DELETED`` (True when it is deleted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DELETED = "deleted"  # the pseudo-field of a record's deletion
Key = tuple[str, str]  # (table, record id)
Row = Mapping[str, Any]
Side = Literal["office", "pack"]


@dataclass(frozen=True)
class FieldConflict:
    """A field both sides changed differently since the pack was made; ``field`` DELETED: one
    side deleted the record and the other changed it (then ``office``/``pack`` say deleted
    with True)."""

    table: str
    record_id: str
    field: str
    base: Any
    office: Any
    pack: Any

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.record_id, self.field)


@dataclass
class Plan:
    """What merging the pack does to the office. ``updates``: per record the fields to take
    from the pack; ``creates``: records only the pack has; ``deletes``/``restores``: records
    the pack deleted or brought back; ``conflicts``: what both changed (not in the others
    until chosen); ``purged``: records the office no longer has at all but the visit changed."""

    updates: dict[Key, dict[str, Any]] = field(default_factory=dict)
    creates: list[Key] = field(default_factory=list)
    deletes: list[Key] = field(default_factory=list)
    restores: list[Key] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)
    purged: list[Key] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.updates or self.creates or self.deletes or self.restores
                    or self.conflicts or self.purged)

    def chosen(self, choices: Mapping[tuple[str, str, str], Side]) -> Plan:
        """This plan with the conflicts chosen "pack" taken (the rest stay as the office has
        them, and stay listed as conflicts)."""
        unknown = set(choices) - {c.key for c in self.conflicts}
        if unknown:
            raise ValueError(f"not conflicts of this pack: {sorted(unknown)[:3]}")
        result = Plan({k: dict(v) for k, v in self.updates.items()}, list(self.creates),
                      list(self.deletes), list(self.restores), [], list(self.purged))
        for conflict in self.conflicts:
            if choices.get(conflict.key) != "pack":
                result.conflicts.append(conflict)
                continue
            key = (conflict.table, conflict.record_id)
            if conflict.field != DELETED:
                result.updates.setdefault(key, {})[conflict.field] = conflict.pack
            elif conflict.pack is True:  # the visit deleted it: delete, the office's edits too
                result.updates.pop(key, None)
                result.deletes.append(key)
            else:  # the office deleted it, the visit changed it: back, with the visit's fields
                result.restores.append(key)
                if isinstance(conflict, DeleteConflict):
                    result.updates.setdefault(key, {}).update(conflict.pack_fields)
        return result


@dataclass(frozen=True)
class DeleteConflict(FieldConflict):
    """Deleted on one side, changed on the other: ``pack_fields`` are the visit's changed
    fields (taken when the user keeps the visit's version of a record the office deleted)."""

    pack_fields: Mapping[str, Any] = field(default_factory=dict)


def decide(base: Any, office: Any, pack: Any) -> Literal["office", "pack", "conflict"]:
    if pack == base or office == pack:
        return "office"
    if office == base:
        return "pack"
    return "conflict"


def _changed(base: Row, now: Row) -> dict[str, Any]:
    return {name: value for name, value in now.items()
            if name != DELETED and base.get(name) != value}


def plan(base: Mapping[Key, Row], office: Mapping[Key, Row | None],
         pack: Mapping[Key, Row | None]) -> Plan:
    """The merge of every record the pack holds or held. ``office``/``pack`` map a key to the
    record now, or None when that side no longer has it at all (purged), and need only hold
    the keys of ``base`` and the records new on the visit."""
    result = Plan()
    for key in sorted(set(base) | set(pack)):
        _plan_record(result, key, base.get(key), office.get(key), pack.get(key))
    return result


def _plan_record(result: Plan, key: Key, base: Row | None, office: Row | None,
                 pack: Row | None) -> None:
    table, record_id = key
    if base is None:  # new on the visit (or new on both with one id: fields merged from {})
        if pack is None:
            return
        if office is None:
            if not pack.get(DELETED):  # made and deleted on the visit: nothing to bring
                result.creates.append(key)
            return
        base = {name: None for name in pack} | {DELETED: pack.get(DELETED, False)}
    if pack is None:  # purged on the laptop: as deleted there
        pack = {**base, DELETED: True}
    if office is None:  # purged in the office
        if _changed(base, pack) or pack.get(DELETED) != base.get(DELETED):
            result.purged.append(key)
        return
    was, office_gone, pack_gone = (bool(base.get(DELETED)), bool(office.get(DELETED)),
                                   bool(pack.get(DELETED)))
    if office_gone and pack_gone and not was:
        return  # deleted on both sides: nothing to do (whatever either changed before)
    office_fields, pack_fields = _changed(base, office), _changed(base, pack)
    if pack_gone and not was and not office_gone:  # deleted on the visit
        if office_fields:
            result.conflicts.append(DeleteConflict(table, record_id, DELETED, False, False,
                                                   True))
        else:
            result.deletes.append(key)
        return
    if office_gone and not was and not pack_gone:  # deleted in the office
        if pack_fields:
            result.conflicts.append(DeleteConflict(table, record_id, DELETED, False, True,
                                                   False, pack_fields=pack_fields))
        return
    if was and not pack_gone and office_gone:  # brought back on the visit
        result.restores.append(key)
    take: dict[str, Any] = {}
    for name in sorted(set(office_fields) | set(pack_fields)):
        decision = decide(base.get(name), office.get(name), pack.get(name))
        if decision == "pack":
            take[name] = pack.get(name)
        elif decision == "conflict":
            result.conflicts.append(FieldConflict(table, record_id, name, base.get(name),
                                                  office.get(name), pack.get(name)))
    if take:
        result.updates[key] = take


def merged_rows(office: Mapping[Key, Row | None], pack: Mapping[Key, Row | None],
                result: Plan) -> dict[Key, Row | None]:
    """The office after applying ``result`` (pure; the tests' model of apply): every key of
    either side, its fields as merged."""
    rows: dict[Key, Row | None] = {k: (dict(v) if v is not None else None)
                                   for k, v in office.items()}
    for key in result.creates:
        created = pack[key]
        rows[key] = dict(created) if created is not None else None
    for key in result.restores:
        current = rows.get(key)
        if current is not None:
            rows[key] = {**current, DELETED: False}
    for key, fields in result.updates.items():
        current = rows.get(key)
        if current is not None:
            rows[key] = {**current, **fields}
    for key in result.deletes:
        current = rows.get(key)
        if current is not None:
            rows[key] = {**current, DELETED: True}
    return rows


def keys_of(conflicts: Iterable[FieldConflict]) -> set[tuple[str, str, str]]:
    return {c.key for c in conflicts}
