"""Which backups to keep: grandfather-father-son rotation, as a pure function of names and dates.

Scheduled and manual copies form one pool kept per day, per ISO week and per month; copies made
before an operation (upgrade, import, merge, restore) are kept by count, because each is the way
back from one specific step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

PERIODIC_REASONS = ("auto", "manual")


@dataclass(frozen=True)
class RetentionPolicy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    before_operation: int = 20
    # The retention period: no copy older than this is kept, whatever the counts say (a
    # laptop used once a quarter would otherwise keep a "monthly" copy for years), so that
    # personal data erased since lives on in no backup past it. 0: no limit.
    max_age_days: int = 400

    def __post_init__(self) -> None:
        for name in ("daily", "weekly", "monthly", "before_operation", "max_age_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"keep_{name} must be 0 or more")


@dataclass(frozen=True)
class BackupStamp:
    name: str
    taken_at: datetime
    reason: str

    @property
    def periodic(self) -> bool:
        return self.reason in PERIODIC_REASONS


def _newest_per(stamps: list[BackupStamp], key: str, count: int) -> set[str]:
    """The newest copy in each of the ``count`` most recent periods that have one."""
    kept: set[str] = set()
    seen: set[tuple[int, ...]] = set()
    for stamp in stamps:  # newest first
        when = stamp.taken_at
        period = {
            "day": (when.year, when.month, when.day),
            "week": tuple(when.isocalendar())[:2],
            "month": (when.year, when.month),
        }[key]
        if period in seen:
            continue
        if len(seen) >= count:
            break
        seen.add(period)
        kept.add(stamp.name)
    return kept


def backups_to_keep(stamps: Iterable[BackupStamp], policy: RetentionPolicy,
                    now: datetime | None = None) -> set[str]:
    """The names of the copies to keep. ``now`` (default: the newest copy's time) dates the
    retention period."""
    ordered = sorted(stamps, key=lambda s: s.taken_at, reverse=True)
    if ordered and policy.max_age_days:
        newest = ordered[0]
        cutoff = (now or newest.taken_at) - timedelta(days=policy.max_age_days)
        ordered = [newest, *(s for s in ordered[1:] if s.taken_at >= cutoff)]
    periodic = [s for s in ordered if s.periodic]
    operations = [s for s in ordered if not s.periodic]
    keep = _newest_per(periodic, "day", policy.daily)
    keep |= _newest_per(periodic, "week", policy.weekly)
    keep |= _newest_per(periodic, "month", policy.monthly)
    keep |= {s.name for s in operations[: policy.before_operation]}
    if ordered:
        keep.add(ordered[0].name)  # the newest copy is never rotated away
    return keep
