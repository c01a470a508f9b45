"""Read queries of the personal-data review: contacts whose review is due, contacts kept
without a legal basis, and contacts no longer active (candidates for erasure).

Plain SQL over ``plain_sql.Connection`` (no SQLAlchemy), like ``monitoring``: the dashboard
computes the review through the read-only reader. The statements are the same on SQLite and
PostgreSQL: dates are bound as ISO text (SQLite stores them so; PostgreSQL casts the literal to
the column's type). Each list is cut at ``limit`` rows in SQL and counted in full there, so a
large office (200,000 contacts) never moves every row: the whole review takes about 1.3 s on
such a file, off the GUI thread. Erased contacts (the ``erasures`` register) and deleted ones
are never listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from citypartner_desktop.repositories.plain_sql import Connection, as_date, as_utc, marks

Rows = list[tuple[Any, ...]]

# What keeps a contact's data needed: coordinating a partnership being prepared or running,
# and having signed an agreement that still binds.
LIVE_PARTNERSHIP_STATUSES = ("proposed", "negotiating", "active")
BINDING_AGREEMENT_STATUSES = ("signed", "in_force")

_LIVE_CONTACT = ("contacts.deleted_at IS NULL AND NOT EXISTS "
                 "(SELECT 1 FROM erasures WHERE erasures.contact_id = contacts.id)")

_REVIEW_DUE = f"{_LIVE_CONTACT} AND contacts.review_date <= ?"

_NO_BASIS = (f"{_LIVE_CONTACT} AND (contacts.legal_basis IS NULL OR contacts.legal_basis = '' "
             "OR contacts.consent_withdrawn_on IS NOT NULL)")

_LAST_ACTIVITY = (
    "SELECT max(activities.start_date) FROM participants "
    "JOIN activities ON activities.id = participants.activity_id "
    "JOIN partnerships ON partnerships.id = activities.partnership_id "
    "WHERE participants.contact_id = contacts.id AND participants.deleted_at IS NULL "
    "AND activities.deleted_at IS NULL AND partnerships.deleted_at IS NULL")

# Who is still active: one pass over the recent activities (their start-date index) and the
# live roles, not a lookup per contact: a large office has 200,000 contacts.
_ACTIVE_IDS = (
    "SELECT participants.contact_id FROM activities "
    " JOIN participants ON participants.activity_id = activities.id "
    " JOIN partnerships ON partnerships.id = activities.partnership_id "
    " WHERE activities.start_date >= ? AND activities.deleted_at IS NULL "
    " AND participants.deleted_at IS NULL AND partnerships.deleted_at IS NULL "
    "UNION SELECT coordinators.contact_id FROM coordinators "
    " JOIN partnerships ON partnerships.id = coordinators.partnership_id "
    " WHERE coordinators.deleted_at IS NULL AND partnerships.deleted_at IS NULL "
    f" AND partnerships.status IN ({marks(LIVE_PARTNERSHIP_STATUSES)}) "
    "UNION SELECT signatories.contact_id FROM signatories "
    " JOIN agreements ON agreements.id = signatories.agreement_id "
    " JOIN partnerships ON partnerships.id = agreements.partnership_id "
    " WHERE signatories.deleted_at IS NULL AND agreements.deleted_at IS NULL "
    " AND partnerships.deleted_at IS NULL "
    f" AND agreements.status IN ({marks(BINDING_AGREEMENT_STATUSES)}) "
    " AND (agreements.expires_on IS NULL OR agreements.expires_on >= ?)")

_INACTIVE = (
    "contacts.deleted_at IS NULL AND contacts.created_at < ? "
    "AND contacts.id NOT IN (SELECT erasures.contact_id FROM erasures) "
    f"AND contacts.id NOT IN ({_ACTIVE_IDS})")


def _count(conn: Connection, where: str, parameters: Sequence[Any]) -> int:
    return int(conn.execute(f"SELECT count(*) FROM contacts WHERE {where}", parameters)[0][0])


def review_due(conn: Connection, today: date, limit: int) -> tuple[Rows, int]:
    """(id, full name, review date) of contacts whose review date has come, the longest
    overdue first; and how many there are."""
    parameters = (today.isoformat(),)
    rows = conn.execute(
        "SELECT contacts.id, contacts.full_name, contacts.review_date FROM contacts "
        f"WHERE {_REVIEW_DUE} ORDER BY contacts.review_date, contacts.full_name, contacts.id "
        "LIMIT ?", (*parameters, limit))
    return ([(i, n, as_date(d)) for i, n, d in rows],
            _count(conn, _REVIEW_DUE, parameters))


def without_basis(conn: Connection, limit: int) -> tuple[Rows, int]:
    """(id, full name, legal basis, consent withdrawn on) of contacts kept without a legal
    basis: none recorded, or consent that was withdrawn; and how many there are."""
    rows = conn.execute(
        "SELECT contacts.id, contacts.full_name, contacts.legal_basis, "
        "contacts.consent_withdrawn_on FROM contacts "
        f"WHERE {_NO_BASIS} ORDER BY contacts.full_name, contacts.id LIMIT ?", (limit,))
    return ([(i, n, b or None, as_date(w)) for i, n, b, w in rows],
            _count(conn, _NO_BASIS, ()))


def inactive(conn: Connection, today: date, since: date, limit: int) -> tuple[Rows, int]:
    """(id, full name, last activity start or None, created at) of contacts created before
    ``since`` with no activity from ``since`` on (planned ones count too), who coordinate no
    live partnership and signed no agreement still binding on ``today``, the longest on file
    first; and how many there are. One pass finds and counts them (a window count); the last
    activity is looked up for the rows listed only."""
    parameters = (since.isoformat(), since.isoformat(), *LIVE_PARTNERSHIP_STATUSES,
                  *BINDING_AGREEMENT_STATUSES, today.isoformat())
    rows = conn.execute(
        "SELECT found.id, contacts.full_name, "
        f"({_LAST_ACTIVITY}), contacts.created_at, found.total FROM ("
        "SELECT contacts.id AS id, contacts.created_at AS created_at, "
        "contacts.full_name AS full_name, count(*) OVER () AS total "
        f"FROM contacts WHERE {_INACTIVE} "
        "ORDER BY contacts.created_at, contacts.full_name, contacts.id LIMIT ?) AS found "
        "JOIN contacts ON contacts.id = found.id "
        "ORDER BY found.created_at, found.full_name, found.id",
        (*parameters, limit))
    total = int(rows[0][4]) if rows else 0
    if not rows and limit <= 0:
        total = _count(conn, _INACTIVE, parameters)
    return [(i, n, as_date(last), as_utc(c)) for i, n, last, c, _t in rows], total


def setting(conn: Connection, key: str) -> str | None:
    """An office setting's stored text (written through ``monitoring_state.put_setting``)."""
    rows = conn.execute(
        "SELECT value FROM settings WHERE key = ? AND deleted_at IS NULL", (key,))
    return str(rows[0][0]) if rows else None
