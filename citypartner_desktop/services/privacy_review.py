"""The personal-data review (GDPR): whose data is due for review, whose is kept without a legal
basis, and who has been inactive so long that their data is a candidate for erasure.

Nothing here changes a contact: the lists are for staff to look at and decide (renew the
review date, record a basis, or erase through the erasure service). Erased contacts (the
``erasures`` register) and deleted ones are never listed.

Like ``monitoring``, the reads need no SQLAlchemy at load time: the dashboard computes the
review through a read-only reader (``review_of``); ``review(uow, …)`` is the same computation
inside a unit of work. The one setting, how many years without activity make a contact a
candidate for erasure, belongs to the office's data (the ``settings`` table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from citypartner_desktop.db.reader import ReadSource
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.repositories import privacy_review as repo
from citypartner_desktop.repositories.plain_sql import Connection

if TYPE_CHECKING:  # the unit of work brings the ORM, which the dashboard's reads do without
    from citypartner_desktop.db.uow import UnitOfWork

INACTIVE_YEARS_KEY = "privacy.inactive_years"
DEFAULT_INACTIVE_YEARS = 5
MIN_INACTIVE_YEARS, MAX_INACTIVE_YEARS = 1, 50
INACTIVE_YEARS_LABEL = "Contacts inactive for (years) are candidates for erasure"
LIST_LIMIT = 200  # entries per list; the counts count them all


@dataclass(frozen=True)
class PrivacyItem:
    """One contact on a list: who, why, and the date behind the reason (if there is one)."""

    contact_id: str
    name: str
    reason: str
    on: date | None


@dataclass(frozen=True)
class PrivacyReview:
    today: date
    inactive_years: int
    review_due: tuple[PrivacyItem, ...]  # review date reached, the longest overdue first
    review_due_count: int
    no_basis: tuple[PrivacyItem, ...]  # no legal basis recorded, or consent withdrawn
    no_basis_count: int
    erasure_candidates: tuple[PrivacyItem, ...]  # inactive that long; longest on file first
    erasure_candidate_count: int

    @property
    def counts(self) -> dict[str, int]:
        return {"review_due": self.review_due_count, "no_basis": self.no_basis_count,
                "erasure_candidates": self.erasure_candidate_count}


# -- the setting -------------------------------------------------------------------------------
def check_inactive_years(raw: object) -> int:
    """A number of years from 1 to 50 (a whole number, or its digits), or a ValidationError
    saying so."""
    text = str(raw).strip()
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and text.lstrip("+-").isdigit():
        value = int(text)
    if value is None:
        raise ValidationError.single(
            "inactive_years", f"“{text}” is not a whole number of years")
    if not MIN_INACTIVE_YEARS <= value <= MAX_INACTIVE_YEARS:
        raise ValidationError.single(
            "inactive_years", f"must be between {MIN_INACTIVE_YEARS} and {MAX_INACTIVE_YEARS} "
                              f"years (not {value})")
    return value


def _stored_years(conn: Connection) -> int:
    """The office's setting; the default when it is not set (or not readable as one)."""
    raw = repo.setting(conn, INACTIVE_YEARS_KEY)
    try:
        return check_inactive_years(raw) if raw is not None else DEFAULT_INACTIVE_YEARS
    except ValidationError:
        return DEFAULT_INACTIVE_YEARS


def inactive_years(uow: UnitOfWork) -> int:
    """After how many years without activity a contact is a candidate for erasure."""
    with uow:
        return _stored_years(uow)


def set_inactive_years(uow: UnitOfWork, years: object) -> int:
    """Store the number of years (1–50); returns it. Raises ValidationError otherwise."""
    value = check_inactive_years(years)
    from citypartner_desktop.repositories import monitoring_state  # the ORM: only to write

    with uow:
        monitoring_state.put_setting(uow.session, INACTIVE_YEARS_KEY, str(value))
        uow.commit()
    return value


# -- the review --------------------------------------------------------------------------------
def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes the 28th in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def review(uow: UnitOfWork, today: date | None = None, inactive_years: int | None = None,
           *, limit: int = LIST_LIMIT) -> PrivacyReview:
    """The review as of ``today`` (the user's local date by default); ``inactive_years``
    defaults to the office's setting. Each list holds its first ``limit`` contacts."""
    with uow:
        return read_review(uow, today or date.today(), inactive_years, limit=limit)


def review_of(source: ReadSource, today: date, inactive_years: int | None = None,
              *, limit: int = LIST_LIMIT) -> PrivacyReview:
    """The review through a read-only connection of its own (no ORM; safe on a worker thread),
    as one consistent read."""
    with source.snapshot() as conn:
        return read_review(conn, today, inactive_years, limit=limit)


def read_review(conn: Connection, today: date, inactive_years: int | None = None,
                *, limit: int = LIST_LIMIT) -> PrivacyReview:
    years = (_stored_years(conn) if inactive_years is None
             else check_inactive_years(inactive_years))
    due_rows, due_count = repo.review_due(conn, today, limit)
    due = tuple(
        PrivacyItem(i, name, "due today" if on == today else f"due since {on.isoformat()}", on)
        for i, name, on in due_rows)
    basis_rows, basis_count = repo.without_basis(conn, limit)
    no_basis = tuple(
        PrivacyItem(i, name, f"consent withdrawn {withdrawn.isoformat()}", withdrawn)
        if withdrawn is not None else PrivacyItem(i, name, "no legal basis recorded", None)
        for i, name, _basis, withdrawn in basis_rows)
    since = years_before(today, years)
    idle_rows, idle_count = repo.inactive(conn, today, since, limit)
    idle = tuple(
        PrivacyItem(i, name, f"last activity {last.isoformat()}", last) if last is not None
        else PrivacyItem(i, name, f"no activity; added {created.date().isoformat()}",
                         created.date())
        for i, name, last, created in idle_rows)
    return PrivacyReview(today, years, due, due_count, no_basis, basis_count, idle, idle_count)
