"""All tables, one module per aggregate; ``MODELS`` maps a record kind to its class."""

from sqlalchemy import Index

from citypartner_desktop.db.base import Base, partial_index
from citypartner_desktop.db.fts import FTS_TABLES
from citypartner_desktop.db.models.activities import Activity, Participant
from citypartner_desktop.db.models.agreements import Agreement, Responsibility, Signatory
from citypartner_desktop.db.models.attachments import Attachment
from citypartner_desktop.db.models.changes import Change
from citypartner_desktop.db.models.cities import City
from citypartner_desktop.db.models.contacts import Contact
from citypartner_desktop.db.models.counts import LiveCount
from citypartner_desktop.db.models.evaluations import (
    CriterionScore,
    Evaluation,
    HealthCheck,
    KpiMeasurement,
)
from citypartner_desktop.db.models.monitoring import ReminderState, Setting
from citypartner_desktop.db.models.packs import (
    PACK_TABLES,
    DatabaseIdentity,
    PackBase,
    PackInfo,
    PackMerge,
)
from citypartner_desktop.db.models.partnerships import (
    Action,
    Coordinator,
    Goal,
    Membership,
    Partnership,
)
from citypartner_desktop.db.models.privacy import Erasure
from citypartner_desktop.db.models.programmes import Programme

# Sort orders of the pages, over live rows only, as covering partial indexes: each page's
# default order, and the plain columns of the big tables. A sorted first page then needs no
# sort of the whole table, and a page deep in it is found by walking the index alone (an
# OFFSET of 500,000 activities: ~25 ms instead of ~2.7 s). Made by migrations 0003 and 0004.
LIVE_ORDER: tuple[tuple[str, str], ...] = (
    ("cities", "name"),
    ("contacts", "full_name"),
    ("contacts", "position"),
    ("contacts", "organisation"),
    ("contacts", "email"),
    ("contacts", "phone"),
    ("programmes", "name"),
    ("partnerships", "title"),
    ("agreements", "title"),
    ("activities", "start_date"),
    ("activities", "kind"),
    ("activities", "title"),
    ("activities", "participant_count"),
    ("actions", "title"),
    ("evaluations", "evaluated_on"),
    # migration 0004: the sort labels of referenced records (db/derived.py)
    ("activities", "partnership_label"),
    ("activities", "city_label"),
    ("contacts", "city_label"),
    ("actions", "partnership_label"),
)
for _table, _column in LIVE_ORDER:
    _t = Base.metadata.tables[_table]
    Index(f"ix_{_table}_live_{_column}", _t.c[_column], _t.c.id,
          **partial_index(_t.c.deleted_at.is_(None)))
# The few deleted rows of each searchable table, found without a scan: the searches subtract
# the deleted matches from the full-text index's count (migration 0007).
for _table in FTS_TABLES:
    _t = Base.metadata.tables[_table]
    Index(f"ix_{_table}_deleted", _t.c.deleted_at, **partial_index(_t.c.deleted_at.is_not(None)))

MODELS: dict[str, type[Base]] = {
    "city": City,
    "contact": Contact,
    "programme": Programme,
    "partnership": Partnership,
    "membership": Membership,
    "coordinator": Coordinator,
    "goal": Goal,
    "action": Action,
    "agreement": Agreement,
    "signatory": Signatory,
    "responsibility": Responsibility,
    "activity": Activity,
    "participant": Participant,
    "evaluation": Evaluation,
    "criterion_score": CriterionScore,
    "health_check": HealthCheck,
    "kpi_measurement": KpiMeasurement,
    "attachment": Attachment,
    "change": Change,
}

__all__ = [
    "MODELS",
    "PACK_TABLES",
    "Action",
    "Activity",
    "Agreement",
    "Attachment",
    "Base",
    "Change",
    "City",
    "Contact",
    "Coordinator",
    "CriterionScore",
    "DatabaseIdentity",
    "Erasure",
    "Evaluation",
    "Goal",
    "HealthCheck",
    "KpiMeasurement",
    "LiveCount",
    "Membership",
    "PackBase",
    "PackInfo",
    "PackMerge",
    "Participant",
    "Partnership",
    "Programme",
    "ReminderState",
    "Responsibility",
    "Setting",
    "Signatory",
]
