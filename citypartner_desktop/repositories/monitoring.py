"""Read queries behind the dashboard, reminders and the deadlines calendar, in plain SQL.

Plain SQL over ``plain_sql.Connection`` (no SQLAlchemy), so that the dashboard — the page the
application opens on — is computed through the read-only reader before the ORM is imported.
The writes of monitoring's own tables are in ``monitoring_state``.

Sized for the large office database (2,000 partnerships, 1,000,000 activities): per-partnership
facts are found by walking an index per partnership (never a GROUP BY over all activities),
open actions are counted and listed with a LIMIT over the due-date index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from citypartner_desktop.repositories.plain_sql import (
    Connection,
    as_bool,
    as_date,
    as_json,
    as_utc,
    marks,
)

Rows = list[tuple[Any, ...]]
LIVE_AGREEMENT = ("signed", "in_force")
# Partnerships that are watched for deadlines, dormancy and evaluations.
WATCHED_STATUSES = ("active", "dormant", "suspended", "negotiating")
# SQLite's default limit on bound parameters is far above this; one IN list per chunk.
_CHUNK = 500


class PartnershipFacts(NamedTuple):
    id: str
    title: str
    status: str
    start_date: date | None
    evaluation_cadence_months: int
    themes: list[str]
    updated_at: datetime


def partnerships(conn: Connection, statuses: Sequence[str]) -> list[PartnershipFacts]:
    rows = conn.execute(
        "SELECT id, title, status, start_date, evaluation_cadence_months, themes, updated_at "
        "FROM partnerships "
        f"WHERE deleted_at IS NULL AND status IN ({marks(statuses)}) ORDER BY title",
        tuple(statuses))
    return [PartnershipFacts(i, t, s, as_date(d), int(c), as_json(th) or [], as_utc(u))
            for i, t, s, d, c, th, u in rows]


_LIVE_AGREEMENTS_FROM = (
    "FROM agreements JOIN partnerships ON partnerships.id = agreements.partnership_id "
    "WHERE agreements.expires_on >= ? AND agreements.deleted_at IS NULL "
    "AND partnerships.deleted_at IS NULL AND agreements.status IN (?, ?) ")


def live_agreements_ending_from(conn: Connection, today: date) -> Rows:
    """(id, title, partnership id, partnership title, expires_on, notice months, auto_renew,
    status) of agreements in force that have not expired yet (the expiry index)."""
    rows = conn.execute(
        "SELECT agreements.id, agreements.title, agreements.partnership_id, partnerships.title, "
        "agreements.expires_on, agreements.notice_period_months, agreements.auto_renew, "
        "agreements.status " + _LIVE_AGREEMENTS_FROM +
        "ORDER BY agreements.expires_on, agreements.title",
        (today.isoformat(), *LIVE_AGREEMENT))
    return [(i, t, p, pt, as_date(e), n, as_bool(a), s) for i, t, p, pt, e, n, a, s in rows]


def agreements_for_calendar(conn: Connection, since: date) -> Rows:
    """(id, title, partnership title, expires_on, notice months, version, updated_at) of
    agreements in force expiring on or after ``since``."""
    rows = conn.execute(
        "SELECT agreements.id, agreements.title, partnerships.title, agreements.expires_on, "
        "agreements.notice_period_months, agreements.version, agreements.updated_at "
        + _LIVE_AGREEMENTS_FROM + "ORDER BY agreements.expires_on, agreements.id",
        (since.isoformat(), *LIVE_AGREEMENT))
    return [(i, t, pt, as_date(e), n, v, as_utc(u)) for i, t, pt, e, n, v, u in rows]


def agreement_standing(conn: Connection, today: date) -> dict[str, tuple[int, int, date | None]]:
    """Per partnership: (agreements that were signed, of which still running, latest expiry).
    Running: not expired or terminated, and without an expiry date in the past. Drafts are
    left out: an agreement being written has not expired."""
    rows = conn.execute(
        "SELECT partnership_id, count(*), "
        "sum(CASE WHEN (expires_on IS NULL OR expires_on >= ?) "
        "AND status NOT IN ('expired', 'terminated') THEN 1 ELSE 0 END),"
        " max(expires_on) FROM agreements "
        "WHERE deleted_at IS NULL AND status != 'draft' GROUP BY partnership_id",
        (today.isoformat(),))
    return {p: (int(n), int(r or 0), as_date(last)) for p, n, r, last in rows}


_OPEN_ACTIONS = "actions.deleted_at IS NULL AND actions.done_date IS NULL AND actions.due_date <= ?"


def open_actions_due(conn: Connection, until: date, limit: int) -> Rows:
    """(id, title, owner, due_date, partnership id, partnership title, evaluation id) of open
    actions due by ``until``, the longest overdue first."""
    rows = conn.execute(
        "SELECT actions.id, actions.title, actions.owner, actions.due_date, "
        "actions.partnership_id, partnerships.title, actions.evaluation_id "
        "FROM actions JOIN partnerships ON partnerships.id = actions.partnership_id "
        f"WHERE {_OPEN_ACTIONS} AND partnerships.deleted_at IS NULL "
        "ORDER BY actions.due_date, actions.title LIMIT ?",
        (until.isoformat(), limit))
    return [(i, t, o, as_date(d), p, pt, e) for i, t, o, d, p, pt, e in rows]


def count_open_actions_due(conn: Connection, start: date | None, until: date) -> int:
    sql = f"SELECT count(*) FROM actions WHERE {_OPEN_ACTIONS}"
    parameters = [until.isoformat()]
    if start is not None:
        sql += " AND actions.due_date >= ?"
        parameters.append(start.isoformat())
    return int(conn.execute(sql, parameters)[0][0])


def open_actions_with_due_date(conn: Connection) -> Rows:
    """Every open action with a due date (for the calendar file): (id, title, owner, due_date,
    partnership title, version, updated_at)."""
    rows = conn.execute(
        "SELECT actions.id, actions.title, actions.owner, actions.due_date, partnerships.title, "
        "actions.version, actions.updated_at "
        "FROM actions JOIN partnerships ON partnerships.id = actions.partnership_id "
        "WHERE actions.deleted_at IS NULL AND actions.done_date IS NULL "
        "AND actions.due_date IS NOT NULL AND partnerships.deleted_at IS NULL "
        "ORDER BY actions.due_date, actions.id")
    return [(i, t, o, as_date(d), pt, v, as_utc(u)) for i, t, o, d, pt, v, u in rows]


def last_evaluations(conn: Connection) -> dict[str, date]:
    """The date of each partnership's latest live evaluation (a few thousand rows at most)."""
    rows = conn.execute(
        "SELECT partnership_id, max(evaluated_on) FROM evaluations "
        "WHERE deleted_at IS NULL GROUP BY partnership_id")
    return {p: as_date(d) for p, d in rows}


def last_activity_and_visit(conn: Connection, partnership_ids: Iterable[str]
                            ) -> dict[str, tuple[date | None, date | None]]:
    """Per partnership, its last activity and last delegation visit: two index seeks each
    (ix_activities_partnership_start walked backwards; the partial ix_activities_live_visits)."""
    ids = list(partnership_ids)
    found: dict[str, tuple[date | None, date | None]] = {}
    for chunk in range(0, len(ids), _CHUNK):
        part = ids[chunk:chunk + _CHUNK]
        rows = conn.execute(
            "SELECT partnerships.id, "
            "(SELECT activities.start_date FROM activities "
            " WHERE activities.partnership_id = partnerships.id AND activities.deleted_at IS NULL"
            " ORDER BY activities.start_date DESC LIMIT 1), "
            "(SELECT max(activities.start_date) FROM activities "
            " WHERE activities.partnership_id = partnerships.id AND activities.kind = 'visit'"
            " AND activities.deleted_at IS NULL) "
            f"FROM partnerships WHERE partnerships.id IN ({marks(part)})", part)
        for pid, last, visit in rows:
            found[pid] = (as_date(last), as_date(visit))
    return found


def activities_per_year(conn: Connection, since: date) -> list[tuple[str, int, int]]:
    """(partnership id, year, activities) since a day: grouped in SQL over the index on
    (partnership, start date), so no activity row is read."""
    rows = conn.execute(
        "SELECT partnership_id, substr(CAST(start_date AS VARCHAR), 1, 4), count(*) "
        "FROM activities "
        "WHERE start_date >= ? AND deleted_at IS NULL "
        "GROUP BY partnership_id, substr(CAST(start_date AS VARCHAR), 1, 4)",
        (since.isoformat(),))
    return [(p, int(y), int(n)) for p, y, n in rows]


def evaluation_scores(conn: Connection, partnership_id: str | None = None) -> Rows:
    """(evaluation id, partnership id, evaluated_on, period, mean score, scores given) per
    evaluation with at least one score, oldest first."""
    only = "AND evaluations.partnership_id = ? " if partnership_id is not None else ""
    rows = conn.execute(
        "SELECT evaluations.id, evaluations.partnership_id, evaluations.evaluated_on, "
        "evaluations.period, avg(criterion_scores.score), count(criterion_scores.score) "
        "FROM evaluations JOIN criterion_scores "
        "ON criterion_scores.evaluation_id = evaluations.id "
        "WHERE evaluations.deleted_at IS NULL AND criterion_scores.deleted_at IS NULL "
        f"AND criterion_scores.score IS NOT NULL {only}"
        "GROUP BY evaluations.id ORDER BY evaluations.evaluated_on, evaluations.id",
        () if partnership_id is None else (partnership_id,))
    return [(i, p, as_date(d), period, mean, n) for i, p, d, period, mean, n in rows]


def goals_with_measurements(conn: Connection, partnership_id: str) -> Rows:
    """(goal id, title, unit, baseline, target, evaluation date, actual) of a partnership's
    goals, one row per measurement (None when never measured), oldest first."""
    rows = conn.execute(
        "SELECT goals.id, goals.title, goals.unit, goals.baseline, goals.target, "
        "evaluations.evaluated_on, kpi_measurements.actual FROM goals "
        "LEFT OUTER JOIN kpi_measurements ON kpi_measurements.goal_id = goals.id "
        "AND kpi_measurements.deleted_at IS NULL "
        "LEFT OUTER JOIN evaluations ON evaluations.id = kpi_measurements.evaluation_id "
        "AND evaluations.deleted_at IS NULL "
        "WHERE goals.partnership_id = ? AND goals.deleted_at IS NULL "
        "ORDER BY goals.title, goals.id, evaluations.evaluated_on",
        (partnership_id,))
    return [(i, t, u, b, g, as_date(d), a) for i, t, u, b, g, d, a in rows]


def evaluation_list(conn: Connection, partnership_id: str) -> Rows:
    """(id, evaluated_on, period) of a partnership's live evaluations, newest first."""
    rows = conn.execute(
        "SELECT id, evaluated_on, period FROM evaluations "
        "WHERE partnership_id = ? AND deleted_at IS NULL ORDER BY evaluated_on DESC, id",
        (partnership_id,))
    return [(i, as_date(d), p) for i, d, p in rows]


# -- settings and reminder answers (written through ``monitoring_state``) ---------------------
def settings(conn: Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM settings WHERE deleted_at IS NULL"))


def reminder_states(conn: Connection) -> dict[str, tuple[date | None, date | None]]:
    """item key -> (snoozed until, done on)."""
    rows = conn.execute("SELECT item_key, snoozed_until, done_on FROM reminder_states "
                        "WHERE deleted_at IS NULL")
    return {k: (as_date(s), as_date(d)) for k, s, d in rows}
