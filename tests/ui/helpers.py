"""Typing into dialogs the way a user does, and the records a dialog needs to refer to."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from citypartner_desktop.db.database import Database
from citypartner_desktop.services import records
from citypartner_desktop.ui.dialogs.field_editors import (
    BoolEditor,
    ChoiceEditor,
    LineEditor,
    MultiChoiceEditor,
    RefEditor,
    ScoresEditor,
    TextEditor,
)
from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest.keyClicks knows ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


def enter(qtbot: Any, dialog: RecordDialog, field: str, value: Any) -> None:
    editor = dialog.editors[field]
    if isinstance(editor, RefEditor):
        editor.set_value(value, records.label(dialog.ctx.db.uow(), editor.spec.ref or "", value))
    elif isinstance(editor, LineEditor | TextEditor):  # LineEditor covers dates too
        editor.edit.clear()
        type_text(editor.edit, str(value))
    elif isinstance(editor, ChoiceEditor):
        editor.combo.setCurrentIndex(editor.combo.findData(value))
    elif isinstance(editor, BoolEditor):
        editor.box.setChecked(bool(value))
    elif isinstance(editor, MultiChoiceEditor):
        for key in value:
            editor.boxes[key].setChecked(True)
    elif isinstance(editor, ScoresEditor):
        for key, (score, why) in value.items():
            spin, rationale = editor.rows[key]
            spin.setValue(score)
            type_text(rationale, why)
    else:  # pragma: no cover - a new editor type needs a line here
        raise TypeError(type(editor))


def click_save(qtbot: Any, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def seed(db: Database) -> dict[str, str]:
    """One record of each kind other records point at."""
    uow = db.uow
    city = records.create(uow(), "city", {"name": "Kraków", "country": "PL"}).id
    home = records.create(uow(), "city", {"name": "Nürnberg", "country": "DE",
                                          "is_home": True}).id
    contact = records.create(uow(), "contact", {"full_name": "Anna Nowak", "city_id": city}).id
    programme = records.create(uow(), "programme", {"name": "URBACT", "kind": "network"}).id
    partnership = records.create(uow(), "partnership", {
        "title": "Nürnberg–Kraków", "kind": "twinning", "status": "active"}).id
    agreement = records.create(uow(), "agreement", {
        "partnership_id": partnership, "kind": "charter", "title": "Twinning charter",
        "status": "in_force"}).id
    activity = records.create(uow(), "activity", {
        "partnership_id": partnership, "kind": "visit", "title": "Mayor's visit",
        "start_date": "2025-05-04"}).id
    evaluation = records.create(uow(), "evaluation", {
        "partnership_id": partnership, "period": "2024", "evaluated_on": "2025-01-15",
        "kind": "annual"}).id
    goal = records.create(uow(), "goal", {
        "partnership_id": partnership, "title": "Student exchanges", "status": "open"}).id
    return {"city": city, "home": home, "contact": contact, "programme": programme,
            "partnership": partnership, "agreement": agreement, "activity": activity,
            "evaluation": evaluation, "goal": goal}


def valid_input(kind: str, ids: dict[str, str]) -> dict[str, Any]:
    """What a user types to create a record of ``kind`` (unique per kind)."""
    p = ids["partnership"]
    return {
        "city": {"name": "Αθήνα", "country": "Greece", "population": "664 046",
                 "latitude": "37.98", "longitude": "23.73", "timezone": "Europe/Athens",
                 "native_name": "Αθήνα"},
        "contact": {"full_name": "Олена Шевченко", "city_id": ids["city"],
                    "email": "olena@example.org", "phone": "12 616 12 00",
                    "legal_basis": "public_task", "review_date": "2027-01-31"},
        "programme": {"name": "Eurocities", "kind": "network", "website": "eurocities.eu"},
        "partnership": {"title": "Nürnberg–京都市", "kind": "friendship", "status": "proposed",
                        "themes": ("culture", "youth"), "start_date": "2026-01-01",
                        "programme_id": ids["programme"]},
        "membership": {"partnership_id": p, "city_id": ids["city"], "role": "partner",
                       "joined_on": "1999-06-01"},
        "coordinator": {"partnership_id": p, "contact_id": ids["contact"],
                        "responsibility": "Culture desk"},
        "goal": {"partnership_id": p, "title": "Joint festival", "status": "on_track",
                 "baseline": "0", "target": "3"},
        "agreement": {"partnership_id": p, "kind": "memorandum", "title": "MoU on youth",
                      "status": "signed", "signed_on": "2025-03-01", "expires_on": "2030-03-01",
                      "notice_period_months": "6"},
        "signatory": {"agreement_id": ids["agreement"], "contact_id": ids["contact"],
                      "signed_as": "Mayor"},
        "responsibility": {"agreement_id": ids["agreement"], "city_id": ids["city"],
                           "description": "Hosts the summer camp"},
        "activity": {"partnership_id": p, "kind": "meeting", "title": "Steering group",
                     "start_date": "2026-02-10", "participant_count": "12", "cost": "1250,50"},
        "participant": {"activity_id": ids["activity"], "contact_id": ids["contact"],
                        "role": "Speaker"},
        "action": {"partnership_id": p, "title": "Send minutes", "owner": "M. Weber",
                   "due_date": "2026-03-01", "activity_id": ids["activity"]},
        "evaluation": {"partnership_id": p, "period": "2025", "evaluated_on": "2026-01-20",
                       "kind": "annual", "recommendation": "continue",
                       "scores": {"relevance": (4, "Shared priorities"), "impact": (3, "Early")}},
        "health_check": {"evaluation_id": ids["evaluation"], "side": "partner",
                         "aspect": "trust", "rating": "green"},
        "kpi_measurement": {"evaluation_id": ids["evaluation"], "goal_id": ids["goal"],
                            "actual": "2", "measured_on": "2025-12-31"},
    }[kind]


# For each kind: a field, what a user might wrongly type there, and what the message says.
BAD_INPUT: dict[str, tuple[str, str, str]] = {
    "city": ("latitude", "123", "at most 90"),
    "contact": ("email", "bob@", "not an e-mail address"),
    "programme": ("website", "not a site", "not a web address"),
    "partnership": ("end_date", "2025-12-31", "before start date"),
    "membership": ("joined_on", "31/12/2020", "not a date"),
    "coordinator": ("responsibility", "x" * 201, "at most 200"),
    "goal": ("target", "lots", "not a number"),
    "agreement": ("notice_period_months", "-1", "at least 0"),
    "signatory": ("signed_as", "x" * 201, "at most 200"),
    "responsibility": ("description", " ", "is required"),
    "activity": ("participant_count", "a dozen", "not a whole number"),
    "participant": ("role", "x" * 201, "at most 200"),
    "action": ("due_date", "tomorrow", "not a date"),
    "evaluation": ("evaluated_on", "2025-13-01", "not a date"),
    "health_check": ("note", "x" * 5001, "at most 5000"),
    "kpi_measurement": ("actual", "n/a", "not a number"),
}
