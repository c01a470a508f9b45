"""The tables a demo load fills: the column order of its rows, which tables are written first
(foreign keys), the kind of record each holds, and the summary of how many rows each got."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from citypartner_desktop.domain.specs import ENTITIES

# Column order of the rows built here; the search key (where the kind has one) is appended by
# the sink. A test checks these against the tables, so a new column cannot be forgotten.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cities": ("id", "name", "native_name", "other_names", "country", "region", "population",
               "latitude", "longitude", "timezone", "geonames_id", "is_home", "website", "notes",
               "review"),
    "contacts": ("id", "full_name", "title", "position", "organisation", "city_id", "email",
                 "phone", "languages", "notes", "legal_basis", "data_source", "consent_date",
                 "review_date", "consent_withdrawn_on", "given_name", "family_name",
                 "department", "tags", "card_uid", "details"),
    "programmes": ("id", "name", "kind", "website", "notes"),
    "partnerships": ("id", "title", "kind", "status", "themes", "start_date", "end_date",
                     "programme_id", "lead_department", "aims", "evaluation_cadence_months",
                     "since_year"),
    "memberships": ("id", "partnership_id", "city_id", "role", "joined_on", "left_on"),
    "coordinators": ("id", "partnership_id", "contact_id", "responsibility"),
    "goals": ("id", "partnership_id", "title", "theme", "indicator", "unit", "baseline", "target",
              "due_date", "status"),
    "agreements": ("id", "partnership_id", "kind", "title", "reference", "status", "signed_on",
                   "signed_at", "effective_on", "expires_on", "auto_renew",
                   "notice_period_months", "review_on", "council_resolution", "languages",
                   "summary"),
    "signatories": ("id", "agreement_id", "contact_id", "signed_as"),
    "responsibilities": ("id", "agreement_id", "city_id", "description"),
    "evaluations": ("id", "partnership_id", "period", "evaluated_on", "kind", "method",
                    "evaluator", "findings", "lessons", "recommendation"),
    "criterion_scores": ("id", "evaluation_id", "criterion", "score", "rationale"),
    "health_checks": ("id", "evaluation_id", "side", "aspect", "rating", "note"),
    "kpi_measurements": ("id", "evaluation_id", "goal_id", "actual", "measured_on", "note"),
    "activities": ("id", "partnership_id", "kind", "title", "start_date", "end_date", "city_id",
                   "participant_count", "cost", "currency", "summary"),
    "participants": ("id", "activity_id", "contact_id", "role"),
    "actions": ("id", "partnership_id", "title", "owner", "due_date", "done_date", "activity_id",
                "evaluation_id", "notes"),
}
CHANGE_COLUMNS = ("id", "record_kind", "record_id", "field", "old_value", "new_value",
                  "changed_at", "changed_by", "installation_id")
# Tables whose parent rows must be written first (foreign keys are checked at once).
PARENTS: dict[str, tuple[str, ...]] = {
    "memberships": ("partnerships",), "coordinators": ("partnerships",),
    "goals": ("partnerships",), "agreements": ("partnerships",),
    "signatories": ("agreements",), "responsibilities": ("agreements",),
    "evaluations": ("partnerships",), "criterion_scores": ("evaluations",),
    "health_checks": ("evaluations",), "kpi_measurements": ("evaluations", "goals"),
    "activities": ("partnerships",), "participants": ("activities",),
    "actions": ("activities", "evaluations", "partnerships"),
}
KIND_OF_TABLE: dict[str, str] = {
    **{spec.table: spec.kind for spec in ENTITIES.values()}, "criterion_scores": "criterion_score",
}


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind the load wrote (keys as table names)."""

    cities: int = 0
    contacts: int = 0
    programmes: int = 0
    partnerships: int = 0
    memberships: int = 0
    coordinators: int = 0
    goals: int = 0
    agreements: int = 0
    signatories: int = 0
    responsibilities: int = 0
    evaluations: int = 0
    criterion_scores: int = 0
    health_checks: int = 0
    kpi_measurements: int = 0
    activities: int = 0
    participants: int = 0
    actions: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Table name -> records written, in load order."""
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
