"""Backup rotation: which copies a daily/weekly/monthly policy keeps, with fixed dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from citypartner_desktop.domain.retention import BackupStamp, RetentionPolicy, backups_to_keep

NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def _hourly_auto(days: int) -> list[BackupStamp]:
    """One scheduled backup every 6 hours for ``days`` days back from NOW."""
    return [BackupStamp(f"auto-{i}", NOW - timedelta(hours=6 * i), "auto")
            for i in range(days * 4)]


def test_keeps_newest_per_day_week_and_month() -> None:
    stamps = _hourly_auto(400)
    keep = backups_to_keep(stamps, RetentionPolicy(daily=7, weekly=4, monthly=12,
                                                   before_operation=0))
    kept = sorted((s for s in stamps if s.name in keep), key=lambda s: s.taken_at, reverse=True)
    days = {(s.taken_at.date()) for s in kept}
    # 7 newest days, plus older week and month keepers; never more than 7 + 4 + 12.
    assert {NOW.date() - timedelta(days=d) for d in range(7)} <= days
    assert len(kept) <= 7 + 4 + 12
    months = {(s.taken_at.year, s.taken_at.month) for s in kept}
    assert len(months) == 12
    assert kept[0].name == "auto-0"  # the newest is the day's keeper
    oldest_month = min(months)
    assert oldest_month == (2025, 12)


def test_before_operation_copies_are_kept_by_count() -> None:
    ops = [BackupStamp(f"op-{i}", NOW - timedelta(days=i), "before-import") for i in range(30)]
    keep = backups_to_keep(ops, RetentionPolicy(daily=0, weekly=0, monthly=0,
                                                before_operation=5))
    assert keep == {f"op-{i}" for i in range(5)}


def test_newest_backup_is_always_kept_even_with_zero_counts() -> None:
    stamps = _hourly_auto(3)
    assert backups_to_keep(stamps, RetentionPolicy(0, 0, 0, 0)) == {"auto-0"}


def test_manual_backups_rotate_with_the_scheduled_ones() -> None:
    stamps = [BackupStamp("manual-today", NOW, "manual"),
              BackupStamp("auto-today", NOW - timedelta(hours=1), "auto"),
              BackupStamp("auto-yesterday", NOW - timedelta(days=1), "auto")]
    keep = backups_to_keep(stamps, RetentionPolicy(daily=2, weekly=0, monthly=0))
    assert keep == {"manual-today", "auto-yesterday"}


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="keep_daily"):
        RetentionPolicy(daily=-1)


def test_nothing_older_than_the_retention_period_is_kept() -> None:
    """A laptop backed up once a quarter: its "monthly" copies would reach years back; the
    retention period ends them (the newest copy stays, whatever its age)."""
    quarterly = [BackupStamp(f"auto-{i}", NOW - timedelta(days=91 * i), "auto")
                 for i in range(12)]
    operations = [BackupStamp(f"op-{i}", NOW - timedelta(days=210 * i), "before-import")
                  for i in range(1, 4)]
    keep = backups_to_keep([*quarterly, *operations], RetentionPolicy(max_age_days=400), NOW)
    assert keep == {"auto-0", "auto-1", "auto-2", "auto-3", "auto-4", "op-1"}
    unlimited = backups_to_keep(quarterly, RetentionPolicy(max_age_days=0), NOW)
    assert len(unlimited) == 12
    stale = [BackupStamp("old", NOW - timedelta(days=900), "auto")]
    assert backups_to_keep(stale, RetentionPolicy(), NOW) == {"old"}
