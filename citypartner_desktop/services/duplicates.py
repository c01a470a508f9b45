"""Possible duplicate cities and contacts, and merging two records into one.

Finding: cities of one country whose names (or native names) are nearly the same, accents and
case ignored ("Kraków"/"Krakow"/"Cracow" is for the gazetteer; this finds "Frankfurt am Main" /
"Frankfurt a. Main" and typing slips), or that have the same GeoNames id; contacts with the
same e-mail, or nearly the same name in the same city. Scores are rapidfuzz similarities
(0–100); nothing is merged without a person choosing.

Merging: the kept record takes, field by field, the value chosen from either record; every
link to the other record (contacts of a city, members of partnerships, participants,
attachments, …) is moved to the kept one — a link the kept record already has (the same city
twice in a partnership) is removed instead of doubled — and the other record is deleted (it
stays in Deleted items). The audit trail records every changed field and moved link, and
"merged into" / "merged from".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.specs import ENTITIES, FieldKind, spec_for
from citypartner_desktop.domain.text import fold, search_key
from citypartner_desktop.repositories import duplicates as repo
from citypartner_desktop.repositories import records as records_repo
from citypartner_desktop.services import audit, records

NAME_THRESHOLD = 90  # rapidfuzz ratio of folded names; 90 catches one slip in ten letters
MERGEABLE = ("city", "contact")


@dataclass(frozen=True)
class DuplicatePair:
    kind: str
    first_id: str
    first_label: str
    second_id: str
    second_label: str
    score: int
    reason: str


def _similar(names: Sequence[str], threshold: int) -> Iterable[tuple[int, int, int]]:
    """(i, j, score) for i < j with a similarity of at least ``threshold``."""
    if len(names) < 2:
        return []
    from rapidfuzz import fuzz, process

    found = []
    for i, name in enumerate(names[:-1]):
        # Only the names after this one: each pair is compared once (C loop, no numpy).
        for _choice, score, offset in process.extract(
                name, names[i + 1:], scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
            found.append((i, i + 1 + offset, round(score)))
    return found


def find_duplicate_cities(uow: UnitOfWork, threshold: int = NAME_THRESHOLD
                          ) -> list[DuplicatePair]:
    with uow:
        rows = repo.city_rows(uow.session)
    label = {r[0]: f"{r[1]} ({r[3]})" for r in rows}
    pairs: dict[tuple[str, str], DuplicatePair] = {}

    def add(a: str, b: str, score: int, reason: str) -> None:
        key = (a, b) if a < b else (b, a)
        if key not in pairs or pairs[key].score < score:
            pairs[key] = DuplicatePair("city", key[0], label[key[0]], key[1], label[key[1]],
                                       score, reason)

    by_geonames: dict[int, list[str]] = defaultdict(list)
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for city_id, name, native, country, geonames_id in rows:
        if geonames_id:
            by_geonames[geonames_id].append(city_id)
        for text in (name, native):
            if text:
                by_country[country].append((city_id, fold(text)))
    for ids in by_geonames.values():
        for index, a in enumerate(ids):
            for b in ids[index + 1:]:
                add(a, b, 100, "the same place in the world gazetteer")
    for entries in by_country.values():
        names = [n for _i, n in entries]
        for i, j, score in _similar(names, threshold):
            a, b = entries[i][0], entries[j][0]
            if a != b:
                add(a, b, score, "same name" if score == 100 else "similar names")
    return sorted(pairs.values(), key=lambda p: (-p.score, p.first_label))


def find_duplicate_contacts(uow: UnitOfWork, threshold: int = NAME_THRESHOLD
                            ) -> list[DuplicatePair]:
    with uow:
        rows = repo.contact_rows(uow.session)
    label = {r[0]: r[1] + (f" <{r[2]}>" if r[2] else "") for r in rows}
    pairs: dict[tuple[str, str], DuplicatePair] = {}
    by_email: dict[str, list[str]] = defaultdict(list)
    by_city: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for contact_id, name, email, city_id in rows:
        if email:
            by_email[email.casefold()].append(contact_id)
        by_city[city_id].append((contact_id, fold(name)))

    def add(a: str, b: str, score: int, reason: str) -> None:
        key = (a, b) if a < b else (b, a)
        if key not in pairs or pairs[key].score < score:
            pairs[key] = DuplicatePair("contact", key[0], label[key[0]], key[1], label[key[1]],
                                       score, reason)

    for ids in by_email.values():
        for index, a in enumerate(ids):
            for b in ids[index + 1:]:
                add(a, b, 100, "the same e-mail address")
    for city_id, entries in by_city.items():
        if city_id is None:
            continue  # names alone, without a city, are too weak to suggest a duplicate
        for i, j, score in _similar([n for _i, n in entries], threshold):
            add(entries[i][0], entries[j][0], score,
                "same name, same city" if score == 100 else "similar names, same city")
    return sorted(pairs.values(), key=lambda p: (-p.score, p.first_label))


def find_duplicates(db: Database, kind: str, threshold: int = NAME_THRESHOLD
                    ) -> list[DuplicatePair]:
    if kind == "city":
        return find_duplicate_cities(db.uow(), threshold)
    if kind == "contact":
        return find_duplicate_contacts(db.uow(), threshold)
    raise ValueError(f"duplicates are found for cities and contacts, not {kind}")


def _links(kind: str) -> list[tuple[str, str, str | None]]:
    """(referring kind, its field, its parent field) for every reference to ``kind``."""
    return [(spec.kind, f.name, spec.parent_field) for spec in ENTITIES.values()
            for f in spec.fields if f.kind is FieldKind.REF and f.ref == kind]


def merge(db: Database, kind: str, keep_id: str, drop_id: str,
          choices: Mapping[str, str] | None = None, *,
          before: Callable[[], object] | None = None) -> dict[str, int]:
    """Merge ``drop_id`` into ``keep_id``. ``choices``: field -> "keep" or "drop" (whose value
    the merged record takes); fields not given keep the kept record's value, or the other's
    where the kept one is empty. Returns moved links per kind."""
    if kind not in MERGEABLE:
        raise ValidationError.single("kind", f"{kind} records are not merged")
    if keep_id == drop_id:
        raise ValidationError.single("record", "a record cannot be merged with itself")
    spec = spec_for(kind)
    keep = records.get(db.uow(), kind, keep_id)
    drop = records.get(db.uow(), kind, drop_id)
    choices = dict(choices or {})
    unknown = set(choices) - set(spec.field_names)
    if unknown or any(v not in ("keep", "drop") for v in choices.values()):
        raise ValidationError.single(
            "choices", f"say keep or drop for fields of the {spec.label.lower()} "
                       f"({', '.join(spec.field_names)})")
    merged: dict[str, Any] = {}
    for name in spec.field_names:
        mine, theirs = keep.values.get(name), drop.values.get(name)
        pick = choices.get(name) or ("keep" if mine not in (None, "", (), False) else "drop")
        if kind == "city" and name == "is_home":
            merged[name] = bool(mine or theirs)  # the office's own city stays marked
        else:
            merged[name] = theirs if pick == "drop" else mine
    if before is not None:
        before()  # e.g. the safety backup, once the request is known to be sound
    moved: dict[str, int] = {}
    uow = db.uow()
    with uow:  # one transaction: all of the merge happens, or none of it
        now = utcnow()
        session = uow.session
        # Delete the other first: the merged values may take over its name, e-mail, is_home.
        repo.mark_deleted(session, kind, drop_id)
        audit.record(uow, kind, drop_id, "deleted_at", None, now, now)
        audit.record(uow, kind, drop_id, "merged_into", None, keep_id, now)
        for link_kind, field, parent in _links(kind):
            copies = (records_repo.search_copies(session, link_kind, {field: keep_id})
                      if field in spec_for(link_kind).search_refs else {})
            kept_parents = {other[parent] for _oid, other in
                            repo.referring_rows(session, link_kind, field, keep_id)
                            } if parent is not None else set()
            for row_id, row in repo.referring_rows(session, link_kind, field, drop_id):
                if parent is not None and row[parent] in kept_parents:
                    # The kept record is linked there already: remove the copy, not double it.
                    repo.mark_deleted(session, link_kind, row_id)
                    audit.record(uow, link_kind, row_id, "deleted_at", None, now, now)
                else:
                    repo.set_reference(session, link_kind, row_id, field, keep_id, copies)
                    audit.record(uow, link_kind, row_id, field, drop_id, keep_id, now)
                moved[link_kind] = moved.get(link_kind, 0) + 1
        for attachment_id in repo.move_attachments(session, kind, drop_id, keep_id):
            audit.record(uow, "attachment", attachment_id, "owner_id", drop_id, keep_id, now)
            moved["attachment"] = moved.get("attachment", 0) + 1
        _apply(uow, kind, keep_id, keep.values, merged, now)
        audit.record(uow, kind, keep_id, "merged_from", None, drop_id, now)
        uow.commit()
    return moved


def _apply(uow: UnitOfWork, kind: str, record_id: str, current: Mapping[str, Any],
           merged: Mapping[str, Any], now: Any) -> None:
    """Write the chosen values to the kept record (they are stored values of the two
    records, so they are valid already), with its search key and the audit trail."""
    spec = spec_for(kind)
    record = records_repo.get(uow.session, kind, record_id)
    assert record is not None  # read by the caller in this merge
    for name in spec.field_names:
        if merged[name] != current.get(name):
            value = merged[name]
            setattr(record, name, list(value) if isinstance(value, tuple) else value)
            audit.record(uow, kind, record_id, name, current.get(name), value, now)
    if spec.search_fields:
        record.search_key = search_key(*(str(merged.get(f) or "") for f in spec.search_fields))
    for column, value in records_repo.search_copies(uow.session, kind, dict(merged)).items():
        setattr(record, column, value)
    record.updated_at = now
    uow.flush()
