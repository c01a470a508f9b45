"""The evaluation editor when a colleague saved the evaluation meanwhile: it says so at once,
and its save takes what only they changed and asks, part by part, what both changed — the
same conflict dialog as any record. The colleague is a second unit of work with another name."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from citypartner_desktop.db.uow import Actor
from citypartner_desktop.services import evaluations
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
from citypartner_desktop.ui.dialogs.conflict_dialog import ConflictDialog
from citypartner_desktop.ui.dialogs.evaluation_editor import EvaluationEditor
from tests.services.monitoring_data import build
from tests.services.test_evaluations import _form

COLLEAGUE = Actor(user="anna@office-pc", installation_id="00000000-0000-4000-8000-000000000002")


@pytest.fixture
def evaluation(ctx: AppContext) -> tuple[str, str]:
    office = build(ctx.db)
    return evaluations.save(ctx.db.uow(), _form(office.busy, office.goal)), office.goal


def _colleague_saves(ctx: AppContext, evaluation_id: str, **change: object) -> None:
    colleague = dataclasses.replace(ctx.db, actor=COLLEAGUE)
    loaded = evaluations.load(colleague.uow(), evaluation_id)
    form = copy.deepcopy(loaded.form)
    for name, value in change.items():
        setattr(form, name, value)
    evaluations.save(colleague.uow(), form, evaluation_id, loaded.version)
    ctx.notify("evaluation", [evaluation_id])  # what live updates deliver from the server


def _editor(ctx: AppContext, qtbot: Any, evaluation_id: str) -> EvaluationEditor:
    dialog = open_record_dialog(ctx, "evaluation", evaluation_id)
    assert isinstance(dialog, EvaluationEditor)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _rate(dialog: EvaluationEditor, side: str, aspect: str, rating: str, note: str) -> None:
    combo, edit = dialog.health[(side, aspect)]
    combo.setCurrentIndex(combo.findData(rating))
    edit.setText(note)


def test_both_changed_parts_are_asked_and_the_rest_merged(
        ctx: AppContext, qtbot: Any, evaluation: tuple[str, str]) -> None:
    evaluation_id, goal = evaluation
    dialog = _editor(ctx, qtbot, evaluation_id)
    loaded = evaluations.load(ctx.db.uow(), evaluation_id).form
    _colleague_saves(ctx, evaluation_id, lessons="Start in spring.",
                     health={**loaded.health, ("ours", "trust"): ("amber", "")},
                     kpis={goal: ("45", "one more school")})
    assert dialog.moved_note.isVisible() and COLLEAGUE.user in dialog.moved_note.text()

    _rate(dialog, "ours", "trust", "red", "no answers")
    dialog.editors["findings"].set_value("Youth exchange doubled. Camp in July.")
    with qtbot.assertNotEmitted(ctx.bus.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is None
    conflict = dialog.conflict_dialog
    assert isinstance(conflict, ConflictDialog) and conflict.isVisible()
    assert list(conflict.choice_boxes) == ["health.ours.trust"]
    assert COLLEAGUE.user in conflict.intro.text()
    assert "Lessons" in conflict.taken_note.text() and "KPI" in conflict.taken_note.text()

    conflict.choose("health.ours.trust", "theirs")
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(conflict.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.result() == QDialog.DialogCode.Accepted
    now = evaluations.load(ctx.db.uow(), evaluation_id).form
    assert now.findings.endswith("Camp in July.")  # mine
    assert now.lessons == "Start in spring."  # only theirs: taken
    assert now.kpis[goal] == (45.0, "one more school")
    assert now.health[("ours", "trust")] == ("amber", "")  # theirs, chosen


def test_cancel_keeps_everything_typed_and_saves_nothing(
        ctx: AppContext, qtbot: Any, evaluation: tuple[str, str]) -> None:
    evaluation_id, _goal = evaluation
    dialog = _editor(ctx, qtbot, evaluation_id)
    _colleague_saves(ctx, evaluation_id, period="2026 (autumn)")
    dialog.editors["period"].set_value("2026 (full year)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    conflict = dialog.conflict_dialog
    assert conflict is not None
    qtbot.mouseClick(conflict.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.editors["period"].value() == "2026 (full year)"
    assert evaluations.load(ctx.db.uow(), evaluation_id).form.period == "2026 (autumn)"


def test_their_changes_alone_are_taken_without_asking(
        ctx: AppContext, qtbot: Any, evaluation: tuple[str, str]) -> None:
    evaluation_id, _goal = evaluation
    dialog = _editor(ctx, qtbot, evaluation_id)
    _colleague_saves(ctx, evaluation_id, lessons="Start in spring.")
    _rate(dialog, "partner", "trust", "green", "")
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.conflict_dialog is None
    now = evaluations.load(ctx.db.uow(), evaluation_id).form
    assert now.lessons == "Start in spring."
    assert now.health[("partner", "trust")] == ("green", "")


def test_a_large_kpi_reads_back_exactly(ctx: AppContext, qtbot: Any,
                                        evaluation: tuple[str, str]) -> None:
    """Six digits ("%g") rounded 1234567.5 to 1234570 on the next save."""
    evaluation_id, goal = evaluation
    _colleague_saves(ctx, evaluation_id, kpis={goal: ("1234567.5", "")})
    dialog = _editor(ctx, qtbot, evaluation_id)
    assert dialog.kpi_edits[goal][0].text() == "1234567.5"
