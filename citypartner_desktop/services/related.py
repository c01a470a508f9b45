"""What a detail pane shows beside a record: its related records, section by section."""

from __future__ import annotations

from dataclasses import dataclass

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.records import ListQuery, RelatedSection
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.repositories import records as repo
from citypartner_desktop.repositories import table_rows

SECTION_LIMIT = 200


@dataclass(frozen=True)
class _Section:
    title: str
    kind: str
    field: str  # the field of ``kind`` that points at the record shown
    columns: tuple[str, ...] = ()
    sort: str | None = None
    descending: bool = False
    can_add: bool = True


_SECTIONS: dict[str, tuple[_Section, ...]] = {
    "partnership": (
        _Section("Member cities", "membership", "partnership_id"),
        _Section("Coordinators", "coordinator", "partnership_id"),
        _Section("Goals", "goal", "partnership_id"),
        _Section(
            "Agreements",
            "agreement",
            "partnership_id",
            ("title", "kind", "status", "signed_on", "expires_on"),
        ),
        _Section(
            "Activities",
            "activity",
            "partnership_id",
            ("start_date", "kind", "title", "city_id"),
            sort="start_date",
            descending=True,
        ),
        _Section(
            "Evaluations",
            "evaluation",
            "partnership_id",
            ("evaluated_on", "period", "kind", "recommendation"),
            sort="evaluated_on",
            descending=True,
        ),
        _Section(
            "Actions",
            "action",
            "partnership_id",
            ("title", "owner", "due_date", "done_date"),
            sort="due_date",
        ),
    ),
    "city": (
        _Section(
            "Contacts", "contact", "city_id", ("full_name", "position", "organisation", "email")
        ),
        _Section(
            "Activities here",
            "activity",
            "city_id",
            ("start_date", "kind", "title", "partnership_id"),
            sort="start_date",
            descending=True,
            can_add=False,
        ),
    ),
    "contact": (
        _Section(
            "Coordinates",
            "coordinator",
            "contact_id",
            ("partnership_id", "responsibility"),
            can_add=False,
        ),
        _Section(
            "Took part in", "participant", "contact_id", ("activity_id", "role"), can_add=False
        ),
        _Section("Signed", "signatory", "contact_id", ("agreement_id", "signed_as"), can_add=False),
    ),
    "programme": (
        _Section("Partnerships", "partnership", "programme_id", ("title", "kind", "status")),
    ),
    "agreement": (
        _Section("Signatories", "signatory", "agreement_id"),
        _Section("Responsibilities", "responsibility", "agreement_id"),
    ),
    "activity": (
        _Section("Participants", "participant", "activity_id"),
        _Section(
            "Follow-up actions",
            "action",
            "activity_id",
            ("title", "owner", "due_date", "done_date"),
            can_add=False,
        ),
    ),
    "evaluation": (
        _Section("Health check", "health_check", "evaluation_id"),
        _Section("KPI measurements", "kpi_measurement", "evaluation_id"),
        _Section(
            "Follow-up actions",
            "action",
            "evaluation_id",
            ("title", "owner", "due_date", "done_date"),
            can_add=False,
        ),
    ),
}


# Kinds whose detail pane has an Attachments section (signed agreements, minutes, photos…).
WITH_ATTACHMENTS = ("partnership", "agreement", "activity", "evaluation", "city", "contact")


def related(uow: UnitOfWork, kind: str, record_id: str) -> list[RelatedSection]:
    """All sections for the record; each lists at most SECTION_LIMIT rows and the total."""
    sections: list[RelatedSection] = []
    with uow:
        for s in _SECTIONS.get(kind, ()):
            query = ListQuery(
                filters=((s.field, record_id),),
                columns=s.columns or spec_for(s.kind).list_fields,
                sort_field=s.sort,
                descending=s.descending,
                limit=SECTION_LIMIT,
            )
            rows = table_rows.list_rows(uow, s.kind, query)
            total = (
                len(rows)
                if len(rows) < SECTION_LIMIT
                else table_rows.count_rows(uow, s.kind, query)
            )
            sections.append(
                RelatedSection(
                    title=s.title,
                    kind=s.kind,
                    rows=tuple(rows),
                    columns=tuple(spec_for(s.kind).field(c) for c in query.columns),
                    parent_field=s.field if s.can_add else None,
                    total=total,
                )
            )
        if kind in WITH_ATTACHMENTS:
            attachment = spec_for("attachment")
            query = ListQuery(filters=(("owner_kind", kind), ("owner_id", record_id)),
                              limit=SECTION_LIMIT)
            rows = table_rows.list_rows(uow, "attachment", query)
            sections.append(RelatedSection(
                title="Attachments", kind="attachment", rows=tuple(rows), total=len(rows),
                columns=tuple(attachment.field(c) for c in attachment.list_fields),
                parent_field="owner_id",
            ))
        if kind == "city":
            rows = repo.partnerships_of_city(uow.session, record_id, SECTION_LIMIT)
            sections.insert(
                1,
                RelatedSection(
                    title="Partnerships",
                    kind="partnership",
                    columns=(
                        *(spec_for("partnership").field(c) for c in ("title", "kind", "status")),
                        spec_for("membership").field("role"),
                    ),
                    rows=tuple(rows),
                    total=len(rows),
                ),
            )
    return sections
