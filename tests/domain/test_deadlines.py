"""Date rules of monitoring, on fixed days: month ends, leap years, long notice periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citypartner_desktop.domain.deadlines import (
    Urgency,
    add_months,
    decide_by,
    dormancy,
    evaluation_due,
    expiry_dates,
    kpi_progress,
    urgency,
)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: the month's last day
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    (date(2027, 2, 28), 12, date(2028, 2, 29)),  # a month end stays a month end
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 6, 30), -3, date(2026, 3, 31)),  # 30 June − 3 months: end of March
    (date(2026, 5, 15), -6, date(2025, 11, 15)),  # across a year boundary
    (date(2026, 3, 30), -1, date(2026, 2, 28)),
    (date(2026, 12, 31), 2, date(2027, 2, 28)),
    (date(2026, 8, 17), 0, date(2026, 8, 17)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
       st.integers(min_value=-240, max_value=240))
def test_add_months_moves_whole_months_only(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day or moved.day == (
        (moved.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day


def test_decide_by_is_expiry_minus_notice() -> None:
    assert decide_by(date(2026, 9, 30), 3) == date(2026, 6, 30)
    assert decide_by(date(2027, 2, 28), 6) == date(2026, 8, 31)  # month end to month end
    assert decide_by(date(2026, 9, 15), None) == date(2026, 9, 15)
    assert decide_by(date(2026, 9, 15), 0) == date(2026, 9, 15)


def test_notice_period_longer_than_the_remaining_term() -> None:
    today = date(2026, 11, 28)
    dates = expiry_dates(date(2027, 1, 31), 6, today)  # decide-by 31 July: already past
    assert dates.decide_by == date(2026, 7, 31)
    assert dates.days_left == 64
    assert dates.days_to_decide == -120
    assert dates.notice_missed
    assert not expiry_dates(date(2027, 6, 30), 3, today).notice_missed


def test_urgency_on_a_fixed_day() -> None:
    today = date(2028, 2, 29)
    assert urgency(date(2028, 2, 28), today, 30) is Urgency.OVERDUE
    assert urgency(today, today, 30) is Urgency.TODAY
    assert urgency(date(2028, 3, 30), today, 30) is Urgency.UPCOMING
    assert urgency(date(2028, 3, 31), today, 30) is Urgency.LATER


def test_today_is_the_local_date_not_the_utc_one() -> None:
    """Just after midnight in Auckland it is still the day before in UTC: the caller passes
    the local date, and the rules only ever see dates."""
    morning = datetime(2026, 11, 28, 0, 30, tzinfo=timezone(timedelta(hours=13)))
    local_today, utc_today = morning.date(), morning.astimezone(UTC).date()
    assert (local_today, utc_today) == (date(2026, 11, 28), date(2026, 11, 27))
    assert urgency(date(2026, 11, 28), local_today, 30) is Urgency.TODAY
    assert urgency(date(2026, 11, 27), local_today, 30) is Urgency.OVERDUE


def test_evaluation_due_one_cadence_after_the_last() -> None:
    today = date(2026, 11, 28)
    assert evaluation_due(date(2025, 11, 30), 12, date(2010, 1, 1), today) == date(2026, 11, 30)
    assert evaluation_due(date(2024, 2, 29), 12, None, today) == date(2025, 2, 28)
    assert evaluation_due(None, 6, date(2026, 8, 31), today) == date(2027, 2, 28)
    assert evaluation_due(None, 12, None, today) == today  # nothing known: due now
    with pytest.raises(ValueError, match="at least one month"):
        evaluation_due(None, 0, None, today)


def test_dormancy_reasons() -> None:
    today = date(2026, 11, 28)
    quiet = dormancy(date(2025, 11, 27), date(2025, 1, 1), date(2000, 1, 1), today,
                     activity_months=12, visit_years=3)
    assert quiet.reasons == ("no activity for 12 months (last 2025-11-27)",)
    busy = dormancy(date(2025, 11, 28), date(2023, 11, 28), date(2000, 1, 1), today,
                    activity_months=12, visit_years=3)
    assert not busy.dormant  # exactly on the threshold day: not yet
    never = dormancy(None, None, date(2000, 1, 1), today, activity_months=12, visit_years=3)
    assert never.reasons == ("no activity for 12 months", "no visit for 3 years")
    young = dormancy(None, None, date(2026, 6, 1), today, activity_months=12, visit_years=3)
    assert not young.dormant  # started half a year ago: no history is expected yet


def test_kpi_progress() -> None:
    assert kpi_progress(10, 50, 30) == pytest.approx(0.5)
    assert kpi_progress(None, 200, 50) == pytest.approx(0.25)  # no baseline: from zero
    assert kpi_progress(1000, 600, 900) == pytest.approx(0.25)  # a target below the baseline
    assert kpi_progress(10, 50, 70) == pytest.approx(1.5)  # beyond the target
    assert kpi_progress(10, 10, 10) == 1.0
    assert kpi_progress(10, 10, 12) is None
    assert kpi_progress(10, None, 12) is None
    assert kpi_progress(10, 50, None) is None
