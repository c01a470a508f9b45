"""The city dialog: the record form plus type-ahead over the offline world gazetteer.

Picking a place fills country, region, coordinates, population, time zone and GeoNames id.
The gazetteer index is built once in the background the first time it is needed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget

from citypartner_desktop.domain.places import Place, place_to_city_values
from citypartner_desktop.domain.validation import country_name
from citypartner_desktop.services import gazetteer
from citypartner_desktop.ui import colours, workers
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog


def place_label(place: Place) -> str:
    where = ", ".join(p for p in (place.region, country_name(place.country)) if p)
    alias = f" – “{place.matched_name}”" if place.matched_name != place.name else ""
    return f"{place.name}{alias} ({where}; {place.population:,} inh.)"


class CityDialog(RecordDialog):
    def __init__(
        self,
        ctx: AppContext,
        record_id: str | None = None,
        preset: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "city", record_id, preset, parent)
        self._places: dict[str, Place] = {}
        self._job: workers.Job | None = None
        row = QHBoxLayout()
        caption = QLabel(self.tr("Find in world gazetteer:"), self)
        self.finder = QLineEdit(self)
        self.finder.setAccessibleName(self.tr("Find in world gazetteer"))
        self.finder.setPlaceholderText(self.tr("Type a city name, e.g. Krakow or Cologne"))
        caption.setBuddy(self.finder)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self.finder)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        completer.activated[str].connect(self.pick)  # type: ignore[index]  # overloaded signal
        self.finder.setCompleter(completer)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._search)
        self.finder.textEdited.connect(lambda _t: self._timer.start())
        self.status = QLabel(self)
        self.status.setStyleSheet(f"color: {colours.css(colours.muted_text())};")
        row.addWidget(caption)
        row.addWidget(self.finder, 1)
        self.extra_area.addLayout(row)
        self.extra_area.addWidget(self.status)
        if gazetteer.is_ready():
            self.status.hide()
        else:
            self._prepare()
        if record_id is None:
            QTimer.singleShot(0, self.finder.setFocus)

    def _prepare(self) -> None:
        self.finder.setEnabled(False)
        self.status.setText(self.tr("Preparing the world gazetteer (only the first time)…"))
        self._job = workers.Job(lambda _p, _c: gazetteer.ensure_index())
        self._job.on_success(self._ready)
        self._job.on_failure(
            lambda exc, _tb: self.status.setText(self.tr("Gazetteer unavailable: {0}").format(exc))
        )
        self._job.start()

    def _ready(self, _result: object) -> None:
        self.finder.setEnabled(True)
        self.status.hide()

    def _search(self) -> None:
        text = self.finder.text()
        places = gazetteer.search(text, limit=15) if self.finder.isEnabled() else []
        self._places = {place_label(p): p for p in places}
        self._model.setStringList(list(self._places))
        if places and self.finder.hasFocus():
            self.finder.completer().complete()

    def search_now(self, text: str) -> list[str]:
        """Type ``text`` and return the offered places (used by keyboard users and tests)."""
        self.finder.setText(text)
        self._search()
        return list(self._places)

    def pick(self, label: str) -> None:
        place = self._places.get(label)
        if place is None:
            return
        values = place_to_city_values(place)
        for name, value in values.items():
            if name in self.editors:
                self.editors[name].set_value(value)
                self._mark(name, None)
        self.finder.clear()
        self.editors["native_name"].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)


def open_record_dialog(
    ctx: AppContext,
    kind: str,
    record_id: str | None = None,
    preset: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    lock_fields: tuple[str, ...] = (),
) -> RecordDialog:
    if kind == "city":
        return CityDialog(ctx, record_id, preset, parent)
    if kind == "evaluation":  # the whole evaluation: scores, health check, KPIs, actions
        from citypartner_desktop.ui.dialogs.evaluation_editor import EvaluationEditor

        return EvaluationEditor(ctx, record_id, preset, parent, lock_fields)  # type: ignore[return-value]
    return RecordDialog(ctx, kind, record_id, preset, parent, lock_fields)
