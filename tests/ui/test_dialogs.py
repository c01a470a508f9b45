"""Every kind of record through its dialog: typed in and saved; bad input refused in place."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import ENTITIES, FieldKind
from citypartner_desktop.services import records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import CityDialog, open_record_dialog
from citypartner_desktop.ui.dialogs.field_editors import RefEditor
from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog
from tests.ui.helpers import BAD_INPUT, click_save, enter, seed, valid_input

# Evaluations open in their own editor (scores, health check, KPIs, action items), tested in
# tests/ui/test_evaluation_editor.py.
DIALOG_KINDS = [k for k in ENTITIES if k not in ("attachment", "evaluation")]


def _count(ctx: AppContext, kind: str) -> int:
    return records.count(ctx.db.uow(), kind, ListQuery())


@pytest.mark.parametrize("kind", DIALOG_KINDS)
def test_typed_record_is_saved(ctx: AppContext, qtbot: Any, kind: str) -> None:
    ids = seed(ctx.db)
    before = _count(ctx, kind)
    dialog = open_record_dialog(ctx, kind)
    qtbot.addWidget(dialog)
    typed = valid_input(kind, ids)
    for field, value in typed.items():
        enter(qtbot, dialog, field, value)
    with qtbot.waitSignal(ctx.bus.changed):
        click_save(qtbot, dialog)
    assert dialog.saved is not None, dialog.banner.text()
    assert _count(ctx, kind) == before + 1
    stored = records.get(ctx.db.uow(), kind, dialog.saved.id).values
    spec = ENTITIES[kind]
    for field, value in typed.items():
        if spec.field(field).kind in (FieldKind.TEXT, FieldKind.MULTILINE, FieldKind.REF):
            assert stored[field] == value, field
    assert ctx.undo.canUndo()


@pytest.mark.parametrize("kind", DIALOG_KINDS)
def test_bad_input_is_refused_with_the_field_named(ctx: AppContext, qtbot: Any, kind: str
                                                   ) -> None:
    ids = seed(ctx.db)
    before = _count(ctx, kind)
    dialog = open_record_dialog(ctx, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    typed = valid_input(kind, ids)
    for field, value in typed.items():
        enter(qtbot, dialog, field, value)
    field, bad, reason = BAD_INPUT[kind]
    enter(qtbot, dialog, field, bad)
    with qtbot.assertNotEmitted(ctx.bus.changed):
        click_save(qtbot, dialog)
    assert dialog.saved is None
    assert dialog.isVisible()  # still open, nothing typed is lost
    message = dialog.error_labels[field]
    assert message.isVisible()
    assert ENTITIES[kind].field(field).label in message.text()
    assert reason in message.text()
    assert dialog.banner.isVisible()
    assert _count(ctx, kind) == before
    # What the user typed is still there to be corrected.
    assert dialog.values()[field] == bad or dialog.values()[field].strip() == bad.strip()


def test_required_fields_are_named(ctx: AppContext, qtbot: Any) -> None:
    dialog = RecordDialog(ctx, "partnership")
    qtbot.addWidget(dialog)
    dialog.show()
    click_save(qtbot, dialog)
    assert dialog.error_labels["title"].text() == "Title is required"
    assert dialog.focusWidget() is dialog.editors["title"].focus_widget()


def test_edit_saves_and_undo_reverts(ctx: AppContext, qtbot: Any) -> None:
    ids = seed(ctx.db)
    dialog = open_record_dialog(ctx, "partnership", ids["partnership"])
    qtbot.addWidget(dialog)
    assert dialog.editors["title"].value() == "Nürnberg–Kraków"
    enter(qtbot, dialog, "title", "Nürnberg–Kraków (renewed)")
    click_save(qtbot, dialog)
    assert records.get(ctx.db.uow(), "partnership", ids["partnership"]).values["title"] == (
        "Nürnberg–Kraków (renewed)")
    ctx.undo.undo()
    assert records.get(ctx.db.uow(), "partnership", ids["partnership"]).values["title"] == (
        "Nürnberg–Kraków")
    ctx.undo.redo()
    assert records.get(ctx.db.uow(), "partnership", ids["partnership"]).values["title"] == (
        "Nürnberg–Kraków (renewed)")


def test_saving_another_field_keeps_every_digit_of_a_number(ctx: AppContext,
                                                            qtbot: Any) -> None:
    ids = seed(ctx.db)
    records.update(ctx.db.uow(), "city", ids["city"], {"latitude": "51.759445",
                                                         "population": "780000"})
    dialog = open_record_dialog(ctx, "city", ids["city"])
    qtbot.addWidget(dialog)
    assert dialog.editors["latitude"].value() == "51.759445"
    enter(qtbot, dialog, "region", "Małopolska")
    click_save(qtbot, dialog)
    assert records.get(ctx.db.uow(), "city", ids["city"]).values["latitude"] == 51.759445


def test_undo_never_overwrites_a_later_edit_made_elsewhere(
        ctx: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a shared database a colleague may change the record after my edit: undoing mine
    would silently throw theirs away, so the undo is explained and dropped instead."""
    ids = seed(ctx.db)
    dialog = open_record_dialog(ctx, "partnership", ids["partnership"])
    qtbot.addWidget(dialog)
    enter(qtbot, dialog, "title", "Nürnberg–Kraków (renewed)")
    click_save(qtbot, dialog)
    records.update(ctx.db.uow(), "partnership", ids["partnership"], {"aims": "Youth"})
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    ctx.undo.undo()
    saved = records.get(ctx.db.uow(), "partnership", ids["partnership"]).values
    assert (saved["title"], saved["aims"]) == ("Nürnberg–Kraków (renewed)", "Youth")
    assert warnings and "cannot be undone" in warnings[0] and "changed elsewhere" in warnings[0]


def test_edit_of_record_changed_elsewhere_is_not_saved_over(ctx: AppContext,
                                                           qtbot: Any) -> None:
    """Both changed the region: nothing is saved until the user chooses (the conflict
    dialog, tests/ui/test_conflict_dialog.py)."""
    ids = seed(ctx.db)
    dialog = open_record_dialog(ctx, "city", ids["city"])
    qtbot.addWidget(dialog)
    records.update(ctx.db.uow(), "city", ids["city"], {"region": "Lesser Poland"})
    enter(qtbot, dialog, "region", "Małopolska")
    click_save(qtbot, dialog)
    assert dialog.saved is None and dialog.conflict_dialog is not None
    assert records.get(ctx.db.uow(), "city", ids["city"]).values["region"] == "Lesser Poland"


def test_duplicate_city_asks_and_can_be_declined_or_confirmed(
        ctx: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(ctx.db)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answers.pop(0))
    dialog = RecordDialog(ctx, "city")
    qtbot.addWidget(dialog)
    enter(qtbot, dialog, "name", "Kraków")
    enter(qtbot, dialog, "country", "PL")
    click_save(qtbot, dialog)
    assert dialog.saved is None
    assert "already exists" in dialog.error_labels["name"].text()
    click_save(qtbot, dialog)
    assert dialog.saved is not None
    assert records.count(ctx.db.uow(), "city", ListQuery(search="krakow")) == 2


def test_reference_type_ahead_picks_a_record(ctx: AppContext, qtbot: Any) -> None:
    ids = seed(ctx.db)
    dialog = RecordDialog(ctx, "contact")
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.editors["city_id"]
    assert isinstance(editor, RefEditor)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "krak")
    qtbot.waitUntil(lambda: "Kraków (PL)" in editor._model.stringList())
    editor.edit.completer().activated[str].emit("Kraków (PL)")
    assert editor.value() == ids["city"]
    editor.edit.setText("Nowhere")
    enter(qtbot, dialog, "full_name", "Jan Kowalski")
    click_save(qtbot, dialog)
    assert "does not exist" in dialog.error_labels["city_id"].text()


def test_local_check_marks_a_field_while_typing(ctx: AppContext, qtbot: Any) -> None:
    dialog = RecordDialog(ctx, "contact")
    qtbot.addWidget(dialog)
    dialog.show()
    enter(qtbot, dialog, "email", "anna@")
    qtbot.waitUntil(lambda: dialog.error_labels["email"].isVisible())
    enter(qtbot, dialog, "email", "anna@krakow.pl")
    qtbot.waitUntil(lambda: not dialog.error_labels["email"].isVisible())


def test_city_dialog_gazetteer_fills_the_form(ctx: AppContext, qtbot: Any,
                                              gazetteer_cache: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(gazetteer_cache))
    dialog = open_record_dialog(ctx, "city")
    assert isinstance(dialog, CityDialog)
    qtbot.addWidget(dialog)
    assert dialog.finder.isEnabled()
    offered = dialog.search_now("Krakow")
    assert offered and offered[0].startswith("Kraków")
    dialog.pick(offered[0])
    values = dialog.values()
    assert values["name"] == "Kraków"
    assert values["country"] == "PL"
    assert values["timezone"] == "Europe/Warsaw"
    assert int(values["geonames_id"]) == 3094802
    assert 49 < float(values["latitude"]) < 51
    cologne = dialog.search_now("Cologne")
    assert cologne and cologne[0].startswith("Köln")
    dialog.pick(cologne[0])
    click_save(qtbot, dialog)
    assert dialog.saved is not None
    assert dialog.saved.values["country"] == "DE"


def test_cancel_with_typed_changes_asks_before_discarding(
        ctx: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(_p: object, _t: str, text: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = RecordDialog(ctx, "programme")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # nothing typed: closes without asking
    assert not asked and not dialog.isVisible()
    dialog = RecordDialog(ctx, "programme")
    qtbot.addWidget(dialog)
    dialog.show()
    enter(qtbot, dialog, "name", "Covenant of Mayors")
    dialog.reject()
    assert dialog.isVisible() and dialog.values()["name"] == "Covenant of Mayors"
    dialog.reject()
    assert not dialog.isVisible() and len(asked) == 2
    assert records.count(ctx.db.uow(), "programme", ListQuery()) == 0
