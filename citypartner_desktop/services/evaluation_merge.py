"""An evaluation saved by a colleague while it was open in the editor: the same three-way rule
as any record (services.conflicts.decide), applied to every part of the evaluation — each core
field, each OECD-DAC score, each health-check rating, each KPI measurement and each action item
(by its id: edited, added or removed on either side).

A part only one side changed takes that side's value without asking; a part both changed to
different values is a conflict the user settles (``evaluations.parts_of`` makes the parts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.repositories import changes as changes_repo
from citypartner_desktop.services import conflicts, evaluations, records
from citypartner_desktop.services.conflicts import Conflict, FieldConflict, Side
from citypartner_desktop.services.evaluations import EvaluationForm, GoalInfo, day_of, parts_of

_CRITERIA = dict(vocab.CRITERIA)
_SIDES = dict(vocab.HEALTH_SIDES)
_ASPECTS = dict(vocab.HEALTH_ASPECTS)
_RAG = dict(vocab.RAG)


@dataclass(frozen=True)
class EvaluationConflict:
    """What the editor needs after a refused save: the conflict as the conflict dialog shows
    it, the evaluation as it is now (``theirs``) with its version, and the user's and the
    loaded form to merge with the choices made."""

    conflict: Conflict
    base: EvaluationForm
    mine: EvaluationForm
    theirs: EvaluationForm
    version: int
    partnership: str
    goals: tuple[GoalInfo, ...]

    def merged(self, choices: Mapping[str, Side] | None = None) -> EvaluationForm:
        return merged(self.base, self.mine, self.theirs, self.conflict, choices or {})


def merged(base: EvaluationForm, mine: EvaluationForm, theirs: EvaluationForm,
           conflict: Conflict, choices: Mapping[str, Side]) -> EvaluationForm:
    """The form to save: mine, with every part only they changed and every conflict chosen
    "theirs" taken from their version."""
    unknown = set(choices) - {f.name for f in conflict.fields}
    if unknown:
        raise ValueError(f"not conflicting parts: {', '.join(sorted(unknown))}")
    take = {f.name for f in conflict.taken} | {k for k, s in choices.items() if s == "theirs"}
    form = replace(mine, scores=dict(mine.scores), health=dict(mine.health),
                   kpis=dict(mine.kpis), actions=list(mine.actions))
    for key in take:
        head, _, rest = key.partition(".")
        if key in evaluations.CORE_FIELDS:
            setattr(form, key, getattr(theirs, key))
        elif head == "score":
            form.scores[rest] = theirs.scores.get(rest, (None, ""))
        elif head == "health":
            side, aspect = rest.split(".", 1)
            form.health[(side, aspect)] = theirs.health.get((side, aspect), (None, ""))
        elif head == "kpi":
            form.kpis[rest] = theirs.kpis.get(rest, (None, ""))
        elif head == "action":
            form.actions = [a for a in form.actions if a.id != rest]
            theirs_item = next((a for a in theirs.actions if a.id == rest), None)
            if theirs_item is not None:
                form.actions.append(theirs_item)
    form.actions.sort(key=lambda a: (str(day_of(a.due_date) or ""), a.title))
    return form


def _label(key: str, goals: Mapping[str, str], titles: Mapping[str, str]) -> str:
    head, _, rest = key.partition(".")
    if key in evaluations.CORE_FIELDS:
        return spec_for("evaluation").field(key).label
    if head == "score":
        return f"Score: {_CRITERIA.get(rest, rest)}"
    if head == "health":
        side, aspect = rest.split(".", 1)
        return f"Health check: {_SIDES.get(side, side)}, {_ASPECTS.get(aspect, aspect)}"
    if head == "kpi":
        return f"KPI: {goals.get(rest, rest)}"
    return f"Action item: {titles.get(rest, rest)}"


def _text(key: str, value: Any, partnership: str) -> str:
    head = key.partition(".")[0]
    if value is None:
        return "(removed)" if head == "action" else ""
    if key in evaluations.CORE_FIELDS:
        field = spec_for("evaluation").field(key)
        return conflicts.shown(field, value, partnership if key == "partnership_id" else None)
    if head == "score":
        score, rationale = value
        return " – ".join(p for p in (str(score or "–"), rationale) if p)
    if head == "health":
        rating, note = value
        return " – ".join(p for p in (_RAG.get(rating, rating), note) if p)
    if head == "kpi":
        number, note = value
        shown = f"{number:.15g}" if isinstance(number, float) else str(number)
        return " – ".join(p for p in (shown, note) if p)
    title, owner, due = value
    when = due.isoformat() if isinstance(due, date) else str(due or "")
    return " · ".join(p for p in (title, owner, when) if p)


def _history(uow: UnitOfWork, evaluation_id: str
             ) -> tuple[dict[str, tuple[str, datetime]], tuple[str, datetime] | None]:
    """Who last changed each core field, and who last saved any part of the evaluation."""
    fields: dict[str, tuple[str, datetime]] = {}
    newest: tuple[str, datetime] | None = None
    with uow:
        history = changes_repo.of_record(uow.session, "evaluation", evaluation_id,
                                         conflicts.HISTORY_DEPTH)
        children = [(kind, child) for kind in ("health_check", "kpi_measurement", "action")
                    for child in records.ids_in(uow, kind, "evaluation_id", evaluation_id)]
        for kind, child in children:
            history += changes_repo.of_record(uow.session, kind, child, 1)
    for name, _old, _new, when, who in history:
        stamp = (who, conflicts.utc(when))
        if name in evaluations.CORE_FIELDS and (name not in fields or stamp[1] > fields[name][1]):
            fields[name] = stamp
        if name != "*" and (newest is None or stamp[1] > newest[1]):
            newest = stamp
    return fields, newest


def compute(uow: UnitOfWork, evaluation_id: str, base: EvaluationForm,
            mine: EvaluationForm) -> EvaluationConflict:
    """Compare the form the editor loaded (``base``), the user's (``mine``) and the evaluation
    as it is now."""
    loaded = evaluations.load(uow, evaluation_id)
    theirs = loaded.form
    current = records.get(uow, "evaluation", evaluation_id)
    goals = {g.id: g.title for g in loaded.goals}
    titles = {a.id: a.title for a in (*base.actions, *theirs.actions, *mine.actions) if a.id}
    fields, newest = _history(uow, evaluation_id)
    flat_base, flat_mine, flat_theirs = parts_of(base), parts_of(mine), parts_of(theirs)
    found: list[FieldConflict] = []
    taken: list[FieldConflict] = []
    for key in sorted({*flat_base, *flat_mine, *flat_theirs}, key=_order):
        was, now_mine, now_theirs = (flat_base.get(key), flat_mine.get(key),
                                     flat_theirs.get(key))
        decision = conflicts.decide(was, now_mine, now_theirs)
        if decision == "mine":
            continue
        who, when = fields.get(key) or newest or (None, None)
        entry = FieldConflict(
            name=key, label=_label(key, goals, titles), original=was, mine=now_mine,
            theirs=now_theirs, mine_text=_text(key, now_mine, loaded.partnership),
            theirs_text=_text(key, now_theirs, loaded.partnership),
            changed_by=who, changed_at=when)
        (found if decision == "conflict" else taken).append(entry)
    conflict = Conflict(kind="evaluation", current=current, mine={}, untouched=frozenset(),
                        fields=tuple(found), taken=tuple(taken),
                        changed_by=newest[0] if newest else None,
                        changed_at=newest[1] if newest else None)
    return EvaluationConflict(conflict, base, mine, theirs, loaded.version, loaded.partnership,
                              loaded.goals)


def _order(key: str) -> tuple[int, str]:
    """Core fields first in the editor's order, then scores, health, KPIs, action items."""
    core = evaluations.CORE_FIELDS
    if key in core:
        return (core.index(key), "")
    heads = ("score", "health", "kpi", "action")
    return (len(core) + heads.index(key.partition(".")[0]), key)

