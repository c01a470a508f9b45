"""What each PDF report shows, gathered in one unit of work and returned as plain dataclasses.

The reports package lays these out; it never sees a Session. Lists that grow with the
database are bounded here (``Bounded``: the rows shown and how many there are in all).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.deadlines import decide_by, kpi_progress
from citypartner_desktop.domain.errors import CityPartnerError, NotFoundError, ValidationError
from citypartner_desktop.domain.text import fold
from citypartner_desktop.domain.validation import country_name, format_phone
from citypartner_desktop.domain.vocab import label_of
from citypartner_desktop.repositories import records as records_repo
from citypartner_desktop.repositories import reports as repo

T = TypeVar("T")

REPORT_KINDS = ("partnership", "city", "visit", "evaluation", "portfolio")
# The record each report is about (the portfolio is about a year).
RECORD_KIND = {"partnership": "partnership", "city": "city", "visit": "city",
               "evaluation": "evaluation"}

TIMELINE_LIMIT = 200  # activities listed in a dossier; the rest are counted per year
CONTACT_LIMIT = 150
ACTION_LIMIT = 150
RECENT_ACTIVITIES = 25
LAST_MEETINGS = 6
PARTNER_CHART_LIMIT = 15
DORMANT_AFTER_DAYS = 365
CANDIDATES_SHOWN = 10


class AmbiguousNameError(CityPartnerError):
    """A name matched several records; the message lists them (``candidates``: id, label)."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Bounded(Generic[T]):
    rows: tuple[T, ...]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class CityFacts:
    id: str
    name: str
    native_name: str | None
    country: str
    country_name: str
    region: str | None
    population: int | None
    latitude: float | None
    longitude: float | None
    timezone: str | None
    is_home: bool
    website: str | None

    @property
    def display_name(self) -> str:
        """"Kyoto (京都市)": the name and, when it differs, the name in its own script."""
        if self.native_name and self.native_name != self.name:
            return f"{self.name} ({self.native_name})"
        return self.name


@dataclass(frozen=True)
class Member:
    city: CityFacts
    role: str
    joined_on: date | None
    left_on: date | None


@dataclass(frozen=True)
class Person:
    name: str
    position: str
    organisation: str
    city: str
    email: str
    phone: str
    responsibility: str = ""


@dataclass(frozen=True)
class AgreementRow:
    title: str
    kind: str
    status: str
    signed_on: date | None
    effective_on: date | None
    expires_on: date | None
    notice_by: date | None  # the last day to give notice before it expires or renews
    review_on: date | None
    auto_renew: bool
    partnership: str

    def next_due(self, today: date) -> tuple[date, str] | None:
        """The next date on which something must be done, and what."""
        dues = [(d, what) for d, what in ((self.notice_by, "notice deadline"),
                                          (self.review_on, "review"),
                                          (self.expires_on, "expiry")) if d and d >= today]
        return min(dues) if dues else None


@dataclass(frozen=True)
class GoalRow:
    title: str
    indicator: str
    unit: str
    baseline: float | None
    target: float | None
    latest: float | None
    latest_on: date | None
    status: str
    due_date: date | None
    partnership: str

    @property
    def progress(self) -> float | None:
        return progress(self.baseline, self.target, self.latest)


@dataclass(frozen=True)
class ActivityRow:
    start_date: date
    kind: str
    title: str
    place: str
    summary: str
    partnership: str
    participants: int | None


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str
    due_date: date | None
    partnership: str = ""
    done_date: date | None = None


@dataclass(frozen=True)
class EvaluationRow:
    evaluated_on: date
    period: str
    kind: str
    recommendation: str
    partnership: str
    scores: dict[str, int | None]

    @property
    def average(self) -> float | None:
        given = [s for s in self.scores.values() if s is not None]
        return sum(given) / len(given) if given else None


@dataclass(frozen=True)
class PartnershipFacts:
    id: str
    title: str
    kind: str
    status: str
    themes: tuple[str, ...]
    start_date: date | None
    end_date: date | None
    programme: str
    lead_department: str
    aims: str
    since_year: int | None = None  # a list's "since 1979" where no start date is known


@dataclass(frozen=True)
class DossierData:
    partnership: PartnershipFacts
    members: tuple[Member, ...]
    coordinators: tuple[Person, ...]
    contacts: Bounded[Person]
    agreements: tuple[AgreementRow, ...]
    goals: tuple[GoalRow, ...]
    activities: Bounded[ActivityRow]
    activities_per_year: tuple[tuple[int, int], ...]
    evaluations: tuple[EvaluationRow, ...]
    open_actions: Bounded[ActionRow]


@dataclass(frozen=True)
class CityPartnershipRow:
    title: str
    kind: str
    status: str
    role: str
    start_date: date | None
    since_year: int | None = None


@dataclass(frozen=True)
class CityProfileData:
    city: CityFacts
    contacts: Bounded[Person]
    partnerships: tuple[CityPartnershipRow, ...]
    activities: Bounded[ActivityRow]


@dataclass(frozen=True)
class TimeDifference:
    home: str
    hours: float | None  # local time minus home time; None when a time zone is not recorded
    note: str


@dataclass(frozen=True)
class VisitData:
    city: CityFacts
    home: CityFacts | None
    time_difference: TimeDifference
    partnerships: tuple[CityPartnershipRow, ...]
    people: Bounded[Person]
    agreements: tuple[AgreementRow, ...]
    open_actions: Bounded[ActionRow]
    last_meetings: tuple[ActivityRow, ...]
    goals: tuple[GoalRow, ...]
    on: date


@dataclass(frozen=True)
class CriterionRow:
    criterion: str
    score: int | None
    rationale: str


@dataclass(frozen=True)
class HealthRow:
    aspect: str
    ours: str  # green / amber / red / "" (stored values, so colours can be chosen)
    partner: str
    note: str


@dataclass(frozen=True)
class KpiRow:
    goal: str
    indicator: str
    unit: str
    baseline: float | None
    target: float | None
    actual: float
    measured_on: date | None

    @property
    def progress(self) -> float | None:
        return progress(self.baseline, self.target, self.actual)


@dataclass(frozen=True)
class EvaluationData:
    partnership: str
    period: str
    evaluated_on: date
    kind: str
    method: str
    evaluator: str
    criteria: tuple[CriterionRow, ...]
    health: tuple[HealthRow, ...]
    kpis: tuple[KpiRow, ...]
    findings: str
    lessons: str
    recommendation: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class PortfolioData:
    year: int
    by_status_kind: tuple[tuple[str, str, int], ...]  # labels and count
    partnerships: tuple[CityPartnershipRow, ...]  # role holds the member count
    activities_total: int
    activities_per_theme: tuple[tuple[str, int], ...]
    # the year's busiest partner cities: name, name in its own script, activities
    activities_per_partner: tuple[tuple[str, str | None, int], ...]
    expiring: tuple[AgreementRow, ...]
    expiring_from: date
    expiring_to: date
    evaluations: tuple[EvaluationRow, ...]
    recommendations: tuple[tuple[str, int], ...]
    average_scores: tuple[tuple[str, float | None], ...]
    quiet: tuple[tuple[str, str, date | None], ...]  # title, status, last activity
    quiet_since: date


# -- helpers -----------------------------------------------------------------------------------
def progress(baseline: float | None, target: float | None, actual: float | None) -> float | None:
    """How far from baseline to target the value has come, 0.0–1.0 and beyond."""
    return kpi_progress(baseline, target, actual)


def _city(row: Any) -> CityFacts:
    return CityFacts(
        id=row.id, name=row.name, native_name=row.native_name, country=row.country,
        country_name=country_name(row.country), region=row.region, population=row.population,
        latitude=row.latitude, longitude=row.longitude, timezone=row.timezone,
        is_home=bool(row.is_home), website=row.website,
    )


def _person(row: Any, responsibility: str | None = None) -> Person:
    name = " ".join(p for p in (row[1], row[0]) if p)  # title, full name
    return Person(name=name, position=row[2] or "", organisation=row[3] or "",
                  email=row[4] or "", phone=format_phone(row[5]) if row[5] else "",
                  city=row[6] or "", responsibility=responsibility or "")


def _agreement(row: Any) -> AgreementRow:
    notice = (decide_by(row.expires_on, row.notice_period_months)
              if row.expires_on and row.notice_period_months else None)
    return AgreementRow(
        title=row[0], kind=label_of(vocab.AGREEMENT_KINDS, row[1]),
        status=label_of(vocab.AGREEMENT_STATUSES, row[2]), signed_on=row[3], effective_on=row[4],
        expires_on=row[5], notice_by=notice, review_on=row[7], auto_renew=bool(row[8]),
        partnership=row[9],
    )


def _goal(row: Any) -> GoalRow:
    return GoalRow(title=row[0], indicator=row[1] or "", unit=row[2] or "", baseline=row[3],
                   target=row[4], latest=row[5], latest_on=_as_date(row[6]),
                   status=label_of(vocab.GOAL_STATUSES, row[7]), due_date=row[8],
                   partnership=row[9])


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # a COALESCE of dates comes back as text


def _activity(row: Any) -> ActivityRow:
    return ActivityRow(start_date=row[0], kind=label_of(vocab.ACTIVITY_KINDS, row[1]),
                       title=row[2], place=row[3] or "", summary=row[4] or "",
                       partnership=row[5], participants=row[6])


def _action(row: Any) -> ActionRow:
    return ActionRow(title=row[0], owner=row[1] or "", due_date=row[2], partnership=row[3])


def _evaluations(uow: UnitOfWork, rows: list[Any]) -> tuple[EvaluationRow, ...]:
    scores: dict[str, dict[str, int | None]] = {}
    for evaluation_id, criterion, score, _rationale in repo.scores(
            uow.session, [r.id for r in rows]):
        scores.setdefault(evaluation_id, {})[criterion] = score
    return tuple(
        EvaluationRow(evaluated_on=r.evaluated_on, period=r.period,
                      kind=label_of(vocab.EVALUATION_KINDS, r.kind),
                      recommendation=label_of(vocab.RECOMMENDATIONS, r.recommendation),
                      partnership=r.title, scores=scores.get(r.id, {}))
        for r in rows
    )


def _partnership_rows(rows: list[Any]) -> tuple[CityPartnershipRow, ...]:
    return tuple(
        CityPartnershipRow(title=r.title, kind=label_of(vocab.PARTNERSHIP_KINDS, r.kind),
                           status=label_of(vocab.PARTNERSHIP_STATUSES, r.status),
                           role=label_of(vocab.MEMBER_ROLES, r.role), start_date=r.start_date,
                           since_year=r.since_year)
        for r in rows
    )


# -- finding the record a report is about --------------------------------------------------------
def resolve(uow: UnitOfWork, report: str, *, record_id: str | None = None,
            name: str | None = None) -> str:
    """The id of the record a report is about, from an id or a name. A name must match
    exactly one record (an exact name wins over names that merely contain the words)."""
    if report not in RECORD_KIND:
        raise ValidationError.single("report", f"{report!r} is not a report about one record")
    kind = RECORD_KIND[report]
    label = {"city": "city", "partnership": "partnership", "evaluation": "evaluation"}[kind]
    with uow:
        if record_id is not None:
            if not records_repo.exists(uow.session, kind, record_id):
                raise NotFoundError(f"No {label} with id {record_id}.")
            return record_id
        text = " ".join((name or "").split())
        if not text:
            raise ValidationError.single("name", f"give the {label}'s name or its id")
        found = _candidates(uow, kind, text)
    if not found:
        raise NotFoundError(f"No {label} matches “{text}”.")
    if len(found) > 1:
        shown = "\n".join(f"  {lbl}  (--id {rid})" for rid, lbl in found[:CANDIDATES_SHOWN])
        more = len(found) - CANDIDATES_SHOWN
        extra = f"\n  … and {more} more" if more > 0 else ""
        raise AmbiguousNameError(
            f"“{text}” matches {len(found)} {label} records; give a longer name or the id:"
            f"\n{shown}{extra}", found)
    return found[0][0]


def _candidates(uow: UnitOfWork, kind: str, text: str) -> list[tuple[str, str]]:
    if kind == "evaluation":
        words = fold(text).split()
        rows = repo.evaluation_labels(uow.session)
        # Words are matched against the title and period; the date only tells them apart.
        named = [(r.id, f"{r.title} – {r.period}", r.evaluated_on) for r in rows]
        same = [c for c in named if fold(c[1]) == fold(text)]
        found = same or [c for c in named
                          if all(w in fold(c[1]) for w in words)]
        return [(rid, f"{name} ({on.isoformat()})") for rid, name, on in found]
    exact = [(str(r[0]), str(r[1])) for r in repo.same_name(uow.session, kind, text, 50)]
    if exact:
        return exact
    return [(c.id, c.label) for c in records_repo.lookup(uow.session, kind, text, 50)]


# -- the reports' data ---------------------------------------------------------------------------
def dossier(uow: UnitOfWork, partnership_id: str) -> DossierData:
    with uow:
        s = uow.session
        p = repo.partnership(s, partnership_id)
        if p is None:
            raise NotFoundError(f"No partnership with id {partnership_id}.")
        members = tuple(
            Member(city=_city(r), role=label_of(vocab.MEMBER_ROLES, r.role),
                   joined_on=r.joined_on, left_on=r.left_on)
            for r in repo.members(s, partnership_id)
        )
        partner_ids = [m.city.id for m in members if not m.city.is_home]
        contacts = repo.city_contacts(s, partner_ids, CONTACT_LIMIT)
        activities = repo.latest_activities(s, [partnership_id], TIMELINE_LIMIT)
        actions = repo.open_actions(s, [partnership_id], ACTION_LIMIT)
        return DossierData(
            partnership=PartnershipFacts(
                id=p.id, title=p.title, kind=label_of(vocab.PARTNERSHIP_KINDS, p.kind),
                status=label_of(vocab.PARTNERSHIP_STATUSES, p.status),
                themes=tuple(label_of(vocab.THEMES, t) for t in p.themes or ()),
                start_date=p.start_date, end_date=p.end_date, programme=p.name or "",
                lead_department=p.lead_department or "", aims=p.aims or "",
                since_year=p.since_year),
            members=members,
            coordinators=tuple(_person(r, r.responsibility)
                               for r in repo.coordinators(s, partnership_id)),
            contacts=Bounded(tuple(_person(r) for r in contacts),
                             _total(contacts, CONTACT_LIMIT,
                                    lambda: repo.count_city_contacts(s, partner_ids))),
            agreements=tuple(_agreement(r) for r in repo.agreements(s, [partnership_id])),
            goals=tuple(_goal(r) for r in repo.goals(s, [partnership_id])),
            activities=Bounded(tuple(_activity(r) for r in activities),
                               _total(activities, TIMELINE_LIMIT,
                                      lambda: repo.count_activities(s, [partnership_id]))),
            activities_per_year=tuple(repo.activities_per_year(s, partnership_id)),
            evaluations=_evaluations(uow, repo.evaluations_of(s, partnership_id)),
            open_actions=Bounded(tuple(_action(r) for r in actions),
                                 _total(actions, ACTION_LIMIT,
                                        lambda: repo.count_open_actions(s, [partnership_id]))),
        )


def _total(rows: list[Any], limit: int, count: Any) -> int:
    return len(rows) if len(rows) < limit else int(count())


def _city_or_fail(uow: UnitOfWork, city_id: str) -> CityFacts:
    row = repo.city(uow.session, city_id)
    if row is None:
        raise NotFoundError(f"No city with id {city_id}.")
    return _city(row)


def city_profile(uow: UnitOfWork, city_id: str) -> CityProfileData:
    with uow:
        s = uow.session
        city = _city_or_fail(uow, city_id)
        contacts = repo.city_contacts(s, [city_id], CONTACT_LIMIT)
        partnership_rows = repo.partnerships_of_city(s, city_id)
        pids = [r.id for r in partnership_rows]
        activities = repo.latest_activities(s, pids, RECENT_ACTIVITIES)
        return CityProfileData(
            city=city,
            contacts=Bounded(tuple(_person(r) for r in contacts),
                             _total(contacts, CONTACT_LIMIT,
                                    lambda: repo.count_city_contacts(s, [city_id]))),
            partnerships=_partnership_rows(partnership_rows),
            activities=Bounded(tuple(_activity(r) for r in activities),
                               _total(activities, RECENT_ACTIVITIES,
                                      lambda: repo.count_activities(s, pids))),
        )


def time_difference(city: CityFacts, home: CityFacts | None, on: date) -> TimeDifference:
    """Local time minus home time at noon on ``on`` (so summer time is taken into account)."""
    if home is None:
        return TimeDifference("", None, "No home city is recorded.")
    if not city.timezone or not home.timezone:
        missing = city if not city.timezone else home
        return TimeDifference(home.name, None, f"The time zone of {missing.name} is not recorded.")
    try:
        there, here = ZoneInfo(city.timezone), ZoneInfo(home.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return TimeDifference(home.name, None, "A time zone is not known to this computer.")
    noon = datetime(on.year, on.month, on.day, 12)
    offset = noon.replace(tzinfo=there).utcoffset() or timedelta()
    home_offset = noon.replace(tzinfo=here).utcoffset() or timedelta()
    hours = (offset - home_offset).total_seconds() / 3600
    return TimeDifference(home.name, hours, describe_hours(hours, home.name))


def describe_hours(hours: float, home: str) -> str:
    if hours == 0:
        return f"Same time as {home}"
    whole, minutes = divmod(round(abs(hours) * 60), 60)
    amount = f"{whole} h" + (f" {minutes} min" if minutes else "")
    return f"{amount} {'ahead of' if hours > 0 else 'behind'} {home}"


def visit(uow: UnitOfWork, city_id: str, on: date) -> VisitData:
    with uow:
        s = uow.session
        city = _city_or_fail(uow, city_id)
        home_row = repo.home_city(s)
        home = _city(home_row) if home_row is not None else None
        partnership_rows = repo.partnerships_of_city(s, city_id)
        pids = [r.id for r in partnership_rows]
        people = repo.city_contacts(s, [city_id], CONTACT_LIMIT)
        actions = repo.open_actions(s, pids, ACTION_LIMIT)
        meetings = repo.latest_activities(s, pids, LAST_MEETINGS,
                                          kinds=("meeting", "visit", "call", "event"), until=on)
        return VisitData(
            city=city, home=home, time_difference=time_difference(city, home, on),
            partnerships=_partnership_rows(partnership_rows),
            people=Bounded(tuple(_person(r) for r in people),
                           _total(people, CONTACT_LIMIT,
                                  lambda: repo.count_city_contacts(s, [city_id]))),
            agreements=tuple(_agreement(r) for r in repo.agreements(
                s, pids, statuses=("signed", "in_force"))),
            open_actions=Bounded(tuple(_action(r) for r in actions),
                                 _total(actions, ACTION_LIMIT,
                                        lambda: repo.count_open_actions(s, pids))),
            last_meetings=tuple(_activity(r) for r in meetings),
            goals=tuple(_goal(r) for r in repo.goals(s, pids)),
            on=on,
        )


def evaluation(uow: UnitOfWork, evaluation_id: str) -> EvaluationData:
    with uow:
        s = uow.session
        e = repo.evaluation(s, evaluation_id)
        if e is None:
            raise NotFoundError(f"No evaluation with id {evaluation_id}.")
        given = {c: (score, rationale or "")
                 for _id, c, score, rationale in repo.scores(s, [evaluation_id])}
        criteria = tuple(CriterionRow(label, *given.get(key, (None, "")))
                         for key, label in vocab.CRITERIA)
        ratings: dict[str, dict[str, str]] = {}
        notes: dict[str, list[str]] = {}
        for side, aspect, rating, note in repo.health_checks(s, evaluation_id):
            ratings.setdefault(aspect, {})[side] = rating
            if note:
                notes.setdefault(aspect, []).append(note)
        health = tuple(
            HealthRow(label, ratings[key].get("ours", ""), ratings[key].get("partner", ""),
                      " ".join(notes.get(key, [])))
            for key, label in vocab.HEALTH_ASPECTS if key in ratings
        )
        kpis = tuple(KpiRow(goal=r[0], indicator=r[1] or "", unit=r[2] or "", baseline=r[3],
                            target=r[4], actual=r[5], measured_on=r[6])
                     for r in repo.kpi_measurements(s, evaluation_id))
        actions = tuple(ActionRow(title=r[0], owner=r[1] or "", due_date=r[2], done_date=r[3])
                        for r in repo.evaluation_actions(s, evaluation_id))
        return EvaluationData(
            partnership=e.title, period=e.period, evaluated_on=e.evaluated_on,
            kind=label_of(vocab.EVALUATION_KINDS, e.kind), method=e.method or "",
            evaluator=e.evaluator or "", criteria=criteria, health=health, kpis=kpis,
            findings=e.findings or "", lessons=e.lessons or "",
            recommendation=label_of(vocab.RECOMMENDATIONS, e.recommendation), actions=actions,
        )


def portfolio(uow: UnitOfWork, year: int, on: date) -> PortfolioData:
    """The year's portfolio. ``on`` is the report's date: agreements expiring in the 12 months
    after it, and partnerships quiet for a year before it (or before the year's end)."""
    if not 1900 <= year <= 2200:
        raise ValidationError.single("year", f"{year} is not a year this report can cover")
    start, end = date(year, 1, 1), date(year, 12, 31)
    with uow:
        s = uow.session
        by_status_kind = tuple(
            (label_of(vocab.PARTNERSHIP_STATUSES, st), label_of(vocab.PARTNERSHIP_KINDS, k), n)
            for st, k, n in sorted(repo.partnerships_by_status_and_kind(s),
                                   key=lambda r: (_order(vocab.PARTNERSHIP_STATUSES, r[0]),
                                                  _order(vocab.PARTNERSHIP_KINDS, r[1])))
        )
        per_partnership = dict(repo.activities_per_partnership(s, start, end))
        per_theme: Counter[str] = Counter()
        for pid, themes in repo.partnership_themes(s):
            for theme in themes or ["(no theme)"]:
                per_theme[theme] += per_partnership.get(pid, 0)
        theme_counts = tuple((label_of(vocab.THEMES, t), n) for t, n in
                       sorted(per_theme.items(), key=lambda kv: (-kv[1], kv[0])) if n)
        partners = tuple(
            (r.name, r.native_name, int(r[3]))
            for r in repo.activities_per_partner_city(s, start, end, PARTNER_CHART_LIMIT)
        )
        horizon = min(on, end) if year <= on.year else end
        quiet_since = horizon - timedelta(days=DORMANT_AFTER_DAYS)
        quiet = tuple(
            (r.title, label_of(vocab.PARTNERSHIP_STATUSES, r.status), r[3])
            for r in repo.last_activity_dates(s, ("active", "negotiating", "dormant"))
            if r[3] is None or r[3] < quiet_since
        )
        evaluations = _evaluations(uow, repo.evaluations_between(s, start, end))
        recommendations = Counter(e.recommendation or "(none given)" for e in evaluations)
        averages = []
        for key, label in vocab.CRITERIA:
            given = [e.scores[key] for e in evaluations if e.scores.get(key) is not None]
            averages.append((label, sum(g for g in given if g is not None) / len(given)
                             if given else None))
        expiring_to = on + timedelta(days=365)
        active = repo.partnerships_active_in(s, start, end)
        return PortfolioData(
            year=year, by_status_kind=by_status_kind,
            partnerships=tuple(
                CityPartnershipRow(r.title, label_of(vocab.PARTNERSHIP_KINDS, r.kind),
                                   label_of(vocab.PARTNERSHIP_STATUSES, r.status), str(r[4]),
                                   r.start_date, r.since_year)
                for r in active),
            activities_total=sum(per_partnership.values()),
            activities_per_theme=theme_counts, activities_per_partner=partners,
            expiring=tuple(_agreement(r) for r in repo.agreements_expiring(s, on, expiring_to)),
            expiring_from=on, expiring_to=expiring_to,
            evaluations=evaluations,
            recommendations=tuple(sorted(recommendations.items(), key=lambda kv: -kv[1])),
            average_scores=tuple(averages), quiet=quiet, quiet_since=quiet_since,
        )


def _order(vocabulary: vocab.Vocab, value: str) -> int:
    keys = [k for k, _ in vocabulary]
    return keys.index(value) if value in keys else len(keys)


def home_city_name(uow: UnitOfWork) -> str | None:
    """The office's own municipality, for the default office name on reports."""
    with uow:
        row = repo.home_city(uow.session)
        return row.name if row is not None else None
