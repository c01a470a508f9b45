"""All tables, one module per aggregate; ``MODELS`` maps a record kind to its class."""

from citypartner_desktop.db.base import Base
from citypartner_desktop.db.models.activities import Activity, Participant
from citypartner_desktop.db.models.agreements import Agreement, Responsibility, Signatory
from citypartner_desktop.db.models.attachments import Attachment
from citypartner_desktop.db.models.changes import Change
from citypartner_desktop.db.models.cities import City
from citypartner_desktop.db.models.contacts import Contact
from citypartner_desktop.db.models.evaluations import (
    CriterionScore,
    Evaluation,
    HealthCheck,
    KpiMeasurement,
)
from citypartner_desktop.db.models.partnerships import (
    Action,
    Coordinator,
    Goal,
    Membership,
    Partnership,
)
from citypartner_desktop.db.models.programmes import Programme

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
    "Evaluation",
    "Goal",
    "HealthCheck",
    "KpiMeasurement",
    "Membership",
    "Participant",
    "Partnership",
    "Programme",
    "Responsibility",
    "Signatory",
]
