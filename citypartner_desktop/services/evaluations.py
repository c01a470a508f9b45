"""The evaluation workflow: one evaluation with its scores, health check, KPI measurements and
action items, loaded and saved as a whole (one transaction), and two evaluations compared.

Every part is written through the records service inside one unit of work, so each row is
validated, audited and undoable like any other edit, and a refused part saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.deadlines import kpi_progress
from citypartner_desktop.domain.errors import NotFoundError, ValidationError
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.domain.validation import parse_date, parse_float
from citypartner_desktop.repositories import monitoring as monitoring_repo
from citypartner_desktop.services import conflicts, records

CORE_FIELDS = ("partnership_id", "period", "evaluated_on", "kind", "method", "evaluator",
               "findings", "lessons", "recommendation")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class GoalInfo:
    id: str
    title: str
    unit: str
    baseline: float | None
    target: float | None


@dataclass(frozen=True)
class ActionItem:
    """A follow-up the evaluation decides on; saved as an action of the partnership."""

    title: str
    owner: str = ""
    due_date: date | str | None = None  # as typed: checked when saved
    id: str | None = None  # set once saved
    done_date: date | None = None


@dataclass
class EvaluationForm:
    partnership_id: str
    period: str = ""
    evaluated_on: date | str | None = None
    kind: str = "annual"
    method: str = ""
    evaluator: str = ""
    findings: str = ""
    lessons: str = ""
    recommendation: str | None = None
    scores: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    # (side, aspect) -> (rating or None when not rated, note)
    health: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict)
    # goal id -> (actual as typed or a number, note); blank: not measured this time
    kpis: dict[str, tuple[float | str | None, str]] = field(default_factory=dict)
    actions: list[ActionItem] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedEvaluation:
    id: str
    version: int
    partnership: str
    form: EvaluationForm
    goals: tuple[GoalInfo, ...]


def goals_of(uow: UnitOfWork, partnership_id: str) -> tuple[GoalInfo, ...]:
    with uow:
        return _goals(uow, partnership_id)


def _goals(uow: UnitOfWork, partnership_id: str) -> tuple[GoalInfo, ...]:
    found = []
    for goal_id in records.ids_in(uow, "goal", "partnership_id", partnership_id):
        values, _ = records.values_in(uow, "goal", goal_id)
        found.append(GoalInfo(goal_id, values["title"], values.get("unit") or "",
                              values.get("baseline"), values.get("target")))
    return tuple(sorted(found, key=lambda g: g.title.casefold()))


def load(uow: UnitOfWork, evaluation_id: str) -> LoadedEvaluation:
    with uow:
        return _load_in(uow, evaluation_id)


def _load_in(uow: UnitOfWork, evaluation_id: str) -> LoadedEvaluation:
    try:
        values, version = records.values_in(uow, "evaluation", evaluation_id)
    except NotFoundError:
        raise NotFoundError(f"No evaluation with id {evaluation_id}.") from None
    form = EvaluationForm(
        partnership_id=values["partnership_id"], period=values["period"] or "",
        evaluated_on=values.get("evaluated_on"), kind=values["kind"],
        method=values.get("method") or "", evaluator=values.get("evaluator") or "",
        findings=values.get("findings") or "", lessons=values.get("lessons") or "",
        recommendation=values.get("recommendation"))
    form.scores = dict(values.get("scores") or {})
    for hid in records.ids_in(uow, "health_check", "evaluation_id", evaluation_id):
        h, _ = records.values_in(uow, "health_check", hid)
        form.health[(h["side"], h["aspect"])] = (h["rating"], h.get("note") or "")
    for kid in records.ids_in(uow, "kpi_measurement", "evaluation_id", evaluation_id):
        k, _ = records.values_in(uow, "kpi_measurement", kid)
        form.kpis[k["goal_id"]] = (k["actual"], k.get("note") or "")
    items = []
    for aid in records.ids_in(uow, "action", "evaluation_id", evaluation_id):
        a, _ = records.values_in(uow, "action", aid)
        items.append(ActionItem(a["title"], a.get("owner") or "", a.get("due_date"), aid,
                                a.get("done_date")))
    form.actions = sorted(items, key=lambda i: (str(i.due_date or ""), i.title))
    partnership, _ = records.values_in(uow, "partnership", form.partnership_id)
    return LoadedEvaluation(evaluation_id, version, partnership["title"], form,
                            _goals(uow, form.partnership_id))


def _measured(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_float(value)
        except ValueError:
            return value.strip()  # differs from any stored number; the save names it
    return None if value is None else float(value)


def day_of(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_date(value)
        except ValueError:
            return value.strip()
    return value


def parts_of(form: EvaluationForm) -> dict[str, Any]:
    """Every part of a form under a key of its own, as it would be stored (a typed number and
    the stored float, a blank and no value, compare equal). Action items that were never saved
    have no key: they are only ever on one side."""
    spec = spec_for("evaluation")
    parts: dict[str, Any] = {}
    for name in CORE_FIELDS:
        parts[name] = conflicts.stored(spec.field(name), getattr(form, name), None)
    for key, _label in vocab.CRITERIA:
        score, rationale = form.scores.get(key, (None, ""))
        entry = (score or None, (rationale or "").strip())
        if entry != (None, ""):
            parts[f"score.{key}"] = entry
    for (side, aspect), (rating, note) in form.health.items():
        if rating is not None:
            parts[f"health.{side}.{aspect}"] = (rating, (note or "").strip())
    for goal_id, (actual, note) in form.kpis.items():
        value = _measured(actual)
        if value is not None:
            parts[f"kpi.{goal_id}"] = (value, (note or "").strip())
    for item in form.actions:
        if item.id:
            parts[f"action.{item.id}"] = (item.title.strip(), (item.owner or "").strip(),
                                          day_of(item.due_date))
    return parts


def _precheck(form: EvaluationForm) -> dict[str, str]:
    """The parts the records service cannot name precisely enough: which criterion, which
    health aspect, which KPI, which action item is wrong."""
    errors: dict[str, str] = {}
    criteria = dict(vocab.CRITERIA)
    for key, (score, _rationale) in form.scores.items():
        if key not in criteria:
            errors[f"score.{key}"] = f"“{key}” is not an OECD-DAC criterion"
        elif score is not None and not 1 <= score <= 5:
            errors[f"score.{key}"] = f"{criteria[key]}: score {score} is not between 1 and 5"
    sides, aspects, ratings = (dict(vocab.HEALTH_SIDES), dict(vocab.HEALTH_ASPECTS),
                               dict(vocab.RAG))
    for (side, aspect), (rating, _note) in form.health.items():
        if side not in sides or aspect not in aspects:
            errors[f"health.{side}.{aspect}"] = f"unknown health check {side}/{aspect}"
        elif rating is not None and rating not in ratings:
            errors[f"health.{side}.{aspect}"] = (
                f"{sides[side]}, {aspects[aspect]}: “{rating}” is not red, amber or green")
    for goal_id, (actual, _note) in form.kpis.items():
        if isinstance(actual, str) and actual.strip():
            try:
                parse_float(actual)
            except ValueError as exc:
                errors[f"kpi.{goal_id}"] = str(exc)
    for n, item in enumerate(form.actions, 1):
        if not item.title.strip():
            errors[f"action.{n}.title"] = f"Action item {n}: what is to be done is required"
        if isinstance(item.due_date, str) and item.due_date.strip():
            try:
                parse_date(item.due_date)
            except ValueError as exc:
                errors[f"action.{n}.due_date"] = f"Action item {n}: due date {exc}"
    return errors


def save(uow: UnitOfWork, form: EvaluationForm, evaluation_id: str | None = None,
         expected_version: int | None = None) -> str:
    """Create or update the evaluation with all its parts in one transaction; returns its id.
    Bad input raises ValidationError naming each wrong part, and nothing is saved."""
    errors = _precheck(form)
    core: dict[str, Any] = {name: getattr(form, name) for name in CORE_FIELDS}
    core["scores"] = {k: v for k, v in form.scores.items()}
    if errors:  # name the core fields' problems too, so all are corrected in one go
        try:
            records.validate(uow, "evaluation", {**core, "scores": {}}, evaluation_id)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        raise ValidationError(errors)
    before: EvaluationForm | None = None
    with uow:
        if evaluation_id is None:
            evaluation_id = str(records.create_in(uow, "evaluation", core).id)
        else:
            before = _load_in(uow, evaluation_id).form
            record = records.update_in(uow, "evaluation", evaluation_id, core,
                                       expected_version=expected_version)
        _save_health(uow, evaluation_id, form)
        _save_kpis(uow, evaluation_id, form)
        _save_actions(uow, evaluation_id, form)
        if before is not None and parts_of(before) != parts_of(form):
            # Any change to a part is a new version of the evaluation, so an editor open
            # elsewhere finds out on its save (and merges) instead of overwriting it.
            record.updated_at = utcnow()
        uow.commit()
    return evaluation_id


def _child(uow: UnitOfWork, kind: str, prefix: str, record_id: str | None,
           values: dict[str, Any]) -> None:
    """Create or update one part; its errors are named after the part."""
    try:
        if record_id is None:
            records.create_in(uow, kind, values)
        else:
            records.update_in(uow, kind, record_id, values)
    except ValidationError as exc:
        raise ValidationError({f"{prefix}.{k}": v for k, v in exc.errors.items()}) from None


def _save_health(uow: UnitOfWork, evaluation_id: str, form: EvaluationForm) -> None:
    existing: dict[tuple[str, str], str | None] = {}
    for found in records.ids_in(uow, "health_check", "evaluation_id", evaluation_id):
        h, _ = records.values_in(uow, "health_check", found)
        existing[(h["side"], h["aspect"])] = found
    for (side, aspect), (rating, note) in form.health.items():
        hid = existing.pop((side, aspect), None)
        if rating is None:
            if hid is not None:
                records.delete_in(uow, "health_check", hid)
            continue
        _child(uow, "health_check", f"health.{side}.{aspect}", hid,
               {"evaluation_id": evaluation_id, "side": side, "aspect": aspect,
                "rating": rating, "note": note})


def _save_kpis(uow: UnitOfWork, evaluation_id: str, form: EvaluationForm) -> None:
    existing: dict[str, str | None] = {}
    for found in records.ids_in(uow, "kpi_measurement", "evaluation_id", evaluation_id):
        k, _ = records.values_in(uow, "kpi_measurement", found)
        existing[k["goal_id"]] = found
    for goal_id, (actual, note) in form.kpis.items():
        kid = existing.pop(goal_id, None)
        if actual is None or (isinstance(actual, str) and not actual.strip()):
            if kid is not None:
                records.delete_in(uow, "kpi_measurement", kid)
            continue
        _child(uow, "kpi_measurement", f"kpi.{goal_id}", kid,
               {"evaluation_id": evaluation_id, "goal_id": goal_id, "actual": actual,
                "note": note})


def _save_actions(uow: UnitOfWork, evaluation_id: str, form: EvaluationForm) -> None:
    existing = set(records.ids_in(uow, "action", "evaluation_id", evaluation_id))
    for n, item in enumerate(form.actions, 1):
        values = {"partnership_id": form.partnership_id, "evaluation_id": evaluation_id,
                  "title": item.title, "owner": item.owner, "due_date": item.due_date}
        if item.id is not None and item.id in existing:
            existing.discard(item.id)
            _child(uow, "action", f"action.{n}", item.id, values)
        else:
            _child(uow, "action", f"action.{n}", None, values)
    for gone in existing:  # removed from the list in the editor
        records.delete_in(uow, "action", gone)


# -- compare -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One line of a comparison: what it is about, before, after, and which way it moved."""

    label: str
    before: str
    after: str
    direction: int  # +1 better, -1 worse, 0 same or not comparable


@dataclass(frozen=True)
class Comparison:
    before: LoadedEvaluation
    after: LoadedEvaluation
    scores: tuple[Change, ...]
    health: tuple[Change, ...]
    kpis: tuple[Change, ...]


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def compare(uow: UnitOfWork, first_id: str, second_id: str) -> Comparison:
    """Two evaluations of one partnership, older first, and what moved between them."""
    a, b = load(uow, first_id), load(uow, second_id)
    if a.form.partnership_id != b.form.partnership_id:
        raise ValidationError.single(
            "evaluation", "only two evaluations of the same partnership can be compared")
    if (str(a.form.evaluated_on), a.id) > (str(b.form.evaluated_on), b.id):
        a, b = b, a
    scores = []
    for key, label in vocab.CRITERIA:
        x, y = a.form.scores.get(key, (None, ""))[0], b.form.scores.get(key, (None, ""))[0]
        scores.append(Change(label, "–" if x is None else str(x), "–" if y is None else str(y),
                             _sign(y - x) if x is not None and y is not None else 0))
    health = []
    for side, side_label in vocab.HEALTH_SIDES:
        for aspect, aspect_label in vocab.HEALTH_ASPECTS:
            x_rag = a.form.health.get((side, aspect), (None, ""))[0]
            y_rag = b.form.health.get((side, aspect), (None, ""))[0]
            if x_rag is None and y_rag is None:
                continue
            move = (_sign(RAG_ORDER[y_rag] - RAG_ORDER[x_rag])
                    if x_rag in RAG_ORDER and y_rag in RAG_ORDER else 0)
            health.append(Change(f"{side_label}: {aspect_label}",
                                 vocab.label_of(vocab.RAG, x_rag) or "–",
                                 vocab.label_of(vocab.RAG, y_rag) or "–", move))
    kpis = []
    for goal in b.goals:
        x_val, y_val = (_number(e.form.kpis.get(goal.id, (None, ""))[0]) for e in (a, b))
        if x_val is None and y_val is None:
            continue
        x_p = kpi_progress(goal.baseline, goal.target, x_val)
        y_p = kpi_progress(goal.baseline, goal.target, y_val)
        kpis.append(Change(goal.title, _pct(x_p), _pct(y_p),
                           _sign(y_p - x_p) if x_p is not None and y_p is not None else 0))
    return Comparison(a, b, tuple(scores), tuple(health), tuple(kpis))


def _number(value: float | str | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_float(value)


def evaluations_of(uow: UnitOfWork, partnership_id: str) -> list[tuple[str, str]]:
    """(id, "date – period") of a partnership's evaluations, newest first (for "compare with")."""
    with uow:
        rows = monitoring_repo.evaluation_list(uow, partnership_id)
    return [(r[0], f"{r[1].isoformat()} – {r[2]}") for r in rows]


# -- a partnership's trend -----------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreTrendPoint:
    evaluation_id: str
    evaluated_on: date
    period: str
    mean: float


@dataclass(frozen=True)
class KpiProgress:
    goal_id: str
    title: str
    unit: str
    baseline: float | None
    target: float | None
    history: tuple[tuple[date, float], ...]  # (evaluation date, actual), oldest first

    @property
    def latest(self) -> float | None:
        return self.history[-1][1] if self.history else None

    @property
    def progress(self) -> float | None:
        return kpi_progress(self.baseline, self.target, self.latest)


@dataclass(frozen=True)
class PartnershipTrend:
    scores: tuple[ScoreTrendPoint, ...]
    kpis: tuple[KpiProgress, ...]


def trend(uow: UnitOfWork, partnership_id: str) -> PartnershipTrend:
    with uow:
        points = tuple(ScoreTrendPoint(r[0], r[2], r[3], float(r[4]))
                       for r in monitoring_repo.evaluation_scores(uow, partnership_id))
        goals: dict[str, dict[str, Any]] = {}
        for gid, title, unit, baseline, target, on, actual in (
                monitoring_repo.goals_with_measurements(uow, partnership_id)):
            g = goals.setdefault(gid, {"title": title, "unit": unit or "", "baseline": baseline,
                                       "target": target, "history": []})
            if on is not None and actual is not None:
                g["history"].append((on, float(actual)))
    return PartnershipTrend(points, tuple(
        KpiProgress(gid, g["title"], g["unit"], g["baseline"], g["target"], tuple(g["history"]))
        for gid, g in goals.items()))
