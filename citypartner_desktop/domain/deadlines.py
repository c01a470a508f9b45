"""Date rules of monitoring: notice (decide-by) dates, evaluation due dates, dormancy, KPI
progress. Pure functions over dates (never datetimes): "today" is the user's local date and
is always passed in, so the rules can be tested with any fixed day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative: back). A day that does not exist in
    the target month becomes that month's last day (31 Jan + 1 month = 28/29 Feb), and a
    month's last day stays a month's last day (30 Jun − 3 months = 31 Mar; 28 Feb 2027 + 12
    months = 29 Feb 2028), as contract terms counted in months are read."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{day} moved by {months} months is outside the calendar")
    last = _last_day(year, month)
    if day.day == _last_day(day.year, day.month):
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def decide_by(expires_on: date, notice_months: int | None) -> date:
    """The last day to give notice (or decide on renewal) so that the agreement ends, or is
    renewed, on ``expires_on``: expiry minus the notice period; without a notice period the
    decision is due by expiry itself."""
    if not notice_months:
        return expires_on
    return add_months(expires_on, -notice_months)


class Urgency(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    LATER = "later"


def urgency(due: date, today: date, window_days: int) -> Urgency:
    if due < today:
        return Urgency.OVERDUE
    if due == today:
        return Urgency.TODAY
    if due <= today + timedelta(days=window_days):
        return Urgency.UPCOMING
    return Urgency.LATER


@dataclass(frozen=True)
class ExpiryDates:
    expires_on: date
    decide_by: date
    days_left: int  # until expiry
    days_to_decide: int  # negative: the notice period has already begun

    @property
    def notice_missed(self) -> bool:
        """The notice period is longer than the term that is left: whoever decides now can
        no longer end (or stop the renewal of) the agreement on time."""
        return self.days_to_decide < 0


def expiry_dates(expires_on: date, notice_months: int | None, today: date) -> ExpiryDates:
    by = decide_by(expires_on, notice_months)
    return ExpiryDates(expires_on, by, (expires_on - today).days, (by - today).days)


def evaluation_due(last_evaluated: date | None, cadence_months: int,
                   started: date | None, today: date) -> date:
    """When the next evaluation is due: one cadence after the last one; never evaluated,
    one cadence after the start; with no start date known either, today."""
    if cadence_months < 1:
        raise ValueError("the evaluation cadence is at least one month")
    anchor = last_evaluated or started
    return today if anchor is None else add_months(anchor, cadence_months)


@dataclass(frozen=True)
class Dormancy:
    reasons: tuple[str, ...]

    @property
    def dormant(self) -> bool:
        return bool(self.reasons)


def dormancy(last_activity: date | None, last_visit: date | None, started: date | None,
             today: date, *, activity_months: int, visit_years: int) -> Dormancy:
    """Why a partnership looks dormant: no activity for ``activity_months`` months, no visit
    for ``visit_years`` years. A partnership younger than the threshold is not dormant for
    lack of history (the start date counts as its first sign of life)."""
    reasons: list[str] = []
    quiet_since = add_months(today, -activity_months)
    seen = max((d for d in (last_activity, started) if d is not None), default=None)
    if seen is None or seen < quiet_since:
        reasons.append(f"no activity for {activity_months} months"
                       + (f" (last {last_activity.isoformat()})" if last_activity else ""))
    visit_since = add_months(today, -12 * visit_years)
    visited = max((d for d in (last_visit, started) if d is not None), default=None)
    if visited is None or visited < visit_since:
        reasons.append(f"no visit for {visit_years} years"
                       + (f" (last {last_visit.isoformat()})" if last_visit else ""))
    return Dormancy(tuple(reasons))


def kpi_progress(baseline: float | None, target: float | None, actual: float | None
                 ) -> float | None:
    """How far ``actual`` has come from the baseline (0 when not known) towards the target:
    0.0 at the baseline, 1.0 at the target, below 0 or above 1 beyond them; targets below the
    baseline (fewer CO₂ tonnes) work the same way. None when it cannot be said."""
    if actual is None or target is None:
        return None
    start = 0.0 if baseline is None else baseline
    if target == start:
        return 1.0 if actual == target else None
    return (actual - start) / (target - start)
