"""The record of processing activities (GDPR Art. 30), gathered from the database.

Everything the report states as a figure is counted here, in one unit of work, on the day the
report is made (``on``); the reports package lays it out. The retention rules are those of the
personal-data review (``privacy_review``): the same setting (``privacy.inactive_years``), the
same reviews due and the same candidates for erasure as the dashboard shows on that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.retention import RetentionPolicy
from citypartner_desktop.domain.validation import country_name
from citypartner_desktop.repositories import processing_record as repo
from citypartner_desktop.repositories import reports as reports_repo
from citypartner_desktop.repositories.privacy_review import (
    BINDING_AGREEMENT_STATUSES,
    LIVE_PARTNERSHIP_STATUSES,
)
from citypartner_desktop.services import privacy_review
from citypartner_desktop.services.privacy_review import INACTIVE_YEARS_KEY, years_before

TOP_COUNTRIES = 10
TOP_SOURCES = 10

NO_CITY = "(no city recorded)"
NONE_RECORDED = "None recorded"
FIELD_LABELS: dict[str, str] = {
    "full_name": "Full name", "title": "Title", "position": "Position / role",
    "organisation": "Organisation", "city": "City", "email": "E-mail", "phone": "Phone",
    "languages": "Languages", "notes": "Notes", "attachments": "Attached files",
}
LINK_LABELS: dict[str, str] = {
    "coordinator": "Coordinator of a partnership",
    "participant": "Participant in an activity",
    "signatory": "Signatory of an agreement",
    "none": "None of these",
}

Counted = tuple[tuple[str, int], ...]  # (label, number), in the order shown


@dataclass(frozen=True)
class LegalBasisCount:
    key: str | None  # the stored value; None: no legal basis recorded
    label: str
    contacts: int


@dataclass(frozen=True)
class Storage:
    on_server: bool
    description: str  # "shared office server host/db" or "a database file on this computer: …"


@dataclass(frozen=True)
class InactivityRule:
    years: int
    from_setting: bool  # False: the setting is missing or unusable, the default applies
    since: date  # no activity starting on or after this day, and created before it
    candidates: int
    exceptions: str  # who is kept all the same, in words


@dataclass(frozen=True)
class ProcessingRecordData:
    generated: date
    home_city: str | None  # "Nuremberg (Germany)"
    contacts: int  # live: not deleted, not erased
    by_country: Counted  # the top countries, then "Other countries (n)"
    by_link: Counted
    erased: int
    last_erasure: date | None
    fields: Counted  # personal field -> live contacts with it filled
    legal_bases: tuple[LegalBasisCount, ...]
    consent_withdrawn: int
    data_sources: Counted  # the top sources, then others, then "None recorded"
    review_due: int  # review date on or before the report's day
    review_overdue: int  # review date before the report's day
    no_review_date: int
    inactivity: InactivityRule
    backups: RetentionPolicy
    storage: Storage
    pack_merges: int
    last_pack_merge: date | None
    soft_deleted: int


def _from_setting(stored: str | None) -> bool:
    """Whether the office's setting is recorded and usable (else the default applies)."""
    if stored is None:
        return False
    try:
        privacy_review.check_inactive_years(stored)
    except ValidationError:
        return False
    return True


def _either(vocabulary: vocab.Vocab, keys: tuple[str, ...]) -> str:
    """"proposed, negotiating or active"."""
    words = [vocab.label_of(vocabulary, k).lower() for k in keys]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _exceptions() -> str:
    partnerships = _either(vocab.PARTNERSHIP_STATUSES, LIVE_PARTNERSHIP_STATUSES)
    agreements = _either(vocab.AGREEMENT_STATUSES, BINDING_AGREEMENT_STATUSES)
    return (f"coordinators of a partnership that is {partnerships}, and signatories of an "
            f"agreement that is {agreements} and has not expired")


def _storage(facts: repo.StorageFacts) -> Storage:
    if facts.engine == "postgresql":
        # No host, or the folder of a Unix socket: a server on the same computer.
        host = facts.host if facts.host and not facts.host.startswith("/") else "localhost"
        return Storage(True, f"shared office server {host}/{facts.database or ''}")
    where = facts.database or ""
    if where and where != ":memory:":
        where = str(Path(where).expanduser().resolve())
    return Storage(False, f"a database file on this computer: {where or '(in memory)'}")


def _top(rows: list[tuple[str, int]], limit: int, others: str) -> Counted:
    shown = rows[:limit]
    rest = rows[limit:]
    if rest:
        return (*shown, (f"{others} ({len(rest):,})", sum(n for _l, n in rest)))
    return tuple(shown)


def _countries(rows: list[tuple[str | None, int]]) -> Counted:
    named = [(country_name(code) or code or NO_CITY, n) for code, n in rows if code]
    named.sort(key=lambda r: (-r[1], r[0]))
    top = _top(named, TOP_COUNTRIES, "Other countries")
    no_city = sum(n for code, n in rows if not code)
    return (*top, (NO_CITY, no_city)) if no_city else top


def _legal_bases(rows: list[tuple[str | None, int]]) -> tuple[LegalBasisCount, ...]:
    counts = dict(rows)
    known = [LegalBasisCount(key, label, counts.pop(key, 0)) for key, label in vocab.LEGAL_BASES]
    missing = counts.pop(None, 0)
    unknown = [LegalBasisCount(key, key, n) for key, n in sorted(
        ((k, n) for k, n in counts.items() if k is not None), key=lambda kv: kv[0])]
    return (*known, *unknown, LegalBasisCount(None, NONE_RECORDED, missing))


def _sources(rows: list[tuple[str | None, int]]) -> Counted:
    named = [(source, n) for source, n in rows if source is not None]
    top = _top(named, TOP_SOURCES, "Other sources")
    missing = sum(n for source, n in rows if source is None)
    return (*top, (NONE_RECORDED, missing)) if missing else top


def _day(stamp: datetime | None) -> date | None:
    return stamp.astimezone(UTC).date() if stamp is not None else None


def gather(uow: UnitOfWork, on: date,
           backups: RetentionPolicy | None = None) -> ProcessingRecordData:
    """The facts of the record as of ``on`` (the report's day). ``backups`` is the backup
    rotation that applies (the defaults unless given)."""
    with uow:
        uow.one_snapshot()  # on a server too, every count of the record is of one moment
        s = uow.session
        home = reports_repo.home_city(s)
        home_city = None
        if home is not None:
            country = country_name(home.country)
            home_city = f"{home.name} ({country})" if country else home.name
        # The review's counts (limit 0: no lists), as the dashboard shows them on ``on``.
        review = privacy_review.read_review(uow, on, limit=0)
        from_setting = _from_setting(repo.setting(s, INACTIVE_YEARS_KEY))
        filled = repo.filled_fields(s)
        filled["attachments"] = repo.contacts_with_attachments(s)
        linked = repo.contacts_linked(s)
        reviews = repo.review_dates(s, on)
        erased, last_erasure = repo.erasures(s)
        merges, last_merge = repo.pack_merges(s)
        return ProcessingRecordData(
            generated=on,
            home_city=home_city,
            contacts=repo.count_live_contacts(s),
            by_country=_countries(repo.contacts_per_country(s)),
            by_link=tuple((LINK_LABELS[k], linked[k]) for k in LINK_LABELS),
            erased=erased,
            last_erasure=_day(last_erasure),
            fields=tuple((FIELD_LABELS[k], filled[k]) for k in FIELD_LABELS),
            legal_bases=_legal_bases(repo.legal_bases(s)),
            consent_withdrawn=repo.consent_withdrawn(s),
            data_sources=_sources(repo.data_sources(s)),
            review_due=review.review_due_count,
            review_overdue=reviews["overdue"],
            no_review_date=reviews["none"],
            inactivity=InactivityRule(review.inactive_years, from_setting,
                                      years_before(on, review.inactive_years),
                                      review.erasure_candidate_count, _exceptions()),
            backups=backups or RetentionPolicy(),
            storage=_storage(repo.storage(s)),
            pack_merges=merges,
            last_pack_merge=_day(last_merge),
            soft_deleted=repo.count_soft_deleted_contacts(s),
        )
