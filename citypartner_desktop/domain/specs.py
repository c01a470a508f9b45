"""What each kind of record holds, as data: one description drives validation, tables and forms.

Services validate against these specs, repositories map list columns to SQL, and the UI builds
its tables and edit dialogs from them, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.vocab import Vocab


class FieldKind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    REF = "ref"
    COUNTRY = "country"
    EMAIL = "email"
    PHONE = "phone"
    TIMEZONE = "timezone"
    URL = "url"
    LANGUAGES = "languages"
    CURRENCY = "currency"
    SCORES = "scores"  # the six OECD-DAC criteria: {criterion: (score | None, rationale)}
    # several e-mails, phones, addresses and web pages with their types (contact_details)
    DETAILS = "details"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    vocab: Vocab = ()
    ref: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 300
    default: Any = None
    placeholder: str = ""
    shown: bool = True  # False: kept and merged, never in a form or the detail pane


@dataclass(frozen=True)
class EntitySpec:
    kind: str
    table: str
    label: str
    plural: str
    fields: tuple[FieldSpec, ...]
    title_field: str
    list_fields: tuple[str, ...]
    search_fields: tuple[str, ...] = ()
    search_refs: tuple[str, ...] = ()  # reference fields whose record's words also match
    parent_field: str | None = None
    has_page: bool = False
    date_ranges: tuple[tuple[str, str], ...] = ()

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.kind} has no field {name!r}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


F = FieldSpec
K = FieldKind

CITY = EntitySpec(
    kind="city",
    table="cities",
    label="City",
    plural="Cities",
    has_page=True,
    title_field="name",
    fields=(
        F("name", "Name", required=True, max_length=200),
        F("native_name", "Native name", max_length=200, placeholder="e.g. 京都市, Київ"),
        F("other_names", "Other names", K.MULTILINE, max_length=10_000,
          placeholder="one a line, with its language: de: Krakau"),
        F("country", "Country", K.COUNTRY, required=True, placeholder="ISO code or name"),
        F("region", "Region", max_length=200),
        F("population", "Population", K.INT, minimum=0, maximum=100_000_000),
        F("latitude", "Latitude", K.FLOAT, minimum=-90, maximum=90),
        F("longitude", "Longitude", K.FLOAT, minimum=-180, maximum=180),
        F("timezone", "Time zone", K.TIMEZONE, placeholder="e.g. Europe/Warsaw"),
        F("geonames_id", "GeoNames id", K.INT, minimum=1),
        F("is_home", "Our own municipality", K.BOOL, default=False),
        F("website", "Website", K.URL),
        F("notes", "Notes", K.MULTILINE, max_length=20_000),
        F("review", "To check", max_length=500,
          placeholder="e.g. not in the world gazetteer; clear it once checked"),
    ),
    list_fields=("name", "native_name", "country", "region", "population", "timezone",
                 "review"),
    search_fields=("name", "native_name", "other_names", "region"),
)

CONTACT = EntitySpec(
    kind="contact",
    table="contacts",
    label="Contact",
    plural="Contacts",
    has_page=True,
    title_field="full_name",
    fields=(
        F("full_name", "Full name", required=True, max_length=200),
        F("title", "Title", max_length=50, placeholder="Dr., Mayor, …"),
        F("given_name", "Given name", max_length=100),
        F("family_name", "Family name", max_length=100),
        F("position", "Position / role", max_length=200),
        F("organisation", "Organisation", max_length=200),
        F("department", "Department", max_length=200),
        F("city_id", "City", K.REF, ref="city"),
        F("email", "E-mail", K.EMAIL),
        F("phone", "Phone", K.PHONE, placeholder="+48 12 616 12 00"),
        F("details", "All e-mails, phones, addresses", K.DETAILS, max_length=30_000),
        F("languages", "Languages", K.LANGUAGES, placeholder="e.g. pl, en, German"),
        F("tags", "Tags", max_length=500, placeholder="e.g. newsletter, mayors' conference"),
        F("notes", "Notes", K.MULTILINE, max_length=20_000),
        F("card_uid", "Card UID", max_length=200, shown=False),
        F("legal_basis", "Legal basis", K.CHOICE, vocab=vocab.LEGAL_BASES),
        F("data_source", "Source of data", max_length=200),
        F("consent_date", "Consent / basis date", K.DATE),
        F("review_date", "Review date", K.DATE),
        F("consent_withdrawn_on", "Consent withdrawn on", K.DATE),
    ),
    list_fields=("full_name", "position", "organisation", "city_id", "email", "phone"),
    search_fields=("full_name", "organisation", "email", "position", "department", "tags"),
    search_refs=("city_id",),
    date_ranges=(("consent_date", "consent_withdrawn_on"),),
)

# A contact's data-protection facts (GDPR): shown together, under their own heading, in the
# detail pane; the privacy review (services.privacy_review) reads them.
CONTACT_DATA_PROTECTION: tuple[str, ...] = (
    "legal_basis", "data_source", "consent_date", "review_date", "consent_withdrawn_on")

PROGRAMME = EntitySpec(
    kind="programme",
    table="programmes",
    label="Programme",
    plural="Programmes",
    has_page=True,
    title_field="name",
    fields=(
        F("name", "Name", required=True, max_length=200),
        F("kind", "Kind", K.CHOICE, required=True, vocab=vocab.PROGRAMME_KINDS, default="network"),
        F("website", "Website", K.URL),
        F("notes", "Notes", K.MULTILINE, max_length=20_000),
    ),
    list_fields=("name", "kind", "website"),
    search_fields=("name",),
)

PARTNERSHIP = EntitySpec(
    kind="partnership",
    table="partnerships",
    label="Partnership",
    plural="Partnerships",
    has_page=True,
    title_field="title",
    fields=(
        F("title", "Title", required=True, max_length=300),
        F(
            "kind",
            "Kind",
            K.CHOICE,
            required=True,
            vocab=vocab.PARTNERSHIP_KINDS,
            default="twinning",
        ),
        F(
            "status",
            "Status",
            K.CHOICE,
            required=True,
            vocab=vocab.PARTNERSHIP_STATUSES,
            default="proposed",
        ),
        F("themes", "Themes", K.MULTICHOICE, vocab=vocab.THEMES, default=()),
        F("start_date", "Start date", K.DATE),
        F("since_year", "Since (year)", K.INT, minimum=1000, maximum=2100,
          placeholder="when only the year is known"),
        F("end_date", "End date", K.DATE),
        F("programme_id", "Programme", K.REF, ref="programme"),
        F("lead_department", "Lead department", max_length=200),
        F("aims", "Aims", K.MULTILINE, max_length=20_000),
        F("evaluation_cadence_months", "Evaluate every (months)", K.INT, required=True,
          minimum=1, maximum=60, default=12),
    ),
    list_fields=("title", "kind", "status", "themes", "start_date", "programme_id"),
    search_fields=("title", "lead_department"),
    date_ranges=(("start_date", "end_date"),),
)

MEMBERSHIP = EntitySpec(
    kind="membership",
    table="memberships",
    label="Member city",
    plural="Member cities",
    title_field="city_id",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("city_id", "City", K.REF, required=True, ref="city"),
        F("role", "Role", K.CHOICE, required=True, vocab=vocab.MEMBER_ROLES, default="partner"),
        F("joined_on", "Joined", K.DATE),
        F("left_on", "Left", K.DATE),
    ),
    list_fields=("city_id", "role", "joined_on", "left_on"),
    date_ranges=(("joined_on", "left_on"),),
)

COORDINATOR = EntitySpec(
    kind="coordinator",
    table="coordinators",
    label="Coordinator",
    plural="Coordinators",
    title_field="contact_id",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("contact_id", "Contact", K.REF, required=True, ref="contact"),
        F("responsibility", "Responsibility", max_length=200),
    ),
    list_fields=("contact_id", "responsibility"),
)

GOAL = EntitySpec(
    kind="goal",
    table="goals",
    label="Goal",
    plural="Goals",
    title_field="title",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("title", "Title", required=True, max_length=300),
        F("theme", "Theme", K.CHOICE, vocab=vocab.THEMES),
        F("indicator", "Indicator (KPI)", max_length=300),
        F("unit", "Unit", max_length=50),
        F("baseline", "Baseline", K.FLOAT),
        F("target", "Target", K.FLOAT),
        F("due_date", "Due date", K.DATE),
        F("status", "Status", K.CHOICE, required=True, vocab=vocab.GOAL_STATUSES, default="open"),
    ),
    list_fields=("title", "indicator", "baseline", "target", "due_date", "status"),
)

AGREEMENT = EntitySpec(
    kind="agreement",
    table="agreements",
    label="Agreement",
    plural="Agreements",
    has_page=True,
    title_field="title",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F(
            "kind",
            "Kind",
            K.CHOICE,
            required=True,
            vocab=vocab.AGREEMENT_KINDS,
            default="memorandum",
        ),
        F("title", "Title", required=True, max_length=300),
        F("reference", "Reference", max_length=100),
        F(
            "status",
            "Status",
            K.CHOICE,
            required=True,
            vocab=vocab.AGREEMENT_STATUSES,
            default="draft",
        ),
        F("signed_on", "Signed on", K.DATE),
        F("signed_at", "Signed at (place)", max_length=200),
        F("effective_on", "Effective from", K.DATE),
        F("expires_on", "Expires on", K.DATE),
        F("auto_renew", "Renews automatically", K.BOOL, default=False),
        F("notice_period_months", "Notice period (months)", K.INT, minimum=0, maximum=120),
        F("review_on", "Review date", K.DATE),
        F("council_resolution", "Council resolution", max_length=200),
        F("languages", "Languages", K.LANGUAGES),
        F("summary", "Summary", K.MULTILINE, max_length=50_000),
    ),
    list_fields=("title", "kind", "partnership_id", "status", "signed_on", "expires_on"),
    search_fields=("title", "reference", "summary"),
    date_ranges=(("effective_on", "expires_on"), ("signed_on", "expires_on")),
)

SIGNATORY = EntitySpec(
    kind="signatory",
    table="signatories",
    label="Signatory",
    plural="Signatories",
    title_field="contact_id",
    parent_field="agreement_id",
    fields=(
        F("agreement_id", "Agreement", K.REF, required=True, ref="agreement"),
        F("contact_id", "Contact", K.REF, required=True, ref="contact"),
        F("signed_as", "Signed as", max_length=200),
    ),
    list_fields=("contact_id", "signed_as"),
)

RESPONSIBILITY = EntitySpec(
    kind="responsibility",
    table="responsibilities",
    label="Responsibility",
    plural="Responsibilities",
    title_field="description",
    parent_field="agreement_id",
    fields=(
        F("agreement_id", "Agreement", K.REF, required=True, ref="agreement"),
        F("city_id", "City", K.REF, required=True, ref="city"),
        F("description", "Responsibility", K.MULTILINE, required=True, max_length=5_000),
    ),
    list_fields=("city_id", "description"),
)

ACTIVITY = EntitySpec(
    kind="activity",
    table="activities",
    label="Activity",
    plural="Activities",
    has_page=True,
    title_field="title",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("kind", "Kind", K.CHOICE, required=True, vocab=vocab.ACTIVITY_KINDS, default="meeting"),
        F("title", "Title", required=True, max_length=300),
        F("start_date", "Start", K.DATE, required=True),
        F("end_date", "End", K.DATE),
        F("city_id", "Place", K.REF, ref="city"),
        F("participant_count", "Participants (count)", K.INT, minimum=0, maximum=1_000_000),
        F("cost", "Cost", K.FLOAT, minimum=0),
        F("currency", "Currency", K.CURRENCY, default="EUR"),
        F("summary", "Summary / minutes", K.MULTILINE, max_length=100_000),
    ),
    list_fields=("start_date", "kind", "title", "partnership_id", "city_id", "participant_count"),
    search_fields=("title", "summary"),
    date_ranges=(("start_date", "end_date"),),
)

PARTICIPANT = EntitySpec(
    kind="participant",
    table="participants",
    label="Participant",
    plural="Participants",
    title_field="contact_id",
    parent_field="activity_id",
    fields=(
        F("activity_id", "Activity", K.REF, required=True, ref="activity"),
        F("contact_id", "Contact", K.REF, required=True, ref="contact"),
        F("role", "Role", max_length=200),
    ),
    list_fields=("contact_id", "role"),
)

ACTION = EntitySpec(
    kind="action",
    table="actions",
    label="Action",
    plural="Actions",
    has_page=True,
    title_field="title",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("title", "What", required=True, max_length=300),
        F("owner", "Owner", max_length=200),
        F("due_date", "Due", K.DATE),
        F("done_date", "Done", K.DATE),
        F("activity_id", "From activity", K.REF, ref="activity"),
        F("evaluation_id", "From evaluation", K.REF, ref="evaluation"),
        F("notes", "Notes", K.MULTILINE, max_length=20_000),
    ),
    list_fields=("title", "owner", "due_date", "done_date", "partnership_id"),
    search_fields=("title", "owner"),
)

EVALUATION = EntitySpec(
    kind="evaluation",
    table="evaluations",
    label="Evaluation",
    plural="Evaluations",
    has_page=True,
    title_field="period",
    parent_field="partnership_id",
    fields=(
        F("partnership_id", "Partnership", K.REF, required=True, ref="partnership"),
        F("period", "Period", required=True, max_length=100, placeholder="e.g. 2025"),
        F("evaluated_on", "Date", K.DATE, required=True),
        F("kind", "Kind", K.CHOICE, required=True, vocab=vocab.EVALUATION_KINDS, default="annual"),
        F("method", "Method", max_length=300),
        F("evaluator", "Evaluator", max_length=200),
        F("scores", "OECD-DAC scores", K.SCORES),
        F("findings", "Findings", K.MULTILINE, max_length=50_000),
        F("lessons", "Lessons", K.MULTILINE, max_length=50_000),
        F("recommendation", "Recommendation", K.CHOICE, vocab=vocab.RECOMMENDATIONS),
    ),
    list_fields=("evaluated_on", "partnership_id", "period", "kind", "recommendation"),
    search_fields=("period", "evaluator", "findings"),
)

HEALTH_CHECK = EntitySpec(
    kind="health_check",
    table="health_checks",
    label="Health check",
    plural="Health check",
    title_field="aspect",
    parent_field="evaluation_id",
    fields=(
        F("evaluation_id", "Evaluation", K.REF, required=True, ref="evaluation"),
        F("side", "Side", K.CHOICE, required=True, vocab=vocab.HEALTH_SIDES, default="ours"),
        F("aspect", "Aspect", K.CHOICE, required=True, vocab=vocab.HEALTH_ASPECTS),
        F("rating", "Rating", K.CHOICE, required=True, vocab=vocab.RAG),
        F("note", "Note", K.MULTILINE, max_length=5_000),
    ),
    list_fields=("side", "aspect", "rating", "note"),
)

KPI_MEASUREMENT = EntitySpec(
    kind="kpi_measurement",
    table="kpi_measurements",
    label="KPI measurement",
    plural="KPI measurements",
    title_field="goal_id",
    parent_field="evaluation_id",
    fields=(
        F("evaluation_id", "Evaluation", K.REF, required=True, ref="evaluation"),
        F("goal_id", "Goal", K.REF, required=True, ref="goal"),
        F("actual", "Actual value", K.FLOAT, required=True),
        F("measured_on", "Measured on", K.DATE),
        F("note", "Note", K.MULTILINE, max_length=5_000),
    ),
    list_fields=("goal_id", "actual", "measured_on"),
)

ATTACHMENT = EntitySpec(
    kind="attachment",
    table="attachments",
    label="Attachment",
    plural="Attachments",
    title_field="file_name",
    fields=(
        F("owner_kind", "Belongs to (kind)", required=True, max_length=40),
        F("owner_id", "Belongs to (id)", required=True, max_length=36),
        F("file_name", "File name", required=True, max_length=255),
        F("media_type", "Media type", max_length=100),
        F("size", "Size (bytes)", K.INT, minimum=0),
        F("sha256", "SHA-256", max_length=64),
    ),
    list_fields=("file_name", "media_type", "size"),
)

ENTITIES: dict[str, EntitySpec] = {
    spec.kind: spec
    for spec in (
        CITY,
        CONTACT,
        PROGRAMME,
        PARTNERSHIP,
        MEMBERSHIP,
        COORDINATOR,
        GOAL,
        AGREEMENT,
        SIGNATORY,
        RESPONSIBILITY,
        ACTIVITY,
        PARTICIPANT,
        ACTION,
        EVALUATION,
        HEALTH_CHECK,
        KPI_MEASUREMENT,
        ATTACHMENT,
    )
}

# Sidebar order of the pages.
PAGE_KINDS: tuple[str, ...] = (
    "partnership",
    "city",
    "contact",
    "agreement",
    "activity",
    "evaluation",
    "action",
    "programme",
)


def spec_for(kind: str) -> EntitySpec:
    try:
        return ENTITIES[kind]
    except KeyError:
        raise KeyError(f"unknown record kind {kind!r}") from None


def children_of(kind: str) -> tuple[EntitySpec, ...]:
    """Child kinds whose parent field refers to ``kind`` (shown in its detail pane)."""
    return tuple(
        s
        for s in ENTITIES.values()
        if s.parent_field is not None and s.field(s.parent_field).ref == kind
    )
