"""Read queries behind the PDF reports: columns, not entities, and aggregates in SQL.

Everything that can grow with the database (activities, contacts, actions) is either counted
and grouped here or read with a LIMIT, so a report on a million activities stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, extract, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from citypartner_desktop.db.models import (
    Action,
    Activity,
    Agreement,
    City,
    Contact,
    Coordinator,
    CriterionScore,
    Evaluation,
    Goal,
    HealthCheck,
    KpiMeasurement,
    Membership,
    Partnership,
    Programme,
)

Rows = list[Any]  # result rows (named tuples); typed loosely, read by name

CITY_COLUMNS = (City.id, City.name, City.native_name, City.country, City.region,
                City.population, City.latitude, City.longitude, City.timezone, City.is_home,
                City.website)
CONTACT_COLUMNS = (Contact.full_name, Contact.title, Contact.position, Contact.organisation,
                   Contact.email, Contact.phone, City.name)
AGREEMENT_COLUMNS = (Agreement.title, Agreement.kind, Agreement.status, Agreement.signed_on,
                     Agreement.effective_on, Agreement.expires_on, Agreement.notice_period_months,
                     Agreement.review_on, Agreement.auto_renew, Partnership.title)
ACTIVITY_COLUMNS = (Activity.start_date, Activity.kind, Activity.title, City.name,
                    Activity.summary, Partnership.title, Activity.participant_count)
EVALUATION_COLUMNS = (Evaluation.id, Evaluation.evaluated_on, Evaluation.period, Evaluation.kind,
                      Evaluation.recommendation, Partnership.title)


# -- single records ---------------------------------------------------------------------------
def partnership(session: Session, partnership_id: str) -> Any:
    stmt = (
        select(Partnership.id, Partnership.title, Partnership.kind, Partnership.status,
               Partnership.themes, Partnership.start_date, Partnership.end_date,
               Programme.name, Partnership.lead_department, Partnership.aims,
               Partnership.since_year)
        .outerjoin(Programme, Programme.id == Partnership.programme_id)
        .where(Partnership.id == partnership_id, Partnership.deleted_at.is_(None))
    )
    return session.execute(stmt).first()


def city(session: Session, city_id: str) -> Any:
    stmt = select(*CITY_COLUMNS).where(City.id == city_id, City.deleted_at.is_(None))
    return session.execute(stmt).first()


def home_city(session: Session) -> Any:
    stmt = (select(*CITY_COLUMNS).where(City.is_home.is_(True), City.deleted_at.is_(None))
            .order_by(City.name).limit(1))
    return session.execute(stmt).first()


def evaluation(session: Session, evaluation_id: str) -> Any:
    stmt = (
        select(Evaluation.id, Evaluation.partnership_id, Partnership.title, Evaluation.period,
               Evaluation.evaluated_on, Evaluation.kind, Evaluation.method, Evaluation.evaluator,
               Evaluation.findings, Evaluation.lessons, Evaluation.recommendation)
        .join(Partnership, Partnership.id == Evaluation.partnership_id)
        .where(Evaluation.id == evaluation_id, Evaluation.deleted_at.is_(None))
    )
    return session.execute(stmt).first()


# -- finding a record by name -------------------------------------------------------------------
def evaluation_labels(session: Session) -> Rows:
    """(id, partnership title, period, date) of every live evaluation: a few per partnership,
    so small enough to match names against in Python."""
    stmt = (
        select(Evaluation.id, Partnership.title, Evaluation.period, Evaluation.evaluated_on)
        .join(Partnership, Partnership.id == Evaluation.partnership_id)
        .where(Evaluation.deleted_at.is_(None), Partnership.deleted_at.is_(None))
        .order_by(Partnership.title, Evaluation.evaluated_on)
    )
    return list(session.execute(stmt))


def same_name(session: Session, kind: str, text: str, limit: int) -> Rows:
    """(id, label) of cities or partnerships whose name or title is ``text``, ignoring case."""
    if kind == "city":
        names = (func.lower(City.name) == text.lower()) | (City.native_name == text)
        stmt: Any = select(City.id, City.name + literal(" (") + City.country + literal(")"))
        stmt = stmt.where(names, City.deleted_at.is_(None)).order_by(City.name)
    else:
        stmt = select(Partnership.id, Partnership.title).where(
            func.lower(Partnership.title) == text.lower(), Partnership.deleted_at.is_(None)
        ).order_by(Partnership.title)
    return list(session.execute(stmt.limit(limit)))


# -- people ------------------------------------------------------------------------------------
def coordinators(session: Session, partnership_id: str) -> Rows:
    stmt = (
        select(*CONTACT_COLUMNS, Coordinator.responsibility)
        .join(Contact, Contact.id == Coordinator.contact_id)
        .outerjoin(City, City.id == Contact.city_id)
        .where(Coordinator.partnership_id == partnership_id, Coordinator.deleted_at.is_(None),
               Contact.deleted_at.is_(None))
        .order_by(Contact.full_name)
    )
    return list(session.execute(stmt))


def city_contacts(session: Session, city_ids: Sequence[str], limit: int) -> Rows:
    stmt = (
        select(*CONTACT_COLUMNS)
        .outerjoin(City, City.id == Contact.city_id)
        .where(Contact.city_id.in_(city_ids), Contact.deleted_at.is_(None))
        .order_by(City.name, Contact.full_name)
        .limit(limit)
    )
    return list(session.execute(stmt))


def count_city_contacts(session: Session, city_ids: Sequence[str]) -> int:
    stmt = select(func.count()).select_from(Contact).where(
        Contact.city_id.in_(city_ids), Contact.deleted_at.is_(None))
    return int(session.execute(stmt).scalar_one())


# -- partnerships and their parts ----------------------------------------------------------------
def members(session: Session, partnership_id: str) -> Rows:
    stmt = (
        select(*CITY_COLUMNS, Membership.role, Membership.joined_on, Membership.left_on)
        .join(City, City.id == Membership.city_id)
        .where(Membership.partnership_id == partnership_id, Membership.deleted_at.is_(None),
               City.deleted_at.is_(None))
        .order_by(City.is_home.desc(), City.name)
    )
    return list(session.execute(stmt))


def partnerships_of_city(session: Session, city_id: str) -> Rows:
    stmt = (
        select(Partnership.id, Partnership.title, Partnership.kind, Partnership.status,
               Membership.role, Partnership.start_date, Partnership.since_year)
        .join(Membership, Membership.partnership_id == Partnership.id)
        .where(Membership.city_id == city_id, Membership.deleted_at.is_(None),
               Partnership.deleted_at.is_(None))
        .order_by(Partnership.title)
    )
    return list(session.execute(stmt))


def agreements(session: Session, partnership_ids: Sequence[str],
               statuses: Sequence[str] = ()) -> Rows:
    stmt = (
        select(*AGREEMENT_COLUMNS)
        .join(Partnership, Partnership.id == Agreement.partnership_id)
        .where(Agreement.partnership_id.in_(partnership_ids), Agreement.deleted_at.is_(None))
        .order_by(Agreement.expires_on.is_(None), Agreement.expires_on, Agreement.title)
    )
    if statuses:
        stmt = stmt.where(Agreement.status.in_(statuses))
    return list(session.execute(stmt))


def agreements_expiring(session: Session, start: date, end: date) -> Rows:
    stmt = (
        select(*AGREEMENT_COLUMNS)
        .join(Partnership, Partnership.id == Agreement.partnership_id)
        .where(Agreement.expires_on.between(start, end), Agreement.deleted_at.is_(None),
               Partnership.deleted_at.is_(None),
               Agreement.status.in_(("signed", "in_force")))
        .order_by(Agreement.expires_on, Agreement.title)
    )
    return list(session.execute(stmt))


def goals(session: Session, partnership_ids: Sequence[str]) -> Rows:
    """Goals with their latest KPI measurement (value and date), newest evaluation first."""
    kpi = aliased(KpiMeasurement)
    ev = aliased(Evaluation)
    when = func.coalesce(kpi.measured_on, ev.evaluated_on)

    def latest(column: Any) -> Any:
        return (
            select(column)
            .select_from(kpi)
            .join(ev, ev.id == kpi.evaluation_id)
            .where(kpi.goal_id == Goal.id, kpi.deleted_at.is_(None), ev.deleted_at.is_(None))
            .order_by(when.desc())
            .limit(1)
            .scalar_subquery()
        )

    stmt = (
        select(Goal.title, Goal.indicator, Goal.unit, Goal.baseline, Goal.target,
               latest(kpi.actual), latest(when),
               Goal.status, Goal.due_date, Partnership.title)
        .join(Partnership, Partnership.id == Goal.partnership_id)
        .where(Goal.partnership_id.in_(partnership_ids), Goal.deleted_at.is_(None))
        .order_by(Partnership.title, Goal.due_date.is_(None), Goal.due_date, Goal.title)
    )
    return list(session.execute(stmt))


def open_actions(session: Session, partnership_ids: Sequence[str], limit: int) -> Rows:
    stmt = (
        select(Action.title, Action.owner, Action.due_date, Partnership.title)
        .join(Partnership, Partnership.id == Action.partnership_id)
        .where(Action.partnership_id.in_(partnership_ids), Action.done_date.is_(None),
               Action.deleted_at.is_(None))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.title)
        .limit(limit)
    )
    return list(session.execute(stmt))


def count_open_actions(session: Session, partnership_ids: Sequence[str]) -> int:
    stmt = select(func.count()).select_from(Action).where(
        Action.partnership_id.in_(partnership_ids), Action.done_date.is_(None),
        Action.deleted_at.is_(None))
    return int(session.execute(stmt).scalar_one())


def evaluation_actions(session: Session, evaluation_id: str) -> Rows:
    stmt = (
        select(Action.title, Action.owner, Action.due_date, Action.done_date)
        .where(Action.evaluation_id == evaluation_id, Action.deleted_at.is_(None))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.title)
    )
    return list(session.execute(stmt))


# -- activities ----------------------------------------------------------------------------------
def _activities(partnership_ids: Sequence[str]) -> Any:
    return (
        select(*ACTIVITY_COLUMNS)
        .join(Partnership, Partnership.id == Activity.partnership_id)
        .outerjoin(City, City.id == Activity.city_id)
        .where(Activity.partnership_id.in_(partnership_ids), Activity.deleted_at.is_(None))
    )


def latest_activities(session: Session, partnership_ids: Sequence[str], limit: int,
                      kinds: Sequence[str] = (), until: date | None = None) -> Rows:
    stmt = _activities(partnership_ids)
    if kinds:
        stmt = stmt.where(Activity.kind.in_(kinds))
    if until is not None:
        stmt = stmt.where(Activity.start_date <= until)
    stmt = stmt.order_by(Activity.start_date.desc(), Activity.title).limit(limit)
    return list(session.execute(stmt))


def count_activities(session: Session, partnership_ids: Sequence[str]) -> int:
    stmt = select(func.count()).select_from(Activity).where(
        Activity.partnership_id.in_(partnership_ids), Activity.deleted_at.is_(None))
    return int(session.execute(stmt).scalar_one())


def activities_per_year(session: Session, partnership_id: str) -> list[tuple[int, int]]:
    year = extract("year", Activity.start_date)  # strftime on SQLite, EXTRACT on PostgreSQL
    stmt = (
        select(year, func.count())
        .where(Activity.partnership_id == partnership_id, Activity.deleted_at.is_(None))
        .group_by(year).order_by(year)
    )
    return [(int(y), int(n)) for y, n in session.execute(stmt) if y]


def activities_per_partnership(session: Session, start: date, end: date) -> list[tuple[str, int]]:
    stmt = (
        select(Activity.partnership_id, func.count())
        .where(Activity.start_date.between(start, end), Activity.deleted_at.is_(None))
        .group_by(Activity.partnership_id)
    )
    return [(pid, int(n)) for pid, n in session.execute(stmt)]


def activities_per_partner_city(session: Session, start: date, end: date,
                                limit: int) -> Rows:
    """Activities of the year per member city other than the home city, busiest first."""
    n = func.count(Activity.id)
    stmt = (
        select(City.name, City.native_name, City.country, n)
        .select_from(Activity)
        .join(Membership, and_(Membership.partnership_id == Activity.partnership_id,
                               Membership.deleted_at.is_(None)))
        .join(City, City.id == Membership.city_id)
        .where(Activity.start_date.between(start, end), Activity.deleted_at.is_(None),
               City.is_home.is_(False))
        .group_by(City.id)
        .order_by(n.desc(), City.name)
        .limit(limit)
    )
    return list(session.execute(stmt))


def last_activity_dates(session: Session, statuses: Sequence[str]) -> Rows:
    """(title, status, kind, date of the last activity or None) per partnership. The date is
    found per partnership walking its (partnership, start date) index backwards: a GROUP BY
    over a million activities would read them all."""
    last = (
        select(Activity.start_date)
        .where(Activity.partnership_id == Partnership.id, Activity.deleted_at.is_(None))
        .order_by(Activity.start_date.desc()).limit(1).scalar_subquery()
    )
    stmt = (
        select(Partnership.title, Partnership.status, Partnership.kind, last)
        .where(Partnership.deleted_at.is_(None), Partnership.status.in_(statuses))
        .order_by(Partnership.title)
    )
    return list(session.execute(stmt))


# -- evaluations ---------------------------------------------------------------------------------
def evaluations_of(session: Session, partnership_id: str) -> Rows:
    stmt = (
        select(*EVALUATION_COLUMNS)
        .join(Partnership, Partnership.id == Evaluation.partnership_id)
        .where(Evaluation.partnership_id == partnership_id, Evaluation.deleted_at.is_(None))
        .order_by(Evaluation.evaluated_on)
    )
    return list(session.execute(stmt))


def evaluations_between(session: Session, start: date, end: date) -> Rows:
    stmt = (
        select(*EVALUATION_COLUMNS)
        .join(Partnership, Partnership.id == Evaluation.partnership_id)
        .where(Evaluation.evaluated_on.between(start, end), Evaluation.deleted_at.is_(None),
               Partnership.deleted_at.is_(None))
        .order_by(Evaluation.evaluated_on, Partnership.title)
    )
    return list(session.execute(stmt))


def scores(session: Session, evaluation_ids: Sequence[str]) -> Rows:
    """(evaluation id, criterion, score, rationale); looked up in chunks (SQLite's limit on
    bound parameters)."""
    found: Rows = []
    ids = list(evaluation_ids)
    for i in range(0, len(ids), 500):
        stmt = select(CriterionScore.evaluation_id, CriterionScore.criterion,
                      CriterionScore.score, CriterionScore.rationale).where(
            CriterionScore.evaluation_id.in_(ids[i:i + 500]), CriterionScore.deleted_at.is_(None))
        found.extend(session.execute(stmt))
    return found


def health_checks(session: Session, evaluation_id: str) -> Rows:
    stmt = select(HealthCheck.side, HealthCheck.aspect, HealthCheck.rating, HealthCheck.note).where(
        HealthCheck.evaluation_id == evaluation_id, HealthCheck.deleted_at.is_(None))
    return list(session.execute(stmt))


def kpi_measurements(session: Session, evaluation_id: str) -> Rows:
    stmt = (
        select(Goal.title, Goal.indicator, Goal.unit, Goal.baseline, Goal.target,
               KpiMeasurement.actual, KpiMeasurement.measured_on, KpiMeasurement.note)
        .join(Goal, Goal.id == KpiMeasurement.goal_id)
        .where(KpiMeasurement.evaluation_id == evaluation_id,
               KpiMeasurement.deleted_at.is_(None))
        .order_by(Goal.title)
    )
    return list(session.execute(stmt))


# -- the portfolio ---------------------------------------------------------------------------------
def partnerships_by_status_and_kind(session: Session) -> list[tuple[str, str, int]]:
    stmt = (
        select(Partnership.status, Partnership.kind, func.count())
        .where(Partnership.deleted_at.is_(None))
        .group_by(Partnership.status, Partnership.kind)
    )
    return [(s, k, int(n)) for s, k, n in session.execute(stmt)]


def partnership_themes(session: Session) -> list[tuple[str, list[str]]]:
    stmt = select(Partnership.id, Partnership.themes).where(Partnership.deleted_at.is_(None))
    return [(pid, list(themes or [])) for pid, themes in session.execute(stmt)]


def partnerships_active_in(session: Session, start: date, end: date) -> Rows:
    """Partnerships that existed during the period (started before its end, not ended before
    its start), with their member count."""
    members_n = (select(func.count()).select_from(Membership)
                 .where(Membership.partnership_id == Partnership.id,
                        Membership.deleted_at.is_(None)).scalar_subquery())
    stmt = (
        select(Partnership.title, Partnership.kind, Partnership.status, Partnership.start_date,
               members_n, Partnership.since_year)
        .where(Partnership.deleted_at.is_(None),
               or_(Partnership.start_date.is_(None), Partnership.start_date <= end),
               or_(Partnership.since_year.is_(None), Partnership.since_year <= end.year),
               or_(Partnership.end_date.is_(None), Partnership.end_date >= start))
        .order_by(Partnership.status, Partnership.title)
    )
    return list(session.execute(stmt))
