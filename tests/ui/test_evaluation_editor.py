"""The evaluation editor driven like a user: typed in, saved, reopened, compared; bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import evaluations, records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
from citypartner_desktop.ui.dialogs.evaluation_compare import CompareDialog
from citypartner_desktop.ui.dialogs.evaluation_editor import EvaluationEditor
from tests.services.monitoring_data import Office, build
from tests.ui.helpers import enter, type_text


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx.db)


def _editor(ctx: AppContext, qtbot: Any, **kwargs: Any) -> EvaluationEditor:
    dialog = open_record_dialog(ctx, "evaluation", **kwargs)
    assert isinstance(dialog, EvaluationEditor)  # not the generic record dialog
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(qtbot: Any, dialog: EvaluationEditor, office: Office) -> None:
    enter(qtbot, dialog, "period", "2026")  # type: ignore[arg-type]
    enter(qtbot, dialog, "evaluated_on", "2026-11-20")  # type: ignore[arg-type]
    enter(qtbot, dialog, "recommendation", "renew")  # type: ignore[arg-type]
    enter(qtbot, dialog, "evaluator", "Anna Nowak")  # type: ignore[arg-type]
    spin, rationale = dialog.scores.rows["relevance"]
    spin.setValue(5)
    type_text(rationale, "Core of the link")
    dialog.scores.rows["impact"][0].setValue(3)
    combo, note = dialog.health[("partner", "resources")]
    combo.setCurrentIndex(combo.findData("red"))
    type_text(note, "No budget")
    dialog.health[("ours", "trust")][0].setCurrentIndex(
        dialog.health[("ours", "trust")][0].findData("green"))
    actual, progress, _kpi_note = dialog.kpi_edits[office.goal]
    type_text(actual, "40")
    assert progress.text() == "75 %"  # (40 − 10) / (50 − 10), shown as it is typed
    row = dialog.add_action_row()
    for column, text in enumerate(("Draft the renewal", "Anna", "2026-12-15")):
        dialog.actions_table.item(row, column).setText(text)


def test_fill_in_save_and_reopen(ctx: AppContext, qtbot: Any, office: Office) -> None:
    dialog = _editor(ctx, qtbot, preset={"partnership_id": office.busy},
                     lock_fields=("partnership_id",))
    assert dialog.kpi_table.rowCount() == 1  # the partnership's goal, ready to measure
    _fill(qtbot, dialog, office)
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None, dialog.banner.text()
    again = _editor(ctx, qtbot, record_id=dialog.saved.id)
    assert again.editors["period"].value() == "2026"
    assert again.editors["recommendation"].value() == "renew"
    assert again.scores.rows["relevance"][0].value() == 5
    assert again.scores.rows["relevance"][1].text() == "Core of the link"
    assert again.health[("partner", "resources")][0].currentData() == "red"
    assert again.health[("partner", "resources")][1].text() == "No budget"
    assert again.kpi_edits[office.goal][0].text() == "40"
    assert again.kpi_edits[office.goal][1].text() == "75 %"
    assert again.actions_table.item(0, 0).text() == "Draft the renewal"
    assert again.actions_table.item(0, 2).text() == "2026-12-15"
    # the action item is an action of the partnership, from this evaluation
    [action] = records.list_page(ctx.db.uow(), "action", ListQuery(
        filters=(("evaluation_id", dialog.saved.id),), columns=("title", "due_date")))
    assert action.values[0] == "Draft the renewal"
    # Edit ▸ Undo takes back the new evaluation with its actions; Redo brings them back
    evaluations_now = records.count(ctx.db.uow(), "evaluation", ListQuery())
    actions_now = records.count(ctx.db.uow(), "action", ListQuery())
    ctx.undo.undo()
    assert records.count(ctx.db.uow(), "evaluation", ListQuery()) == evaluations_now - 1
    assert records.count(ctx.db.uow(), "action", ListQuery()) == actions_now - 1
    ctx.undo.redo()
    assert records.count(ctx.db.uow(), "action", ListQuery()) == actions_now


def test_bad_input_is_named_and_nothing_saved(ctx: AppContext, qtbot: Any,
                                              office: Office) -> None:
    before = records.count(ctx.db.uow(), "evaluation", ListQuery())
    actions_before = records.count(ctx.db.uow(), "action", ListQuery())
    dialog = _editor(ctx, qtbot, preset={"partnership_id": office.busy})
    _fill(qtbot, dialog, office)
    dialog.editors["period"].edit.clear()  # type: ignore[attr-defined]
    dialog.actions_table.item(0, 2).setText("15.12.2026")
    type_text(dialog.kpi_edits[office.goal][0], "x")  # "40x"
    assert dialog.kpi_edits[office.goal][1].text() == "not a number"
    with qtbot.assertNotEmitted(ctx.bus.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is None and dialog.isVisible()
    text = dialog.banner.text()  # every problem at once, in words
    assert "Period: is required" in text
    assert "Action item 1: due date \"15.12.2026\" is not a date" in text
    assert "“Pupils in exchanges”" in text and "not a number" in text
    assert dialog.tabs.currentIndex() == 0  # the first tab concerned
    assert dialog.actions_table.item(0, 0).text() == "Draft the renewal"  # typed text stays
    assert records.count(ctx.db.uow(), "evaluation", ListQuery()) == before
    assert records.count(ctx.db.uow(), "action", ListQuery()) == actions_before
    # corrected, it saves
    dialog.actions_table.item(0, 2).setText("2026-12-15")
    dialog.kpi_edits[office.goal][0].setText("40")
    type_text(dialog.editors["period"].edit, "2026")  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None, dialog.banner.text()


def test_compare_with_the_previous_evaluation(ctx: AppContext, qtbot: Any, office: Office,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = evaluations.load(ctx.db.uow(), office.evaluation)
    form = loaded.form
    form.evaluated_on, form.period = date(2026, 11, 20), "2026"
    form.scores = {"relevance": (3, ""), "impact": (4, "")}
    form.health = {}
    new_id = evaluations.save(ctx.db.uow(), form)
    dialog = _editor(ctx, qtbot, record_id=new_id)
    assert dialog.compare_button.isEnabled()
    from citypartner_desktop.ui.dialogs import evaluation_compare

    offered: list[list[str]] = []

    def pick(_parent: Any, _title: str, _label: str, items: list[str], current: int,
             _editable: bool) -> tuple[str, bool]:
        offered.append(items)
        return items[current], True

    monkeypatch.setattr(evaluation_compare.QInputDialog, "getItem", pick)
    dialog.compare_button.click()
    assert offered == [["2025-10-15 – 2025"]]
    [compare] = [w for w in dialog.findChildren(CompareDialog)]
    qtbot.addWidget(compare)
    assert compare.isVisible() and not compare.isModal()
    rows = {compare.tables["scores"].item(r, 0).text(): r
            for r in range(compare.tables["scores"].rowCount())}
    assert compare.change_text("scores", rows["Relevance"]) == "▼ worse"  # 4 → 3
    assert compare.change_text("scores", rows["Impact"]) == "▲ better"  # 2 → 4


def test_an_evaluation_opens_in_the_editor_from_its_page(ctx: AppContext, qtbot: Any,
                                                         office: Office,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.ui.main_window import MainWindow

    opened: list[EvaluationEditor] = []
    monkeypatch.setattr(EvaluationEditor, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_page("evaluation")
    page = window.current_page
    page.select_record(office.evaluation)
    page.table.activated.emit(page.table.currentIndex())  # double-click
    [editor] = opened
    assert editor.evaluation_id == office.evaluation
    assert editor.scores.rows["relevance"][0].value() == 4


def test_the_partnership_page_shows_score_trend_and_kpi_progress(ctx: AppContext, qtbot: Any,
                                                                 office: Office) -> None:
    from citypartner_desktop.ui.main_window import MainWindow
    from citypartner_desktop.ui.trend_box import TrendBox

    loaded = evaluations.load(ctx.db.uow(), office.evaluation)
    form = loaded.form
    form.evaluated_on, form.period = date(2026, 11, 20), "2026"
    form.scores = {"relevance": (5, ""), "impact": (5, "")}
    form.kpis = {office.goal: ("40", "")}
    evaluations.save(ctx.db.uow(), form)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_page("partnership")
    assert window.current_page.select_record(office.busy)
    [trend] = window.current_page.detail.findChildren(TrendBox)
    assert "2025: <b>3.0</b>" in trend.scores.text() and "2026: <b>5.0</b>" in trend.scores.text()
    assert "▲" in trend.scores.text()
    bar = trend.bars[office.goal]
    assert bar.value() == 75 and "40 of 50 pupils (75 %)" in bar.accessibleName()


def test_typed_changes_are_not_dropped_without_asking(ctx: AppContext, qtbot: Any,
                                                      office: Office,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    dialog = _editor(ctx, qtbot, record_id=office.evaluation)
    dialog.reject()  # nothing typed: closes at once
    assert not dialog.isVisible()
    dialog = _editor(ctx, qtbot, record_id=office.evaluation)
    type_text(dialog.scores.rows["impact"][1], " and growing")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a: QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert dialog.isVisible()  # kept, with what was typed
    assert dialog.scores.rows["impact"][1].text().endswith("and growing")
