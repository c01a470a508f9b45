"""A save refused because a colleague saved the record first (optimistic concurrency): what each
side did to each field, who changed it and when, and the values to save once the user chose.

Three versions of every field: the *original* (what the edit dialog loaded), *mine* (what the
user has now) and *theirs* (what the record holds now). ``decide`` is the rule, pure: a field
only I changed keeps mine, a field only they changed takes theirs, and a field both changed to
different values is a conflict the user settles ("mine" or "theirs"). Values are compared as
the record service stores them (parsed through the field's spec), so an empty text and no value,
or "1 250,50" and 1250.5, are the same.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import RecordData
from citypartner_desktop.domain.specs import FieldKind, FieldSpec, spec_for
from citypartner_desktop.domain.validation import parse_field
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.repositories import records as records_repo
from citypartner_desktop.services import records, rules

Side = Literal["mine", "theirs"]
Decision = Literal["mine", "theirs", "conflict"]
HISTORY_DEPTH = 500


def decide(original: Any, mine: Any, theirs: Any) -> Decision:
    """Whose value a field takes when both sides started from ``original`` (values compared as
    stored): a conflict only when both changed it, to different values."""
    if theirs == original or mine == theirs:
        return "mine"
    if mine == original:
        return "theirs"
    return "conflict"


@dataclass(frozen=True)
class FieldConflict:
    """One field changed elsewhere since the dialog opened. ``mine`` is the value as the user
    gave it (raw, for the save), ``original`` and ``theirs`` as stored; the texts are how they
    read on screen (a reference by its record's name). ``changed_by``/``changed_at`` (UTC):
    the last change of this field in the history."""

    name: str
    label: str
    original: Any
    mine: Any
    theirs: Any
    mine_text: str
    theirs_text: str
    changed_by: str | None
    changed_at: datetime | None


@dataclass(frozen=True)
class Conflict:
    """The record as it is now, the fields both sides changed (``fields``: the user chooses),
    and those only the colleague changed (``taken``: their values are kept without asking)."""

    kind: str
    current: RecordData
    mine: Mapping[str, Any]
    untouched: frozenset[str]
    fields: tuple[FieldConflict, ...]
    taken: tuple[FieldConflict, ...]
    changed_by: str | None  # who saved the record last, and when (UTC)
    changed_at: datetime | None

    @property
    def taken_silently(self) -> list[str]:
        return [f.name for f in self.taken]

    @property
    def needs_choice(self) -> bool:
        return bool(self.fields)

    def merged(self, choices: Mapping[str, Side] | None = None) -> dict[str, Any]:
        """The values to save: mine, except the fields only the colleague changed (theirs) and
        the conflicting ones whose choice is "theirs" (each unchosen conflict keeps mine)."""
        choices = dict(choices or {})
        unknown = set(choices) - {f.name for f in self.fields}
        if unknown:
            raise ValueError(f"not conflicting fields: {', '.join(sorted(unknown))}")
        bad = {n for n, side in choices.items() if side not in ("mine", "theirs")}
        if bad:
            raise ValueError(f"choose mine or theirs for: {', '.join(sorted(bad))}")
        theirs = {f.name for f in self.taken} | {n for n, s in choices.items() if s == "theirs"}
        values = dict(self.mine)
        for name in values:
            # A field the user never touched is saved as stored now: the stored value exactly,
            # never its text in an editor (which may show fewer digits).
            if name in theirs or name in self.untouched:
                values[name] = self.current.values.get(name)
        return values


@dataclass(frozen=True)
class Moved:
    """A record saved elsewhere since a dialog loaded it: its version now (None: deleted), and
    who saved it last and when (UTC), when the history says."""

    version: int | None
    changed_by: str | None
    changed_at: datetime | None

    @property
    def deleted(self) -> bool:
        return self.version is None


def utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def stored(field: FieldSpec, value: Any, region: str | None) -> Any:
    """A value as the record service would store it; what cannot be parsed stays as given (it
    then differs from any stored value, and the save will say what is wrong with it)."""
    try:
        return parse_field(field, value, phone_region=region)
    except ValueError:
        return value.strip() if isinstance(value, str) else value


def shown(field: FieldSpec, value: Any, label: str | None) -> str:
    if field.kind is FieldKind.REF:
        return label or ("" if value is None else str(value))
    try:
        return display(field, value)
    except (TypeError, ValueError):
        return str(value)


def compute(
    uow: UnitOfWork,
    kind: str,
    record_id: str,
    original: RecordData,
    mine: Mapping[str, Any],
    untouched: Collection[str] = (),
) -> Conflict:
    """Compare what the dialog loaded (``original``), what the user has now (``mine``: the
    dialog's raw values) and the record now. ``untouched``: fields the user has not edited
    since ``original`` was loaded, whatever their editors' text (counted as unchanged)."""
    spec = spec_for(kind)
    current = records.get(uow, kind, record_id)
    with uow:
        region_mine = rules.phone_region(uow, spec, mine)
        region_stored = rules.phone_region(uow, spec, current.values)
        history = changes_repo.of_record(uow.session, kind, record_id, HISTORY_DEPTH)
        conflicts: list[FieldConflict] = []
        taken: list[FieldConflict] = []
        for field in spec.fields:
            name = field.name
            if name not in mine:
                continue
            base = stored(field, original.values.get(name), region_stored)
            theirs = stored(field, current.values.get(name), region_stored)
            given = base if name in untouched else stored(field, mine[name], region_mine)
            decision = decide(base, given, theirs)
            if decision == "mine":  # theirs unchanged, or both made the same change
                continue
            last = next(((who, when) for f, _o, _n, when, who in history if f == name), None)
            if given == base:
                mine_label = original.labels.get(name)
            elif given == theirs:
                mine_label = current.labels.get(name)
            elif field.kind is FieldKind.REF and field.ref and given:
                mine_label = records_repo.label(uow.session, field.ref, str(given))
            else:
                mine_label = None
            entry = FieldConflict(
                name=name,
                label=field.label,
                original=original.values.get(name),
                mine=mine[name],
                theirs=current.values.get(name),
                mine_text=shown(field, given, mine_label),
                theirs_text=shown(field, theirs, current.labels.get(name)),
                changed_by=last[0] if last else None,
                changed_at=utc(last[1]) if last else None,
            )
            (conflicts if decision == "conflict" else taken).append(entry)
    newest = next(((who, when) for f, _o, _n, when, who in history if f != "*"), None)
    return Conflict(
        kind=kind,
        current=current,
        mine=dict(mine),
        untouched=frozenset(untouched),
        fields=tuple(conflicts),
        taken=tuple(taken),
        changed_by=newest[0] if newest else None,
        changed_at=utc(newest[1]) if newest else None,
    )


def moved_since(uow: UnitOfWork, kind: str, record_id: str, version: int) -> Moved | None:
    """Whether the record was saved (or deleted) since ``version``; None while it was not."""
    with uow:
        record = records_repo.get(uow.session, kind, record_id)
        now = None if record is None or record.deleted_at is not None else int(record.version)
        if now == version:
            return None
        history = changes_repo.of_record(uow.session, kind, record_id, 1)
    last = history[0] if history else None
    return Moved(
        version=now,
        changed_by=last[4] if last else None,
        changed_at=utc(last[3]) if last else None,
    )
