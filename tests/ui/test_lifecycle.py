"""Every kind of record through the GUI: edited in its dialog, deleted (with confirmation),
and restored — by Edit ▸ Undo and from the "Show deleted" view."""

from __future__ import annotations

from typing import Any

import pytest

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import ENTITIES, PAGE_KINDS
from citypartner_desktop.services import records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.table_model import ID_ROLE
from tests.ui.helpers import click_save, enter, seed, valid_input

EDIT: dict[str, tuple[str, str]] = {
    "city": ("region", "Attica"),
    "contact": ("position", "Head of International Relations"),
    "programme": ("notes", "Member since 2010"),
    "partnership": ("lead_department", "Mayor's office"),
    "membership": ("joined_on", "2001-09-01"),
    "coordinator": ("responsibility", "Youth desk"),
    "goal": ("unit", "pupils"),
    "agreement": ("reference", "Rb 2025/117"),
    "signatory": ("signed_as", "Deputy Mayor"),
    "responsibility": ("description", "Pays the travel costs"),
    "activity": ("summary", "Agreed on the 2027 work plan."),
    "participant": ("role", "Interpreter"),
    "action": ("owner", "Z. Nowak"),
    "evaluation": ("method", "Survey and workshop"),
    "health_check": ("note", "Weekly calls help"),
    "kpi_measurement": ("note", "From the school register"),
}
KINDS = [k for k in ENTITIES if k != "attachment"]


@pytest.mark.parametrize("kind", KINDS)
def test_edit_delete_and_restore(window: MainWindow, ctx: AppContext, qtbot: Any, kind: str,
                                 answer_yes: list[str]) -> None:
    ids = seed(ctx.db)
    values = {k: v for k, v in valid_input(kind, ids).items()}
    created = records.create(ctx.db.uow(), kind, values)
    ctx.notify("*")

    field, new_value = EDIT[kind]
    dialog = open_record_dialog(ctx, kind, created.id)
    qtbot.addWidget(dialog)
    enter(qtbot, dialog, field, new_value)
    click_save(qtbot, dialog)
    assert dialog.saved is not None, dialog.banner.text()
    stored = records.get(ctx.db.uow(), kind, created.id).values[field]
    assert str(stored) == new_value

    page = window.pages["partnership"]
    assert page.delete_record(kind, created.id)
    assert "Undo" in answer_yes[-1]
    assert created.id not in answer_yes[-1]  # named as people read it, never by its id
    assert records.count(ctx.db.uow(), kind, ListQuery(filters=(("id", created.id),))) == 0
    window.undo_action.trigger()  # Edit ▸ Undo brings it back
    assert records.get(ctx.db.uow(), kind, created.id).values[field] == stored

    page.delete_record(kind, created.id)
    if kind in PAGE_KINDS:  # and the Deleted items view of its page restores it too
        own = window.pages[kind]
        window.show_page(kind)
        own.show_deleted.setChecked(True)
        model = own.model
        row = next(r for r in range(model.rowCount())
                   if model.data(model.index(r, 0), ID_ROLE) == created.id)
        own.table.selectRow(row)
        window.restore_action.trigger()
        assert records.get(ctx.db.uow(), kind, created.id).deleted_at is None
