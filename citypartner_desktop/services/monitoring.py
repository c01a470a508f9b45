"""Monitoring: the dashboard's figures and lists, its charts, and the monitoring settings.

Every item carries the ids of the records behind it, so the screen can open them. "today" is
always passed in (the user's local date) so the rules can be checked on any fixed day.

The reads need no SQLAlchemy (nor does anything this module imports at load time): the
dashboard is the page the application opens on, and ``dashboard_of`` computes it through
a read-only reader while the ORM is still being loaded. ``dashboard(uow, …)`` is the same
computation inside a unit of work.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from citypartner_desktop.db.reader import ReadSource
from citypartner_desktop.domain import deadlines, vocab
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.repositories import monitoring as repo
from citypartner_desktop.repositories.plain_sql import Connection

if TYPE_CHECKING:  # the unit of work brings the ORM, which the dashboard's reads do without
    from citypartner_desktop.db.uow import UnitOfWork

LIST_LIMIT = 200  # entries per dashboard list; the figures count them all
CHART_YEARS = 8
CHART_THEMES = 6


# -- settings ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonitoringSettings:
    dormant_after_months: int = 12
    no_visit_years: int = 3
    expiry_window_days: int = 90
    action_window_days: int = 30


# name -> (label, minimum, maximum)
SETTING_LIMITS: dict[str, tuple[str, int, int]] = {
    "dormant_after_months": ("Dormant after (months without activity)", 1, 120),
    "no_visit_years": ("Review after (years without a visit)", 1, 20),
    "expiry_window_days": ("Agreements expiring within (days)", 1, 730),
    "action_window_days": ("Actions due within (days)", 1, 365),
}
_PREFIX = "monitoring."


def load_settings(uow: UnitOfWork) -> MonitoringSettings:
    with uow:
        return _settings(uow)


def _settings(conn: Connection) -> MonitoringSettings:
    stored = repo.settings(conn)
    values: dict[str, Any] = {}
    for f in fields(MonitoringSettings):
        raw = stored.get(_PREFIX + f.name)
        if raw is not None and raw.isdigit():
            values[f.name] = int(raw)
    return MonitoringSettings(**values)


def save_settings(uow: UnitOfWork, changes: dict[str, object]) -> MonitoringSettings:
    """Check every value (whole numbers within their limits), then store all or nothing."""
    errors: dict[str, str] = {}
    parsed: dict[str, int] = {}
    for name, raw in changes.items():
        if name not in SETTING_LIMITS:
            errors[name] = "is not a monitoring setting"
            continue
        _label, low, high = SETTING_LIMITS[name]
        text = str(raw).strip()
        if not text.lstrip("-").isdigit():
            errors[name] = f"“{text}” is not a whole number"
        elif not low <= int(text) <= high:
            errors[name] = f"must be between {low} and {high}"
        else:
            parsed[name] = int(text)
    if errors:
        raise ValidationError(errors)
    from citypartner_desktop.repositories import monitoring_state  # the ORM: only to write

    with uow:
        for name, value in parsed.items():
            monitoring_state.put_setting(uow.session, _PREFIX + name, str(value))
        uow.commit()
        return _settings(uow)


# -- dashboard ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartnershipItem:
    id: str
    title: str
    status: str


@dataclass(frozen=True)
class ExpiringAgreement:
    id: str
    title: str
    partnership_id: str
    partnership: str
    dates: deadlines.ExpiryDates
    auto_renew: bool


@dataclass(frozen=True)
class DueAction:
    id: str
    title: str
    owner: str
    due_date: date
    partnership_id: str
    partnership: str
    overdue: bool


@dataclass(frozen=True)
class EvaluationDue:
    partnership_id: str
    partnership: str
    last_evaluated: date | None
    due_on: date
    cadence_months: int
    overdue: bool


@dataclass(frozen=True)
class ReviewFlag:
    """A partnership the user should look at; nothing is changed until they decide."""

    partnership_id: str
    partnership: str
    status: str
    reasons: tuple[str, ...]
    last_activity: date | None
    last_visit: date | None


@dataclass(frozen=True)
class Dashboard:
    today: date
    settings: MonitoringSettings
    active: tuple[PartnershipItem, ...]
    expiring: tuple[ExpiringAgreement, ...]  # the first LIST_LIMIT of ``expiring_total``
    expiring_total: int
    actions: tuple[DueAction, ...]  # the first LIST_LIMIT open actions due in the window
    overdue_actions: int
    upcoming_actions: int
    evaluations_due: tuple[EvaluationDue, ...]
    needs_review: tuple[ReviewFlag, ...]
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.ms[name] = 1000 * (time.perf_counter() - started)


def dashboard(uow: UnitOfWork, today: date) -> Dashboard:
    with uow:
        return read_dashboard(uow, today)


def dashboard_of(source: ReadSource, today: date) -> Dashboard:
    """The dashboard through a read-only connection of its own (no ORM; safe on a worker
    thread while the GUI reads through the application's reader), as one consistent read."""
    with source.snapshot() as conn:
        return read_dashboard(conn, today)


def read_dashboard(conn: Connection, today: date) -> Dashboard:
    timer = _Timer()
    with timer("settings"):
        settings = _settings(conn)
        reviewed = {k.removeprefix("review:"): s
                    for k, (s, _d) in repo.reminder_states(conn).items()
                    if k.startswith("review:") and s is not None}
    with timer("partnerships"):
        watched = repo.partnerships(conn, repo.WATCHED_STATUSES)
        active = tuple(PartnershipItem(p.id, p.title, p.status) for p in watched
                       if p.status == "active")
    with timer("expiring agreements"):
        expiring = _expiring(repo.live_agreements_ending_from(conn, today), today,
                             settings.expiry_window_days)
    with timer("actions"):
        until = today + timedelta(days=settings.action_window_days)
        actions = tuple(
            DueAction(a[0], a[1], a[2] or "", a[3], a[4], a[5], a[3] < today)
            for a in repo.open_actions_due(conn, until, LIST_LIMIT))
        overdue = repo.count_open_actions_due(conn, None, today - timedelta(days=1))
        upcoming = repo.count_open_actions_due(conn, today, until)
    with timer("evaluations due"):
        last = repo.last_evaluations(conn)
        horizon = today + timedelta(days=settings.action_window_days)
        due: list[EvaluationDue] = []
        for p in watched:
            if p.status != "active":
                continue
            on = deadlines.evaluation_due(last.get(p.id), p.evaluation_cadence_months,
                                          p.start_date, today)
            if on <= horizon:
                due.append(EvaluationDue(p.id, p.title, last.get(p.id), on,
                                         p.evaluation_cadence_months, on < today))
        due.sort(key=lambda e: (e.due_on, e.partnership))
    with timer("last activity and visit"):
        seen = repo.last_activity_and_visit(conn, [p.id for p in active])
    with timer("agreement standing"):
        standing = repo.agreement_standing(conn, today)
    flags: list[ReviewFlag] = []
    for p in watched:
        if p.status != "active" or (p.id in reviewed and today < reviewed[p.id]):
            continue
        last_activity, last_visit = seen.get(p.id, (None, None))
        reasons = list(deadlines.dormancy(
            last_activity, last_visit, p.start_date, today,
            activity_months=settings.dormant_after_months,
            visit_years=settings.no_visit_years).reasons)
        count, running, latest = standing.get(p.id, (0, 0, None))
        if count and not running:
            reasons.insert(0, "all its agreements have expired"
                           + (f" (last on {latest.isoformat()})" if latest else ""))
        if reasons:
            flags.append(ReviewFlag(p.id, p.title, p.status, tuple(reasons),
                                    last_activity, last_visit))
    return Dashboard(today, settings, active, expiring[:LIST_LIMIT], len(expiring), actions,
                     overdue, upcoming, tuple(due[:LIST_LIMIT]), tuple(flags[:LIST_LIMIT]),
                     timer.ms)


def _expiring(rows: list[Any], today: date, window: int) -> tuple[ExpiringAgreement, ...]:
    """Agreements that expire within the window, or whose decide-by date falls in it (a long
    notice period asks for a decision well before the last months)."""
    found = []
    limit = today + timedelta(days=window)
    for r in rows:
        dates = deadlines.expiry_dates(r[4], r[5], today)
        if dates.expires_on <= limit or dates.decide_by <= limit:
            found.append(ExpiringAgreement(r[0], r[1], r[2], r[3], dates, bool(r[6])))
    found.sort(key=lambda a: (min(a.dates.decide_by, a.dates.expires_on), a.title))
    return tuple(found)


# -- charts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThemeSeries:
    theme: str  # label
    counts: tuple[int, ...]  # one per year of ``Charts.years``


@dataclass(frozen=True)
class ScorePoint:
    evaluation_id: str
    partnership_id: str
    evaluated_on: date
    period: str
    mean: float


@dataclass(frozen=True)
class YearScore:
    year: int
    mean: float
    evaluations: int


@dataclass(frozen=True)
class Charts:
    years: tuple[int, ...]
    # the CHART_THEMES busiest; an activity counts under each theme of its partnership
    themes: tuple[ThemeSeries, ...]
    scores: tuple[YearScore, ...]  # mean OECD-DAC score of the year's evaluations
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)


def charts(uow: UnitOfWork, today: date, years: int = CHART_YEARS) -> Charts:
    with uow:
        return read_charts(uow, today, years)


def charts_of(source: ReadSource, today: date, years: int = CHART_YEARS) -> Charts:
    """The charts through a read-only connection of their own (see ``dashboard_of``)."""
    with source.snapshot() as conn:
        return read_charts(conn, today, years)


def read_charts(conn: Connection, today: date, years: int = CHART_YEARS) -> Charts:
    timer = _Timer()
    first = today.year - years + 1
    span = tuple(range(first, today.year + 1))
    with timer("activities per year"):
        per_year = repo.activities_per_year(conn, date(first, 1, 1))
    with timer("themes"):
        themes = {p.id: p.themes for p in repo.partnerships(
            conn, [k for k, _ in vocab.PARTNERSHIP_STATUSES])}
    with timer("evaluation scores"):
        points = repo.evaluation_scores(conn)
    totals: dict[str, list[int]] = {}
    for pid, year, n in per_year:
        if year < first or year > today.year:
            continue
        for theme in themes.get(pid, ()):
            totals.setdefault(theme, [0] * len(span))[year - first] += n
    # The busiest themes only: a dozen bars a year cannot be read.
    busiest = sorted(totals.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:CHART_THEMES]
    series = tuple(ThemeSeries(vocab.label_of(vocab.THEMES, t), tuple(c)) for t, c in busiest)
    by_year: dict[int, list[float]] = {}
    for p in points:
        if p[2] is not None and p[2].year >= first:
            by_year.setdefault(p[2].year, []).append(float(p[4]))
    scores = tuple(YearScore(y, sum(v) / len(v), len(v)) for y, v in sorted(by_year.items()))
    return Charts(span, series, scores, timer.ms)


# -- the deadlines calendar ----------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    """One all-day date for a calendar program. ``uid`` stays the same for the same item on
    every export, so a subscribed calendar updates the event instead of adding a second."""

    uid: str
    day: date
    summary: str
    description: str
    category: str
    remind_days_before: int
    sequence: int  # the record's version: a calendar takes the higher one as the newer
    stamp: datetime  # when the record last changed (UTC)


CALENDAR_PAST_DAYS = 90  # keep recent dates in the file, so they don't vanish the day after


def deadlines_for_calendar(uow: UnitOfWork, today: date) -> list[Deadline]:
    """Agreement expiry and decide-by dates, evaluation due dates and open actions' due dates."""
    since = today - timedelta(days=CALENDAR_PAST_DAYS)
    found: list[Deadline] = []
    with uow:
        for a_id, title, partnership, expires, notice, version, stamp in (
                repo.agreements_for_calendar(uow, since)):
            found.append(Deadline(
                f"agreement-expires-{a_id}", expires, f"Agreement expires: {title}",
                f"{title} ({partnership}) expires on {expires.isoformat()}.", "Agreement", 14,
                version, stamp))
            if notice:
                by = deadlines.decide_by(expires, notice)
                found.append(Deadline(
                    f"agreement-decide-by-{a_id}", by, f"Decide on renewal: {title}",
                    f"Last day to give notice or decide on renewal of {title} ({partnership}): "
                    f"{notice} months before it expires on {expires.isoformat()}.",
                    "Agreement", 7, version, stamp))
        last = repo.last_evaluations(uow)
        for p in repo.partnerships(uow, ("active",)):
            due = deadlines.evaluation_due(last.get(p.id), p.evaluation_cadence_months,
                                           p.start_date, today)
            previous = last.get(p.id)
            found.append(Deadline(
                f"evaluation-due-{p.id}", due, f"Evaluation due: {p.title}",
                f"Evaluate {p.title} (every {p.evaluation_cadence_months} months; last "
                f"{previous.isoformat() if previous else 'never'}).", "Evaluation", 7, 0,
                p.updated_at))
        for act_id, title, owner, due, partnership, version, stamp in (
                repo.open_actions_with_due_date(uow)):
            if due < since:
                continue
            who = f" – {owner}" if owner else ""
            found.append(Deadline(
                f"action-{act_id}", due, f"Action due: {title}{who}",
                f"{title} ({partnership}){who}", "Action", 1, version, stamp))
    found.sort(key=lambda d: (d.day, d.uid))
    return found
