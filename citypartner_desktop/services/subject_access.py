"""Subject access (GDPR art. 15): everything the office holds about one person, gathered in one
unit of work as plain dataclasses, and written as a readable UTF-8 JSON file.

What is gathered: every column of the contact's row (the derived search and sort columns aside),
every row of every table with a foreign key to ``contacts.id`` (found by walking the metadata)
with the record it links the person to, the files attached to the contact, the history of the
contact's record, and the rows of other records whose text names the person or their e-mail
address. Deleted rows are included and marked: a request covers everything still held. The
bytes of the attachments are read only when the JSON file is written (``write_json``), so the
PDF (``reports.subject_access``) and a screen never hold them.

User-visible strings go through ``_`` so that the translation pass finds them.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from citypartner_desktop.atomic_files import atomic_file
from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.errors import CityPartnerError, NotFoundError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.specs import ENTITIES, EntitySpec, FieldKind, spec_for
from citypartner_desktop.repositories import subject_access as repo

FORMAT = "citypartner-subject-access"
FORMAT_VERSION = 1
EXCERPT_CONTEXT = 80  # characters shown either side of a mention
PERSON_KIND = "contact"


def _(text: str) -> str:
    """Mark a user-visible string for the translation pass (it is returned unchanged today)."""
    return text


# Columns of a record that are not in its spec (``db.base.RecordMixin`` and later additions).
COLUMN_LABELS = {
    "id": _("Record id"),
    "created_at": _("Recorded on"),
    "updated_at": _("Last changed"),
    "version": _("Version"),
    "deleted_at": _("Deleted on"),
    "consent_withdrawn_on": _("Consent withdrawn on"),
}


class ContactErasedError(CityPartnerError):
    """The contact was erased: the register says when, and nothing else about them is held."""


# -- what is gathered ------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One stored value: its column name, its label, the value itself and how it reads."""

    name: str
    label: str
    value: Any
    text: str


@dataclass(frozen=True)
class LinkedRecord:
    """A record a link row ties the person to: a partnership, an activity, an agreement, …"""

    kind: str
    id: str | None
    title: str
    deleted: bool


@dataclass(frozen=True)
class Link:
    """One row that refers to the person (a coordinator, participant or signatory row)."""

    id: str
    record: LinkedRecord | None  # what it links the person to (the row's parent)
    others: tuple[LinkedRecord, ...]  # any further records the row names
    fields: tuple[Field, ...]  # the row's own fields: role, signed as, responsibility, …
    created_at: datetime | None
    deleted_at: datetime | None


@dataclass(frozen=True)
class LinkTable:
    """All rows of one table that refer to the person; ``heading`` as a document names it."""

    table: str
    column: str
    kind: str
    heading: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    file_name: str
    media_type: str | None
    size: int
    sha256: str
    created_at: datetime | None
    deleted_at: datetime | None


@dataclass(frozen=True)
class Mention:
    """A record of another kind whose text names the person (``columns``, with excerpts)."""

    kind: str
    table: str
    id: str
    title: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    excerpts: tuple[str, ...]
    deleted_at: datetime | None


@dataclass(frozen=True)
class Change:
    """One entry of the record's history: ``old`` and ``new`` as stored, ``old_text`` and
    ``new_text`` as a document shows them (a city's name for its id, a choice's label)."""

    when: datetime
    who: str
    field: str  # the stored field name ("*" for created, "deleted_at" for deleted/restored)
    label: str
    old: str | None
    new: str | None
    installation_id: str
    old_text: str = ""
    new_text: str = ""


@dataclass(frozen=True)
class SubjectAccess:
    """Everything held about one contact."""

    contact_id: str
    name: str
    email: str | None
    deleted_at: datetime | None
    gathered_at: datetime
    fields: tuple[Field, ...]
    link_tables: tuple[LinkTable, ...]
    attachments: tuple[AttachmentInfo, ...]
    mentions: tuple[Mention, ...]
    history: tuple[Change, ...]
    # Reads an attachment's bytes (a unit of work of its own), for ``write_json``.
    read_content: Callable[[AttachmentInfo], bytes] = field(repr=False, compare=False)

    def mentions_in(self, *kinds: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind in kinds)

    def mentions_outside(self, *kinds: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind not in kinds)


# -- gathering -------------------------------------------------------------------------------


def gather(uow: UnitOfWork, contact_id: str) -> SubjectAccess:
    """Everything held about the contact ``contact_id``. Raises ``NotFoundError`` for an id no
    contact has (had), ``ContactErasedError`` for one in the erasure register."""
    contact_id = contact_id.strip()
    with uow:
        uow.one_snapshot()
        erased = repo.erased_at(uow.session, contact_id)
        if erased is not None:
            raise ContactErasedError(_(
                "Contact {id} was erased on {day}; nothing about the person is held any more."
            ).format(id=contact_id, day=erased.astimezone(UTC).date().isoformat()))
        row = repo.person(uow.session, contact_id)
        if row is None:
            raise NotFoundError(_('No contact with id "{id}".').format(id=contact_id))
        name, email = str(row["full_name"]), row.get("email") or None
        city = (repo.record_label(uow.session, "city", row["city_id"]) or ""
                if row.get("city_id") else "")
        return SubjectAccess(
            contact_id=contact_id,
            name=name,
            email=email,
            deleted_at=row.get("deleted_at"),
            gathered_at=utcnow(),
            fields=tuple(_person_fields(row, city)),
            link_tables=tuple(_link_tables(uow, contact_id)),
            attachments=tuple(
                AttachmentInfo(**a) for a in repo.attachments(uow.session, PERSON_KIND,
                                                              contact_id)),
            mentions=tuple(_mentions(uow, contact_id, [name, email or ""])),
            history=tuple(_history(uow, contact_id)),
            read_content=_content_reader(uow),
        )


def _person_fields(row: dict[str, Any], city: str) -> Iterator[Field]:
    spec = spec_for(PERSON_KIND)
    for name, value in row.items():
        if repo.is_derived(name):
            continue
        text = city if name == "city_id" else _text(spec, name, value)
        yield Field(name, _label(spec, name), value, text)


def _label(spec: EntitySpec | None, name: str) -> str:
    if spec is not None and name in spec.field_names:
        return spec.field(name).label
    return COLUMN_LABELS.get(name) or name.replace("_", " ").capitalize()


def _text(spec: EntitySpec | None, name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return moment(value)
    if spec is not None and name in spec.field_names:
        return display(spec.field(name), value)
    return value.isoformat() if isinstance(value, date) else str(value)


def moment(value: datetime) -> str:
    """A stored time as a document shows it: UTC, to the minute."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _spec_of_table(table: str) -> EntitySpec | None:
    return next((s for s in ENTITIES.values() if s.table == table), None)


def _link_tables(uow: UnitOfWork, contact_id: str) -> Iterator[LinkTable]:
    for table, column in repo.referencing_columns():
        spec = _spec_of_table(table)
        parent = spec.field(spec.parent_field).name if spec and spec.parent_field else None
        links = []
        for row in repo.links(uow.session, table, column, contact_id):
            records = [LinkedRecord(t.kind, t.id, t.title or "", t.deleted_at is not None)
                       for t in row.targets]
            main = next((r for r, t in zip(records, row.targets, strict=True)
                         if t.column == parent), records[0] if records else None)
            own = tuple(Field(n, _label(spec, n), v, _text(spec, n, v))
                        for n, v in row.fields.items() if n not in repo.RECORD_COLUMNS)
            links.append(Link(str(row.id), main, tuple(r for r in records if r is not main),
                              own, row.fields.get("created_at"), row.fields.get("deleted_at")))
        kind = spec.kind if spec else table
        yield LinkTable(table, column, kind, _heading(spec, table, parent), tuple(links))


def _heading(spec: EntitySpec | None, table: str, parent: str | None) -> str:
    """"Partnerships (as coordinator)": the linked records, and the person's part in them."""
    if spec is None:
        return table.replace("_", " ").capitalize()
    ref = spec.field(parent).ref if parent else None
    if not ref:
        return spec.plural
    return _("{records} (as {role})").format(records=spec_for(ref).plural,
                                             role=spec.label.lower())


# -- mentions --------------------------------------------------------------------------------


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    """The needles as whole words, case-folded: "Ann Lee" is not found in "Joann Leeds"."""
    words = [re.escape(n.casefold()) for n in needles if n.strip()]
    if not words:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(words) + r")(?![^\W_])")


def _mentions(uow: UnitOfWork, contact_id: str, needles: list[str]) -> Iterator[Mention]:
    needles = [n.strip() for n in needles if n and n.strip()]
    pattern = _pattern(needles)
    if pattern is None:
        return
    for kind, table, columns in repo.searched_tables():
        spec = ENTITIES.get(kind)
        exclude = contact_id if kind == PERSON_KIND else None
        for row in repo.mentioning(uow.session, kind, columns, needles, exclude):
            found = [(c, excerpt(t, pattern)) for c, t in row["texts"].items() if t]
            found = [(c, e) for c, e in found if e is not None]
            if found:
                yield Mention(kind, table, str(row["id"]), str(row["title"] or ""),
                              tuple(c for c, _e in found),
                              tuple(_label(spec, c) for c, _e in found),
                              tuple(e for _c, e in found if e is not None), row["deleted_at"])


def excerpt(text: str, pattern: re.Pattern[str]) -> str | None:
    """The text around the first match of ``pattern`` (case-folded), or None without one."""
    folded = text.casefold()
    match = pattern.search(folded)
    if match is None:
        return None
    if len(folded) != len(text):  # folding changed the length (ß → ss): show the start
        return _shortened(text, 0, 2 * EXCERPT_CONTEXT)
    return _shortened(text, match.start() - EXCERPT_CONTEXT, match.end() + EXCERPT_CONTEXT)


def _shortened(text: str, start: int, end: int) -> str:
    start, end = max(start, 0), min(end, len(text))
    middle = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + middle + ("…" if end < len(text) else "")


# -- history and attachments -----------------------------------------------------------------


RECORD_EVENTS = ("*", "deleted_at", "merged_into", "merged_from")


def _history(uow: UnitOfWork, contact_id: str) -> Iterator[Change]:
    spec = spec_for(PERSON_KIND)
    names: dict[tuple[str, str], str] = {}

    def shown(name: str, value: str | None) -> str:
        if not value or name not in spec.field_names:
            return value or ""
        field_spec = spec.field(name)
        if field_spec.kind is FieldKind.REF and field_spec.ref:
            key = (field_spec.ref, value)
            if key not in names:
                names[key] = repo.record_label(uow.session, *key) or value
            return names[key]
        if field_spec.kind in (FieldKind.CHOICE, FieldKind.PHONE):
            return display(field_spec, value)
        return value

    for row in repo.history(uow.session, PERSON_KIND, contact_id):
        name, old, new = row["field"], row["old_value"], row["new_value"]
        if name in RECORD_EVENTS:
            label, old_text = _("Record"), ""
            new_text = ((_("created") if new == "created" else new or "") if name == "*" else
                        (_("deleted") if new else _("restored")) if name == "deleted_at" else
                        _("merged: {id}").format(id=new or ""))
        else:
            label, old_text, new_text = _label(spec, name), shown(name, old), shown(name, new)
        when = row["changed_at"]
        yield Change(when if when.tzinfo else when.replace(tzinfo=UTC), row["changed_by"],
                     name, label, old, new, row["installation_id"], old_text, new_text)


def _content_reader(uow: UnitOfWork) -> Callable[[AttachmentInfo], bytes]:
    def read(attachment: AttachmentInfo) -> bytes:
        with uow:
            found = repo.attachment_bytes(uow.session, attachment.id)
        if found is None or found[1] != attachment.sha256:
            raise CityPartnerError(_(
                'The attachment "{name}" was changed or removed while the export was made; '
                "export again.").format(name=attachment.file_name))
        return found[0]
    return read


# -- the JSON file ---------------------------------------------------------------------------


class _Content:
    """An attachment's bytes, read and encoded only when the JSON writer reaches them, so one
    file's bytes are in memory at a time."""

    def __init__(self, access: SubjectAccess, attachment: AttachmentInfo) -> None:
        self.access, self.attachment = access, attachment


def _jsonable(value: object) -> object:
    if isinstance(value, _Content):
        return base64.b64encode(value.access.read_content(value.attachment)).decode("ascii")
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _record(record: LinkedRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {"kind": record.kind, "id": record.id, "title": record.title,
            "deleted": record.deleted}


def as_document(access: SubjectAccess) -> dict[str, Any]:
    """The JSON document, attachments' bytes still unread (``write_json`` reads them)."""
    person: dict[str, Any] = {}
    for f in access.fields:
        person[f.name] = f.value
        if f.name == "city_id":
            person["city_name"] = f.text or None
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "gathered_at": access.gathered_at,
        "contact_id": access.contact_id,
        "name": access.name,
        "deleted": access.deleted_at is not None,
        "person": person,
        "field_labels": {f.name: f.label for f in access.fields},
        "links": {t.table: [{
            "id": link.id,
            "kind": t.kind,
            "record": _record(link.record),
            "other_records": [_record(r) for r in link.others],
            "fields": {f.name: f.value for f in link.fields},
            "created_at": link.created_at,
            "deleted": link.deleted_at is not None,
            "deleted_at": link.deleted_at,
        } for link in t.links] for t in access.link_tables},
        "attachments": [{
            "id": a.id, "file_name": a.file_name, "media_type": a.media_type, "size": a.size,
            "sha256": a.sha256, "created_at": a.created_at, "deleted": a.deleted_at is not None,
            "deleted_at": a.deleted_at, "content_base64": _Content(access, a),
        } for a in access.attachments],
        "mentions": [{
            "table": m.table, "kind": m.kind, "id": m.id, "title": m.title,
            "columns": list(m.columns), "excerpts": dict(zip(m.columns, m.excerpts, strict=True)),
            "deleted": m.deleted_at is not None,
        } for m in access.mentions],
        "history": [{
            "when": c.when, "who": c.who, "field": c.field, "old": c.old, "new": c.new,
            "installation_id": c.installation_id,
        } for c in access.history],
    }


def write_json(access: SubjectAccess, path: Path) -> Path:
    """Write everything held about the person, attachments' bytes in base64, to ``path`` as
    indented UTF-8 JSON (a temporary file renamed into place: never half a file)."""
    document = as_document(access)
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, default=_jsonable)
    try:
        with atomic_file(path) as out:
            for chunk in encoder.iterencode(document):
                out.write(chunk.encode("utf-8"))
            out.write(b"\n")
    except OSError as exc:
        raise CityPartnerError(_("Cannot write {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from None
    return path
