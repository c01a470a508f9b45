"""Read queries behind the dashboard, reminders and the deadlines calendar.

Sized for the large office database (2,000 partnerships, 1,000,000 activities): per-partnership
facts are found by walking an index per partnership (never a GROUP BY over all activities),
open actions are counted and listed with a LIMIT over the due-date index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import new_id, utcnow
from citypartner_desktop.db.models import (
    Action,
    Activity,
    Agreement,
    CriterionScore,
    Evaluation,
    Goal,
    KpiMeasurement,
    Partnership,
    ReminderState,
    Setting,
)

Rows = list[Any]
LIVE_AGREEMENT = ("signed", "in_force")
# Partnerships that are watched for deadlines, dormancy and evaluations.
WATCHED_STATUSES = ("active", "dormant", "suspended", "negotiating")


def partnerships(session: Session, statuses: Sequence[str]) -> Rows:
    """(id, title, status, start_date, evaluation_cadence_months, themes, updated_at)."""
    stmt = (
        select(Partnership.id, Partnership.title, Partnership.status, Partnership.start_date,
               Partnership.evaluation_cadence_months, Partnership.themes,
               Partnership.updated_at)
        .where(Partnership.deleted_at.is_(None), Partnership.status.in_(statuses))
        .order_by(Partnership.title)
    )
    return list(session.execute(stmt))


def live_agreements_ending_from(session: Session, today: date) -> Rows:
    """(id, title, partnership id, partnership title, expires_on, notice months, auto_renew,
    status) of agreements in force that have not expired yet (the expiry index)."""
    stmt = (
        select(Agreement.id, Agreement.title, Agreement.partnership_id, Partnership.title,
               Agreement.expires_on, Agreement.notice_period_months, Agreement.auto_renew,
               Agreement.status)
        .join(Partnership, Partnership.id == Agreement.partnership_id)
        .where(Agreement.expires_on >= today, Agreement.deleted_at.is_(None),
               Partnership.deleted_at.is_(None), Agreement.status.in_(LIVE_AGREEMENT))
        .order_by(Agreement.expires_on, Agreement.title)
    )
    return list(session.execute(stmt))


def agreement_standing(session: Session, today: date) -> dict[str, tuple[int, int, date | None]]:
    """Per partnership: (agreements that were signed, of which still running, latest expiry).
    Running: not expired or terminated, and without an expiry date in the past. Drafts are
    left out: an agreement being written has not expired."""
    running = func.sum(
        ((Agreement.expires_on.is_(None)) | (Agreement.expires_on >= today))
        & Agreement.status.not_in(("expired", "terminated"))
    )
    stmt = (
        select(Agreement.partnership_id, func.count(), running, func.max(Agreement.expires_on))
        .where(Agreement.deleted_at.is_(None), Agreement.status != "draft")
        .group_by(Agreement.partnership_id)
    )
    return {p: (int(n), int(r or 0), last) for p, n, r, last in session.execute(stmt)}


def _open_actions(until: date) -> Any:
    return (Action.deleted_at.is_(None), Action.done_date.is_(None), Action.due_date <= until)


def open_actions_due(session: Session, until: date, limit: int) -> Rows:
    """(id, title, owner, due_date, partnership id, partnership title, evaluation id) of open
    actions due by ``until``, the longest overdue first."""
    stmt = (
        select(Action.id, Action.title, Action.owner, Action.due_date, Action.partnership_id,
               Partnership.title, Action.evaluation_id)
        .join(Partnership, Partnership.id == Action.partnership_id)
        .where(*_open_actions(until), Partnership.deleted_at.is_(None))
        .order_by(Action.due_date, Action.title)
        .limit(limit)
    )
    return list(session.execute(stmt))


def count_open_actions_due(session: Session, start: date | None, until: date) -> int:
    conditions = list(_open_actions(until))
    if start is not None:
        conditions.append(Action.due_date >= start)
    stmt = select(func.count()).select_from(Action).where(*conditions)
    return int(session.execute(stmt).scalar_one())


def open_actions_with_due_date(session: Session) -> Rows:
    """Every open action with a due date (for the calendar file): (id, title, owner, due_date,
    partnership title, version, updated_at)."""
    stmt = (
        select(Action.id, Action.title, Action.owner, Action.due_date, Partnership.title,
               Action.version, Action.updated_at)
        .join(Partnership, Partnership.id == Action.partnership_id)
        .where(Action.deleted_at.is_(None), Action.done_date.is_(None),
               Action.due_date.is_not(None), Partnership.deleted_at.is_(None))
        .order_by(Action.due_date, Action.id)
    )
    return list(session.execute(stmt))


def agreements_for_calendar(session: Session, since: date) -> Rows:
    """(id, title, partnership title, expires_on, notice months, version, updated_at) of
    agreements in force expiring on or after ``since``."""
    stmt = (
        select(Agreement.id, Agreement.title, Partnership.title, Agreement.expires_on,
               Agreement.notice_period_months, Agreement.version, Agreement.updated_at)
        .join(Partnership, Partnership.id == Agreement.partnership_id)
        .where(Agreement.expires_on >= since, Agreement.deleted_at.is_(None),
               Partnership.deleted_at.is_(None), Agreement.status.in_(LIVE_AGREEMENT))
        .order_by(Agreement.expires_on, Agreement.id)
    )
    return list(session.execute(stmt))


def last_evaluations(session: Session) -> dict[str, date]:
    """The date of each partnership's latest live evaluation (a few thousand rows at most)."""
    stmt = (
        select(Evaluation.partnership_id, func.max(Evaluation.evaluated_on))
        .where(Evaluation.deleted_at.is_(None))
        .group_by(Evaluation.partnership_id)
    )
    return {p: d for p, d in session.execute(stmt)}


def last_activity_and_visit(session: Session, partnership_ids: Iterable[str]
                            ) -> dict[str, tuple[date | None, date | None]]:
    """Per partnership, its last activity and last delegation visit: two index seeks each
    (ix_activities_partnership_start walked backwards; the partial ix_activities_live_visits)."""
    last = (
        select(Activity.start_date)
        .where(Activity.partnership_id == Partnership.id, Activity.deleted_at.is_(None))
        .order_by(Activity.start_date.desc()).limit(1).scalar_subquery()
    )
    visit = (
        select(func.max(Activity.start_date))
        .where(Activity.partnership_id == Partnership.id, Activity.kind == "visit",
               Activity.deleted_at.is_(None))
        .scalar_subquery()
    )
    ids = list(partnership_ids)
    found: dict[str, tuple[date | None, date | None]] = {}
    for chunk in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        stmt = select(Partnership.id, last, visit).where(
            Partnership.id.in_(ids[chunk:chunk + 500]))
        for pid, a, v in session.execute(stmt):
            found[pid] = (_as_date(a), _as_date(v))
    return found


def activities_per_year(session: Session, since: date) -> list[tuple[str, int, int]]:
    """(partnership id, year, activities) since a day: grouped in SQL over the index on
    (partnership, start date), so no activity row is read."""
    year = func.substr(Activity.start_date, 1, 4)
    stmt = (
        select(Activity.partnership_id, year, func.count())
        .where(Activity.start_date >= since, Activity.deleted_at.is_(None))
        .group_by(Activity.partnership_id, year)
    )
    return [(p, int(y), int(n)) for p, y, n in session.execute(stmt)]


def evaluation_scores(session: Session, partnership_id: str | None = None) -> Rows:
    """(evaluation id, partnership id, evaluated_on, period, mean score, scores given) per
    evaluation with at least one score, oldest first."""
    stmt = (
        select(Evaluation.id, Evaluation.partnership_id, Evaluation.evaluated_on,
               Evaluation.period, func.avg(CriterionScore.score), func.count(CriterionScore.score))
        .join(CriterionScore, CriterionScore.evaluation_id == Evaluation.id)
        .where(Evaluation.deleted_at.is_(None), CriterionScore.deleted_at.is_(None),
               CriterionScore.score.is_not(None))
        .group_by(Evaluation.id)
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    )
    if partnership_id is not None:
        stmt = stmt.where(Evaluation.partnership_id == partnership_id)
    return list(session.execute(stmt))


def goals_with_measurements(session: Session, partnership_id: str) -> Rows:
    """(goal id, title, unit, baseline, target, evaluation date, actual) of a partnership's
    goals, one row per measurement (None when never measured), oldest first."""
    stmt = (
        select(Goal.id, Goal.title, Goal.unit, Goal.baseline, Goal.target,
               Evaluation.evaluated_on, KpiMeasurement.actual)
        .outerjoin(KpiMeasurement, (KpiMeasurement.goal_id == Goal.id)
                   & KpiMeasurement.deleted_at.is_(None))
        .outerjoin(Evaluation, (Evaluation.id == KpiMeasurement.evaluation_id)
                   & Evaluation.deleted_at.is_(None))
        .where(Goal.partnership_id == partnership_id, Goal.deleted_at.is_(None))
        .order_by(Goal.title, Goal.id, Evaluation.evaluated_on)
    )
    return list(session.execute(stmt))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # max() over a date column comes back as text


# -- settings and reminder answers -------------------------------------------------------------
def settings(session: Session) -> dict[str, str]:
    stmt = select(Setting.key, Setting.value).where(Setting.deleted_at.is_(None))
    return {k: v for k, v in session.execute(stmt)}


def put_setting(session: Session, key: str, value: str) -> None:
    row = session.scalars(select(Setting).where(Setting.key == key)).first()
    now = utcnow()
    if row is None:
        session.add(Setting(id=new_id(), key=key, value=value, created_at=now, updated_at=now))
    else:
        row.value, row.deleted_at, row.updated_at = value, None, now


def reminder_states(session: Session) -> dict[str, tuple[date | None, date | None]]:
    """item key -> (snoozed until, done on)."""
    stmt = select(ReminderState.item_key, ReminderState.snoozed_until, ReminderState.done_on
                  ).where(ReminderState.deleted_at.is_(None))
    return {k: (s, d) for k, s, d in session.execute(stmt)}


def put_reminder_state(session: Session, key: str, snoozed_until: date | None,
                       done_on: date | None) -> None:
    row = session.scalars(select(ReminderState).where(ReminderState.item_key == key)).first()
    now = utcnow()
    if row is None:
        session.add(ReminderState(id=new_id(), item_key=key, snoozed_until=snoozed_until,
                                  done_on=done_on, created_at=now, updated_at=now))
    else:
        row.snoozed_until, row.done_on, row.deleted_at, row.updated_at = (
            snoozed_until, done_on, None, now)


def evaluation_list(session: Session, partnership_id: str) -> Rows:
    """(id, evaluated_on, period) of a partnership's live evaluations, newest first."""
    stmt = (
        select(Evaluation.id, Evaluation.evaluated_on, Evaluation.period)
        .where(Evaluation.partnership_id == partnership_id, Evaluation.deleted_at.is_(None))
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id)
    )
    return list(session.execute(stmt))
