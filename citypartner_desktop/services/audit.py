"""The audit trail: who changed what, when, from which installation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from citypartner_desktop.db.models import Change
from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain.formatting import audit_text


def record(
    uow: UnitOfWork,
    kind: str,
    record_id: str,
    field: str,
    old: Any,
    new: Any,
    when: datetime,
) -> None:
    if not uow.record_history:
        return
    uow.session.add(
        Change(
            record_kind=kind,
            record_id=record_id,
            field=field,
            old_value=audit_text(old),
            new_value=audit_text(new),
            changed_at=when,
            changed_by=uow.actor.user,
            installation_id=uow.actor.installation_id,
        )
    )
