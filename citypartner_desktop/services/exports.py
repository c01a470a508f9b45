"""Read-only use cases of the vCard and iCalendar exports (plain dicts, never ORM objects)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.repositories import exports as repo


def contact_cards(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    with uow:
        return repo.contact_cards(uow.session, ids)


def activity_events(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    with uow:
        return repo.activity_events(uow.session, ids)
