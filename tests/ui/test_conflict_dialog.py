"""An edit dialog whose record a colleague saved meanwhile: it says so at once, and its save
asks field by field (keep mine / take theirs) what both changed, takes what only they changed,
and loses nothing typed. The colleague is a second unit of work with another name."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.services import records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
from citypartner_desktop.ui.dialogs.conflict_dialog import ConflictDialog
from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog
from tests.ui.helpers import click_save, enter

COLLEAGUE = Actor(user="anna@office-pc", installation_id="00000000-0000-4000-8000-000000000002")


def colleague_of(db: Database) -> Database:
    return dataclasses.replace(db, actor=COLLEAGUE)


@pytest.fixture
def city(ctx: AppContext) -> str:
    return records.create(ctx.db.uow(), "city", {
        "name": "Kraków", "country": "PL", "population": "780000",
        "notes": "Twin since 1990"}).id


def stored(ctx: AppContext, city: str) -> dict[str, Any]:
    return records.get(ctx.db.uow(), "city", city).values


def edit_while_colleague_saves(ctx: AppContext, qtbot: Any, city: str) -> RecordDialog:
    """The dialog opens; Anna saves region, population and notes; I type region and
    population and save: the conflict dialog is open (non-blocking) on top."""
    dialog = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(dialog)
    dialog.show()
    records.update(colleague_of(ctx.db).uow(), "city", city, {
        "region": "Lesser Poland", "population": "800000",
        "notes": "Twin since 1990; charter renewed 2024"})
    enter(qtbot, dialog, "region", "Małopolska")
    enter(qtbot, dialog, "population", "790 000")
    with qtbot.assertNotEmitted(ctx.bus.changed):
        click_save(qtbot, dialog)
    assert dialog.saved is None
    assert isinstance(dialog.conflict_dialog, ConflictDialog)
    assert dialog.conflict_dialog.isVisible()
    return dialog


def test_both_changed_fields_are_chosen_one_by_one(ctx: AppContext, qtbot: Any, city: str
                                                   ) -> None:
    dialog = edit_while_colleague_saves(ctx, qtbot, city)
    conflict = dialog.conflict_dialog
    assert conflict is not None
    assert list(conflict.choice_boxes) == ["region", "population"]
    assert conflict.choices() == {"region": "mine", "population": "mine"}  # the default
    assert COLLEAGUE.user in conflict.intro.text()
    rows = {f.name: f for f in conflict.conflict.fields}
    assert (rows["region"].mine_text, rows["region"].theirs_text) == ("Małopolska",
                                                                      "Lesser Poland")
    assert rows["population"].changed_by == COLLEAGUE.user
    assert conflict.taken_note.isVisible() and "Notes" in conflict.taken_note.text()
    assert conflict.choice_boxes["region"].accessibleName() == "Value of Region to save"

    conflict.choose("population", "theirs")
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(conflict.save_button, Qt.MouseButton.LeftButton)

    assert dialog.saved is not None
    assert dialog.result() == QDialog.DialogCode.Accepted
    values = stored(ctx, city)
    assert values["region"] == "Małopolska"  # mine, kept
    assert values["population"] == 800000  # theirs, chosen
    assert values["notes"] == "Twin since 1990; charter renewed 2024"  # only theirs: taken
    assert dialog.conflict_dialog is None


def test_cancel_returns_to_the_edit_with_everything_typed(ctx: AppContext, qtbot: Any,
                                                          city: str) -> None:
    dialog = edit_while_colleague_saves(ctx, qtbot, city)
    conflict = dialog.conflict_dialog
    assert conflict is not None
    qtbot.mouseClick(conflict.cancel_button, Qt.MouseButton.LeftButton)
    assert not conflict.isVisible()
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.editors["region"].value() == "Małopolska"
    assert dialog.editors["population"].value() == "790 000"
    assert dialog.moved_note.isVisible() and COLLEAGUE.user in dialog.moved_note.text()
    assert stored(ctx, city)["region"] == "Lesser Poland"  # nothing saved
    # Saving again asks again; keeping mine everywhere saves mine and takes their notes.
    click_save(qtbot, dialog)
    again = dialog.conflict_dialog
    assert again is not None and again is not conflict
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    values = stored(ctx, city)
    assert (values["region"], values["population"]) == ("Małopolska", 790000)
    assert values["notes"] == "Twin since 1990; charter renewed 2024"


def test_undo_after_a_conflict_save_restores_their_values(ctx: AppContext, qtbot: Any,
                                                          city: str) -> None:
    dialog = edit_while_colleague_saves(ctx, qtbot, city)
    assert dialog.conflict_dialog is not None
    qtbot.mouseClick(dialog.conflict_dialog.save_button, Qt.MouseButton.LeftButton)
    assert stored(ctx, city)["region"] == "Małopolska"
    ctx.undo.undo()
    values = stored(ctx, city)
    # The colleague's version, not the one my dialog first loaded.
    assert values["region"] == "Lesser Poland"
    assert values["population"] == 800000
    assert values["notes"] == "Twin since 1990; charter renewed 2024"
    ctx.undo.redo()
    assert (stored(ctx, city)["region"], stored(ctx, city)["population"]) == (
        "Małopolska", 790000)


def test_their_changes_alone_are_taken_without_asking(ctx: AppContext, qtbot: Any, city: str
                                                      ) -> None:
    dialog = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(dialog)
    records.update(colleague_of(ctx.db).uow(), "city", city, {"notes": "Charter renewed"})
    enter(qtbot, dialog, "region", "Małopolska")
    with qtbot.waitSignal(ctx.bus.changed):
        click_save(qtbot, dialog)
    assert dialog.saved is not None and dialog.conflict_dialog is None
    values = stored(ctx, city)
    assert (values["region"], values["notes"]) == ("Małopolska", "Charter renewed")


def test_a_record_saved_again_meanwhile_asks_again(ctx: AppContext, qtbot: Any, city: str
                                                   ) -> None:
    dialog = edit_while_colleague_saves(ctx, qtbot, city)
    first = dialog.conflict_dialog
    assert first is not None
    enter(qtbot, dialog, "website", "krakow.pl")  # typed while the question is open
    records.update(colleague_of(ctx.db).uow(), "city", city, {"region": "Małopolskie"})
    first.choose("population", "theirs")
    qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    second = dialog.conflict_dialog
    assert second is not None and second is not first
    assert list(second.choice_boxes) == ["region"]
    qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    values = stored(ctx, city)
    assert (values["region"], values["population"]) == ("Małopolska", 800000)
    assert dialog.saved is not None


def test_a_change_elsewhere_is_noted_at_once(ctx: AppContext, qtbot: Any, city: str) -> None:
    other = records.create(ctx.db.uow(), "city", {"name": "Lyon", "country": "FR"}).id
    dialog = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(dialog)
    dialog.show()
    records.update(ctx.db.uow(), "city", other, {"region": "Rhône"})
    ctx.notify("city", [other])  # another record: nothing to say
    assert not dialog.moved_note.isVisible()
    records.update(colleague_of(ctx.db).uow(), "city", city, {"region": "Lesser Poland"})
    ctx.notify("city", [city])
    assert dialog.moved_note.isVisible()
    assert dialog.moved_note.accessibleName() == "Changed elsewhere"
    text = dialog.moved_note.text()
    assert COLLEAGUE.user in text and "choose which values to keep" in text


def test_everything_changed_counts_and_deletion_is_noted(ctx: AppContext, qtbot: Any,
                                                        city: str) -> None:
    dialog = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(dialog)
    dialog.show()
    ctx.notify("*")
    assert not dialog.moved_note.isVisible()  # the record itself did not move
    records.delete(colleague_of(ctx.db).uow(), "city", city)
    ctx.notify("*")
    assert dialog.moved_note.isVisible() and "deleted" in dialog.moved_note.text()


def test_own_save_is_not_noted_and_a_closed_dialog_stops_listening(
        ctx: AppContext, qtbot: Any, city: str) -> None:
    dialog = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(dialog)
    dialog.show()
    enter(qtbot, dialog, "region", "Małopolska")
    click_save(qtbot, dialog)
    assert dialog.saved is not None
    assert dialog.moved_note.isHidden()  # its own save's notice is not news
    records.update(colleague_of(ctx.db).uow(), "city", city, {"region": "Lesser Poland"})
    ctx.notify("city", [city])
    assert dialog.moved_note.isHidden()
    cancelled = open_record_dialog(ctx, "city", city)
    qtbot.addWidget(cancelled)
    cancelled.reject()  # nothing typed: closes at once
    records.update(colleague_of(ctx.db).uow(), "city", city, {"region": "Małopolskie"})
    ctx.notify("city", [city])
    assert cancelled.moved_note.isHidden()  # no longer listening to the bus
