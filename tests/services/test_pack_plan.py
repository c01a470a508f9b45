"""The visit-pack merge planner (``visit_packs.plan``) by its properties: random bases and
random edit histories on the office and the laptop, checked against the three-way rules."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citypartner_desktop.services.visit_packs.plan import (
    DELETED,
    DeleteConflict,
    FieldConflict,
    Key,
    Plan,
    Side,
    keys_of,
    merged_rows,
    plan,
)

TABLES = ("cities", "contacts")
FIELDS = ("name", "note", "rank")
VALUES: tuple[Any, ...] = ("a", "b", "c", None)  # few values: both sides often pick the same
Row = dict[str, Any]
Rows = dict[Key, Row | None]
ConflictKey = tuple[str, str, str]
FAST = settings(max_examples=300, deadline=None)


# -- edit histories -------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Op:
    """One edit on one side: ``edit`` a field, ``delete``/``restore``/``purge`` a record,
    ``create`` one. Drawn with ``pick`` (which fitting record) and resolved to ``key``."""

    kind: str
    pick: int = 0
    field: str = FIELDS[0]
    value: Any = None
    table: str = TABLES[0]
    row: Row | None = None
    key: Key | None = None


def _live(row: Row | None) -> bool:
    return row is not None and not row[DELETED]


def _fits(op: Op, row: Row | None) -> bool:
    if op.kind in ("edit", "delete"):
        return _live(row)
    if op.kind == "restore":
        return row is not None and bool(row[DELETED])
    if op.kind == "purge":
        return row is not None
    raise AssertionError(op.kind)


def _apply(state: Rows, op: Op) -> None:
    """One resolved edit; the caller knows it fits."""
    assert op.key is not None
    if op.kind == "create":
        assert op.row is not None and op.key not in state
        state[op.key] = dict(op.row)
        return
    row = state[op.key]
    assert _fits(op, row) and row is not None
    if op.kind == "edit":
        state[op.key] = {**row, op.field: op.value}
    elif op.kind == "delete":
        state[op.key] = {**row, DELETED: True}
    elif op.kind == "restore":
        state[op.key] = {**row, DELETED: False}
    else:
        state[op.key] = None


def _resolve(start: Mapping[Key, Row | None], drawn: list[Op], prefix: str
             ) -> tuple[Rows, list[Op]]:
    """Play ``drawn`` on a copy of ``start``: each edit lands on a record it fits (skipped
    when there is none), new records get ids ``prefix0``, ``prefix1``, …"""
    state: Rows = {k: (dict(v) if v is not None else None) for k, v in start.items()}
    done: list[Op] = []
    for op in drawn:
        if op.kind == "create":
            key = (op.table, f"{prefix}{sum(o.kind == 'create' for o in done)}")
        else:
            fitting = sorted(k for k, v in state.items() if _fits(op, v))
            if not fitting:
                continue
            key = fitting[op.pick % len(fitting)]
        resolved = dataclasses.replace(op, key=key)
        _apply(state, resolved)
        done.append(resolved)
    return _settled(start, state), done


def _replay(start: Mapping[Key, Row | None], ops: list[Op]) -> Rows:
    state: Rows = {k: (dict(v) if v is not None else None) for k, v in start.items()}
    for op in ops:
        _apply(state, op)
    return _settled(start, state)


def _settled(start: Mapping[Key, Row | None], state: Rows) -> Rows:
    """A record made and purged on one side was never there."""
    return {k: v for k, v in state.items() if v is not None or k in start}


def rows_(deleted: st.SearchStrategy[bool]) -> st.SearchStrategy[Row]:
    return st.builds(lambda values, gone: {**dict(zip(FIELDS, values, strict=True)),
                                           DELETED: gone},
                     st.tuples(*(st.sampled_from(VALUES) for _ in FIELDS)), deleted)


# built once: hypothesis validates every strategy object it is handed
ROWS = rows_(st.sampled_from((False, False, False, True)))  # mostly live
PICKS = st.integers(0, 2)  # the first few fitting records: both sides often edit the same
FIELD_NAMES = st.sampled_from(FIELDS)
VALUE = st.sampled_from(VALUES)
TABLE = st.sampled_from(TABLES)
EDIT_KINDS = ("edit",) * 8 + ("delete", "restore", "create")
KINDS = {True: st.sampled_from((*EDIT_KINDS, "purge")), False: st.sampled_from(EDIT_KINDS)}


@st.composite
def one_op(draw: st.DrawFn, *, purge: bool) -> Op:
    kind = draw(KINDS[purge])
    if kind == "create":
        return Op(kind, table=draw(TABLE), row=draw(ROWS))
    if kind == "edit":
        return Op(kind, draw(PICKS), draw(FIELD_NAMES), draw(VALUE))
    return Op(kind, draw(PICKS))


HISTORIES = {p: st.lists(one_op(purge=p), max_size=8) for p in (True, False)}
RECORDS_PER_TABLE = st.integers(0, 3)


@dataclasses.dataclass
class Scenario:
    base: dict[Key, Row]
    office: Rows
    pack: Rows
    office_ops: list[Op]
    pack_ops: list[Op]


@st.composite
def scenarios(draw: st.DrawFn, *, purge: bool = True, office_edits: bool = True,
              pack_edits: bool = True) -> Scenario:
    """A base of a few records in two tables (some deleted), then each side's history; often
    the laptop edits the fields the office edited too (values of its own), else conflicts
    would be rare."""
    base: dict[Key, Row] = {}
    for table in TABLES:
        for n in range(draw(RECORDS_PER_TABLE)):
            base[(table, f"b{n}")] = draw(ROWS)
    office_drawn = draw(HISTORIES[purge]) if office_edits else []
    pack_drawn = draw(HISTORIES[purge]) if pack_edits else []
    if pack_edits and draw(st.booleans()):
        pack_drawn = [dataclasses.replace(op, value=draw(VALUE))
                      for op in office_drawn if op.kind == "edit"] + pack_drawn
    office, office_ops = _resolve(base, office_drawn, "o")
    pack, pack_ops = _resolve(base, pack_drawn, "p")
    return Scenario(base, office, pack, office_ops, pack_ops)


# -- what the rules say, written out independently of plan() ---------------------------------
def _now(s: Scenario, key: Key) -> Row | None:
    """The pack's record; one purged on the laptop counts as deleted there (plan's rule)."""
    return _pack_row(s.base, s.pack, key)


def _pack_row(base: Mapping[Key, Row], pack: Rows, key: Key) -> Row | None:
    row = pack.get(key)
    if row is None and key in base:
        return {**base[key], DELETED: True}
    return row


def _changed(base: Row, now: Row) -> set[str]:
    return {f for f in now if f != DELETED and base.get(f) != now[f]}


def expected_conflicts(s: Scenario) -> set[ConflictKey]:
    found: set[ConflictKey] = set()
    for key, base in s.base.items():
        office, pack = s.office.get(key), _now(s, key)
        if office is None or pack is None:  # purged in the office: not the visit's business
            continue
        was, office_gone, pack_gone = base[DELETED], office[DELETED], pack[DELETED]
        office_changed, pack_changed = _changed(base, office), _changed(base, pack)
        if not was and office_gone and pack_gone:  # deleted on both: nothing to do
            continue
        if not was and office_gone != pack_gone:  # deleted on one side only
            if (pack_changed if office_gone else office_changed):
                found.add((*key, DELETED))
            continue
        found |= {(*key, f) for f in office_changed & pack_changed if office[f] != pack[f]}
    return found


def _all(conflicts: list[FieldConflict], side: Side) -> dict[ConflictKey, Side]:
    return {c.key: side for c in conflicts}


# -- the properties ---------------------------------------------------------------------------
@FAST
@given(scenarios())
def test_a_field_changed_on_one_side_only_takes_that_sides_value(s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    merged = merged_rows(s.office, s.pack, result)
    record_conflicts = {(t, i) for t, i, f in keys_of(result.conflicts) if f == DELETED}
    for key, base in s.base.items():
        office, pack = s.office.get(key), _now(s, key)
        if office is None or pack is None or key in record_conflicts:
            continue
        row = merged[key]
        assert row is not None
        office_changed, pack_changed = _changed(base, office), _changed(base, pack)
        for f in office_changed - pack_changed:
            assert row[f] == office[f], (key, f)
        # the visit's edits of a record deleted since it was packed: deleted on one side it
        # is a conflict or a deletion (by example below); on both, nothing to do
        if base[DELETED] or not (office[DELETED] or pack[DELETED]):
            for f in pack_changed - office_changed:
                assert row[f] == pack[f], (key, f)
        # and the record's deletion: one side's change of it wins
        if office[DELETED] == base[DELETED]:
            assert row[DELETED] == pack[DELETED], key
        elif pack[DELETED] == base[DELETED]:
            assert row[DELETED] == office[DELETED], key


@FAST
@given(scenarios())
def test_conflicts_are_exactly_what_both_sides_changed_differently(s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    assert keys_of(result.conflicts) == expected_conflicts(s)
    assert len(result.conflicts) == len(keys_of(result.conflicts))
    for c in result.conflicts:  # each says what each side did
        key = (c.table, c.record_id)
        office, pack = s.office[key], _now(s, key)
        assert office is not None and pack is not None
        assert (c.base, c.office, c.pack) == (s.base[key][c.field], office[c.field],
                                              pack[c.field])
        assert (c.field == DELETED) == isinstance(c, DeleteConflict)
        if isinstance(c, DeleteConflict):
            changed = _changed(s.base[key], pack) if c.office else set()
            assert c.pack_fields == {f: pack[f] for f in changed}
    conflicted = keys_of(result.conflicts)
    for key, fields in result.updates.items():  # nothing conflicted is taken unasked
        assert not {(*key, f) for f in fields} & conflicted


@FAST
@given(scenarios())
def test_merging_twice_is_merging_once(s: Scenario) -> None:
    first = plan(s.base, s.office, s.pack)
    merged = merged_rows(s.office, s.pack, first)
    again = plan(s.base, merged, s.pack)
    assert (again.creates, again.updates, again.deletes, again.restores) == ([], {}, [], [])
    assert keys_of(again.conflicts) == keys_of(first.conflicts)
    assert merged_rows(merged, s.pack, again) == merged


@FAST
@given(scenarios())
def test_all_conflicts_taken_from_the_pack_leave_nothing_to_merge(s: Scenario) -> None:
    first = plan(s.base, s.office, s.pack)
    merged = merged_rows(s.office, s.pack, first.chosen(_all(first.conflicts, "pack")))
    again = plan(s.base, merged, s.pack)
    assert again.is_empty() or again.purged


def _interleaved(ops: list[Op], order: list[int]) -> list[Op]:
    """``ops`` in another order, each record's own edits still in theirs: the edits of
    different records done in another order."""
    shuffled = [ops[n] for n in order]
    queues: dict[Key | None, list[Op]] = {}
    for op in ops:
        queues.setdefault(op.key, []).append(op)
    return [queues[op.key].pop(0) for op in shuffled]


@FAST
@given(scenarios(), st.data())
def test_the_order_of_the_edits_does_not_matter(s: Scenario, data: st.DataObject) -> None:
    office_order = data.draw(st.permutations(range(len(s.office_ops))))
    pack_order = data.draw(st.permutations(range(len(s.pack_ops))))
    office = _replay(s.base, _interleaved(s.office_ops, office_order))
    pack = _replay(s.base, _interleaved(s.pack_ops, pack_order))
    assert (office, pack) == (s.office, s.pack)
    # …and neither does the order the records are handed over in
    backwards: Rows = dict(reversed(list(office.items())))
    shuffled: Rows = {k: pack[k] for k in data.draw(st.permutations(sorted(pack)))}
    base = dict(reversed(list(s.base.items())))
    assert plan(base, backwards, shuffled) == plan(s.base, s.office, s.pack)


@FAST
@given(scenarios(purge=False))
def test_office_and_pack_swapped_find_the_same_conflicts(s: Scenario) -> None:
    """Purged records are not symmetric (purged in the office: the visit's changes are
    listed as gone; purged on the laptop: as deleted there), so none here."""
    office_only = {k: v for k, v in s.office.items() if k not in s.base}
    pack_only = {k: v for k, v in s.pack.items() if k not in s.base}
    forward = plan(s.base, s.office | {k: None for k in pack_only if k not in s.office},
                   s.pack)
    swapped = plan(s.base, s.pack | {k: None for k in office_only if k not in s.pack},
                   s.office)
    assert keys_of(forward.conflicts) == keys_of(swapped.conflicts)


@FAST
@given(scenarios())
def test_records_only_the_office_has_are_left_alone(s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    merged = merged_rows(s.office, s.pack, result)
    assert result.purged == sorted(k for k in s.base  # purged in the office, changed on the visit
                                   if s.office.get(k) is None and _now(s, k) != s.base[k])
    for key, row in s.office.items():
        if key not in s.base and key not in s.pack:
            assert merged[key] == row, key
        if row is None:  # purged in the office: the merge brings nothing back
            assert merged[key] is None, key
    # new on the visit: brought home unless deleted there too (made and deleted: nothing)
    assert set(merged) == set(s.office) | {k for k, v in s.pack.items()
                                           if k not in s.base and v is not None
                                           and not v[DELETED]}


@FAST
@given(scenarios())
def test_choosing_the_pack_takes_the_packs_values_choosing_nothing_the_offices(
        s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    unchanged = copy.deepcopy(result)
    for choices in ({}, _all(result.conflicts, "office")):
        assert result.chosen(choices) == result
    kept = merged_rows(s.office, s.pack, result)
    taken = merged_rows(s.office, s.pack, result.chosen(_all(result.conflicts, "pack")))
    assert result == unchanged  # chosen() makes a new plan
    for c in result.conflicts:
        key = (c.table, c.record_id)
        office, pack, was = s.office[key], _now(s, key), s.base[key]
        assert office is not None and pack is not None
        now_kept, now_taken = kept[key], taken[key]
        assert now_kept is not None and now_taken is not None
        assert now_kept[c.field] == office[c.field], c.key
        assert now_taken[c.field] == pack[c.field], c.key
        if c.field == DELETED and not pack[DELETED]:  # back, with the visit's changes
            for f in _changed(was, pack):
                assert now_taken[f] == pack[f], (c.key, f)


@FAST
@given(scenarios(pack_edits=False))
def test_an_unchanged_pack_changes_nothing(s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    assert result.is_empty()
    assert merged_rows(s.office, s.pack, result) == s.office


@FAST
@given(scenarios(office_edits=False))
def test_an_unchanged_office_takes_the_pack(s: Scenario) -> None:
    result = plan(s.base, s.office, s.pack)
    merged = merged_rows(s.office, s.pack, result)
    assert result.conflicts == [] and result.purged == []
    for key in set(s.base) | set(s.pack):
        pack, row = _now(s, key), merged.get(key)
        assert pack is not None
        if key not in s.base and pack[DELETED]:
            assert row is None, key  # made and deleted on the visit: never brought home
            continue
        assert row is not None
        if not pack[DELETED]:
            assert row == pack, key
        else:
            assert row[DELETED], key


# -- the rules by example -----------------------------------------------------------------------
CITY: Key = ("cities", "c1")
BASE = {CITY: {"name": "Kraków", "note": None, DELETED: False}}


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = {CITY: {"name": "Krakow", "note": None, DELETED: False}}
    assert plan(BASE, both, both).is_empty()


def test_different_changes_to_one_field_are_a_conflict_the_office_keeps() -> None:
    office = {CITY: {"name": "Cracow", "note": None, DELETED: False}}
    pack = {CITY: {"name": "Krakau", "note": None, DELETED: False}}
    result = plan(BASE, office, pack)
    assert result.conflicts == [FieldConflict("cities", "c1", "name", "Kraków", "Cracow",
                                              "Krakau")]
    assert merged_rows(office, pack, result)[CITY] == office[CITY]
    taken = result.chosen({("cities", "c1", "name"): "pack"})
    assert merged_rows(office, pack, taken)[CITY] == pack[CITY]


def test_different_fields_changed_on_each_side_are_both_kept() -> None:
    office = {CITY: {"name": "Cracow", "note": None, DELETED: False}}
    pack = {CITY: {"name": "Kraków", "note": "twinned 1990", DELETED: False}}
    result = plan(BASE, office, pack)
    assert result.updates == {CITY: {"note": "twinned 1990"}} and not result.conflicts
    assert merged_rows(office, pack, result)[CITY] == {"name": "Cracow",
                                                       "note": "twinned 1990", DELETED: False}


def test_deleted_on_the_visit_and_edited_in_the_office_is_a_deleted_conflict() -> None:
    office = {CITY: {"name": "Cracow", "note": None, DELETED: False}}
    pack = {CITY: {"name": "Kraków", "note": None, DELETED: True}}
    result = plan(BASE, office, pack)
    assert keys_of(result.conflicts) == {("cities", "c1", DELETED)}
    (conflict,) = result.conflicts
    assert (conflict.office, conflict.pack) == (False, True)
    assert not (result.deletes or result.updates)
    assert merged_rows(office, pack, result)[CITY] == office[CITY]
    taken = merged_rows(office, pack, result.chosen({conflict.key: "pack"}))[CITY]
    assert taken is not None and taken[DELETED] is True


def test_deleted_in_the_office_and_edited_on_the_visit_comes_back_only_when_chosen() -> None:
    office = {CITY: {"name": "Kraków", "note": None, DELETED: True}}
    pack = {CITY: {"name": "Kraków", "note": "new", DELETED: False}}
    result = plan(BASE, office, pack)
    (conflict,) = result.conflicts
    assert isinstance(conflict, DeleteConflict) and conflict.pack_fields == {"note": "new"}
    assert merged_rows(office, pack, result)[CITY] == office[CITY]
    assert merged_rows(office, pack, result.chosen({conflict.key: "pack"}))[CITY] == pack[CITY]


def test_deleted_on_one_side_only_is_deleted_and_on_both_is_nothing() -> None:
    gone = {CITY: {**BASE[CITY], DELETED: True}}
    assert plan(BASE, BASE, gone).deletes == [CITY]
    assert plan(BASE, gone, BASE).is_empty()
    assert plan(BASE, gone, gone).is_empty()


def test_a_record_new_on_the_visit_is_created_and_one_purged_in_the_office_listed() -> None:
    new: Key = ("contacts", "n1")
    pack: dict[Key, Row | None] = {CITY: {**BASE[CITY], "note": "x"},
                                   new: {"full_name": "Anna", DELETED: False}}
    result = plan(BASE, {CITY: None}, pack)
    assert result.creates == [new] and result.purged == [CITY]
    merged = merged_rows({CITY: None}, pack, result)
    assert merged == {CITY: None, new: pack[new]}


def test_a_record_purged_on_the_laptop_counts_as_deleted_there() -> None:
    assert plan(BASE, BASE, {CITY: None}).deletes == [CITY]
    edited = {CITY: {**BASE[CITY], "note": "x"}}
    assert keys_of(plan(BASE, edited, {CITY: None}).conflicts) == {("cities", "c1", DELETED)}


def test_choosing_what_is_no_conflict_is_refused() -> None:
    office = {CITY: {"name": "Cracow", "note": None, DELETED: False}}
    pack = {CITY: {"name": "Krakau", "note": None, DELETED: False}}
    result = plan(BASE, office, pack)
    with pytest.raises(ValueError, match="not conflicts of this pack"):
        result.chosen({("cities", "c1", "note"): "pack"})
    with pytest.raises(ValueError):
        Plan().chosen({("cities", "c1", "name"): "office"})


def test_a_record_new_on_both_sides_with_one_id_merges_from_nothing() -> None:
    new: Key = ("contacts", "n1")
    office = {new: {"full_name": "Anna", "email": "a@x.pl", DELETED: False}}
    pack = {new: {"full_name": "Anna", "email": "anna@x.pl", DELETED: False}}
    result = plan({}, office, pack)
    assert not result.creates and keys_of(result.conflicts) == {("contacts", "n1", "email")}


# -- deleted on both sides is nothing to do (a bug these found, fixed) ----------------------------
def test_a_record_edited_then_deleted_on_the_visit_is_merged_once() -> None:
    pack = {CITY: {"name": "Krakau", "note": None, DELETED: True}}
    first = plan(BASE, BASE, pack)
    assert first.deletes == [CITY] and not first.updates
    merged = merged_rows(BASE, pack, first)
    assert plan(BASE, merged, pack).is_empty()  # was: updates {CITY: {"name": "Krakau"}}


def test_deleted_on_both_sides_after_different_edits_is_nothing_to_do() -> None:
    office = {CITY: {"name": "Cracow", "note": None, DELETED: True}}
    pack = {CITY: {"name": "Krakau", "note": None, DELETED: True}}
    assert plan(BASE, office, pack).is_empty()  # was: a conflict on "name"
