"""What the steps of one demo load share: the row sinks and id streams of every table, the
cities, staff, programmes and partnership plans made so far, and dates relative to today."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.repositories import bulk
from citypartner_desktop.services.demo.progress import Run
from citypartner_desktop.services.demo.sizes import Sizes
from citypartner_desktop.services.demo.tables import COLUMNS, PARENTS
from citypartner_desktop.services.demo.writing import Folder, Ids, Sink


@dataclass(frozen=True, slots=True)
class City:
    id: str
    name: str
    country: str
    names: str  # key of the name list for its people
    language: str  # main language code
    domain: str  # e-mail domain of the city administration


@dataclass
class Plan:
    """A partnership being built; offsets are days from today."""

    id: str
    title: str
    kind: str
    status: str
    members: list[int]  # city indexes, home first
    lead: int | None
    programme: str | None
    themes: tuple[str, ...]
    start: int | None
    end: int | None
    quiet_days: int | None
    expires_in: int | None
    auto_renew: bool | None
    tasks: tuple[tuple[str, int, int | None], ...]
    health: float  # 0..1: how well it goes, drives scores, ratings and KPI values
    last_review: int | None = None
    goals: list[tuple[str, float, float, bool]] = field(default_factory=list)
    evaluations: list[int] = field(default_factory=list)

    @property
    def partners(self) -> list[int]:
        return self.members[1:]

    @property
    def counterpart(self) -> int:
        """The partner city that speaks for the others: the lead, else the first partner."""
        counterpart = self.lead if self.lead not in (None, 0) else self.partners[0]
        assert counterpart is not None
        return counterpart


class DemoLoad:
    """One load in progress, inside its transaction."""

    def __init__(self, uow: UnitOfWork, sizes: Sizes, seed: int, today: date, run: Run
                 ) -> None:
        session = uow.session
        self.sizes = sizes
        self.seed = seed
        self.today = today
        self.run = run
        self.now = utcnow()
        self.folder = Folder()
        self.sinks: dict[str, Sink] = {}
        self.ids: dict[str, Ids] = {}
        by_table = {spec.table: spec for spec in ENTITIES.values()}
        for table, columns in COLUMNS.items():
            spec = by_table.get(table)
            search = spec.search_fields if spec is not None else ()
            writer = bulk.RowWriter(session, table,
                                    (*columns, "search_key") if search else columns, self.now)
            self.sinks[table] = Sink(writer, sizes.chunk, search, self.folder)
            self.ids[table] = Ids(seed, table)
        for table, parents in PARENTS.items():
            self.sinks[table].parents = [self.sinks[p] for p in parents]
        self.session = session
        self.actor = uow.actor
        self.cities: list[City] = []
        self.city_contacts: list[list[str]] = []  # first few contacts of each city, mayor first
        self.staff: list[tuple[str, str]] = []  # the office's own people: (id, name)
        self.programmes: dict[str, str] = {}
        self.plans: list[Plan] = []
        self._days: dict[int, date] = {}
        self.agreement_no = 0

    def day(self, offset: int) -> date:
        d = self._days.get(offset)
        if d is None:
            d = self._days[offset] = self.today + timedelta(days=offset)
        return d

    def offset(self, when: date | int | None) -> int | None:
        if when is None or isinstance(when, int):
            return when
        return (when - self.today).days

    def done_on(self, r: Callable[[], float], start: int, due: int) -> date | None:
        """Most past actions were done around their due date; about one in five is overdue."""
        if due < 0:
            if r() < 0.8:
                return self.day(min(-1, max(start, due - 10 + int(r() * 15))))
            return None
        if start < 0 and r() < 0.15:
            return self.day(start + int(r() * -start))  # done early
        return None
