"""The subject access document: everything held about one person, as a readable PDF for them.

It lays out what ``services.subject_access.gather`` collected: the person's every field, the
records they are linked to, their attached files (listed; the bytes go into the JSON export),
records that mention them, and the history of their record. User-visible strings go through
``_`` so that the translation pass finds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.reports.document import (
    Progress,
    ReportInfo,
    ShouldCancel,
    build_pdf,
)
from citypartner_desktop.reports.parts import Cell, facts, gap, heading, number, para, table
from citypartner_desktop.reports.styles import MARGIN
from citypartner_desktop.services.subject_access import (
    LinkTable,
    Mention,
    SubjectAccess,
    moment,
)


def _(text: str) -> str:
    """Mark a user-visible string for the translation pass (it is returned unchanged today)."""
    return text


TITLE = _("Subject access")
BODY_WIDTH = A4[0] - 2 * MARGIN
DEFAULT_OFFICE = _("Office for International Relations")
# Mentions shown in a section of their own: the follow-up actions the person owns and the
# evaluations they made are found by name (``owner``, ``evaluator``), not by reference.
OWN_WORK = ("action", "evaluation")


def write_pdf(access: SubjectAccess, path: Path, *, office: str | None = None,
              generated: date | None = None, progress: Progress | None = None,
              should_cancel: ShouldCancel | None = None) -> Path:
    """Write the document to ``path`` (atomically: a temporary file renamed into place) and
    return the path. ``generated`` is the document's date (today unless given)."""
    info, story = build(access, (office or "").strip() or DEFAULT_OFFICE,
                        generated or date.today(), BODY_WIDTH)
    try:
        return build_pdf(path, info, story, progress=progress, should_cancel=should_cancel)
    except OSError as exc:
        raise CityPartnerError(_("Cannot write {path}: {why}").format(
            path=path, why=exc.strerror or exc)) from None


def build(access: SubjectAccess, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    subject = _("Everything we hold about {name}").format(name=access.name)
    lines = [_("As held on {when}").format(when=moment(access.gathered_at)),
             _("Contact record {id}").format(id=access.contact_id)]
    if access.deleted_at is not None:
        lines.append(_("The record was deleted on {when}; it is still held.").format(
            when=moment(access.deleted_at)))
    info = ReportInfo(TITLE, subject, office, generated, tuple(lines))
    story: list[Flowable] = [gap(10), para(_(
        "This document lists everything this office holds about {name}: the contact record, "
        "the records the person is linked to, the files attached to their record, other "
        "records that mention their name or e-mail address, and the history of their record. "
        "Entries that were deleted are still held, and are marked as deleted.").format(
            name=access.name))]

    story.append(heading(_("The person's record")))
    story.append(facts([(f.label, f.text or "—") for f in access.fields], width, columns=1))

    for link_table in access.link_tables:
        story += _links(link_table, width)

    story.append(heading(_("Actions and evaluations that mention them")))
    story.append(_mentions(access.mentions_in(*OWN_WORK), width,
                           _("actions or evaluations")))

    story.append(heading(_("Attachments")))
    story.append(table(
        [_("File name"), _("Type"), _("Size"), _("SHA-256"), _("State")],
        [[a.file_name, a.media_type or "—", _bytes(a.size), a.sha256, _state(a.deleted_at)]
         for a in access.attachments],
        [0.25, 0.15, 0.12, 0.34, 0.14], total_width=width, empty=_("attachments")))
    if access.attachments:
        story.append(para(_("The files themselves are included in the JSON export."),
                          "small"))

    story.append(heading(_("Other records that mention them")))
    story.append(_mentions(access.mentions_outside(*OWN_WORK), width, _("mentions")))

    story.append(heading(_("History of their record")))
    story.append(table(
        [_("When"), _("Who"), _("Field"), _("Old value"), _("New value")],
        [[moment(c.when), c.who, c.label, c.old_text or "—", c.new_text or "—"]
         for c in access.history],
        [0.17, 0.2, 0.15, 0.24, 0.24], total_width=width, empty=_("changes")))
    return info, story


def _state(deleted_at: datetime | None) -> str:
    return _("Held") if deleted_at is None else _("Deleted {day}").format(
        day=deleted_at.date().isoformat())


def _bytes(size: int) -> str:
    return _("{n} bytes").format(n=number(size))


def _kind_label(kind: str) -> str:
    spec = ENTITIES.get(kind)
    return spec.label if spec else kind.replace("_", " ").capitalize()


def _links(link_table: LinkTable, width: float) -> list[Flowable]:
    """One section: the records of one table that refers to the person, with its own fields."""
    links = link_table.links
    names = [(f.name, f.label) for f in links[0].fields] if links else []
    record_kind = next((x.record.kind for x in links if x.record is not None), "")
    headers = [_kind_label(record_kind) if record_kind else _("Record"),
               *(label for _n, label in names), _("Recorded on"), _("State")]
    rows: list[list[Cell]] = []
    for link in links:
        record = link.record
        title = _("(none)") if record is None else _record_title(record.title, record.deleted)
        for other in link.others:
            title += f"\n{_kind_label(other.kind)}: {_record_title(other.title, other.deleted)}"
        values = {f.name: f.text for f in link.fields}
        rows.append([title, *(values.get(n) or "—" for n, _label in names),
                     moment(link.created_at) if link.created_at else "—",
                     _state(link.deleted_at)])
    return [heading(link_table.heading),
            table(headers, rows, _widths(len(names)), total_width=width,
                  empty=link_table.heading.lower())]


def _record_title(title: str, deleted: bool) -> str:
    title = title or "—"
    return _("{title} (deleted)").format(title=title) if deleted else title


def _widths(fields: int) -> Sequence[float]:
    """The record's title first, then the link's own fields, when and state."""
    fixed = [0.17, 0.13]
    title = 0.7 if fields == 0 else 0.4
    rest = (1 - title - sum(fixed)) / fields if fields else 0.0
    return [title, *([rest] * fields), *fixed]


def _mentions(mentions: Sequence[Mention], width: float, empty: str) -> Flowable:
    return table(
        [_("Record"), _("Title"), _("Where"), _("Text"), _("State")],
        [[_kind_label(m.kind), m.title or "—", ", ".join(m.labels), "\n".join(m.excerpts),
          _state(m.deleted_at)] for m in mentions],
        [0.12, 0.22, 0.12, 0.42, 0.12], total_width=width, empty=empty)
