"""The right-hand pane of a page: the selected record's key facts and its related records.

Sections of child records (member cities, goals, signatories, …) have Add / Edit / Remove
buttons, so every kind of record can be managed where it belongs.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import RecordData, RelatedSection
from citypartner_desktop.domain.specs import CONTACT_DATA_PROTECTION, FieldKind, spec_for
from citypartner_desktop.domain.vocab import CRITERIA
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.rows_model import RowsModel
from citypartner_desktop.ui.table_model import ID_ROLE

ROW_HEIGHT = 22


class SectionBox(QGroupBox):
    """One related list with its buttons."""

    add_requested = Signal(str, str)  # kind, parent field
    edit_requested = Signal(str, str)  # kind, id
    remove_requested = Signal(str, str)  # kind, id

    def __init__(self, section: RelatedSection, parent: QWidget | None = None) -> None:
        shown = len(section.rows)
        title = QCoreApplication.translate("sections", section.title)
        more = f" – {shown} of {section.total}" if section.total > shown else f" ({shown})"
        super().__init__(title + more, parent)
        self.section = section
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        self.table = QTableView(self)
        self.table.setAccessibleName(title)
        self.table.setModel(RowsModel(section, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.horizontalHeader().setStretchLastSection(True)
        # At most a few hundred rows: sizing to contents is cheap here (never on big tables).
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            header.resizeSection(column, min(header.sectionSize(column), 240))
        visible = min(max(shown, 1), 8)
        scrollbar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(ROW_HEIGHT * (visible + 1) + scrollbar + 6)
        self.table.doubleClicked.connect(self._edit_index)
        layout.addWidget(self.table)
        if section.parent_field:
            buttons = QHBoxLayout()
            label = spec_for(section.kind).label.lower()
            files = section.kind == "attachment"  # files are picked, not typed in a form
            add_text = self.tr("Attach file…") if files else self.tr("Add {0}…").format(label)
            for text, slot in (
                (add_text, self._add),
                (self.tr("Save as…") if files else self.tr("Edit…"), self._edit),
                (self.tr("Remove"), self._remove),
            ):
                button = QPushButton(text, self)
                button.setAccessibleName(f"{text} ({title})")
                button.clicked.connect(slot)
                buttons.addWidget(button)
            buttons.addStretch(1)
            layout.addLayout(buttons)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        value = index.data(ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    def _add(self) -> None:
        assert self.section.parent_field is not None
        self.add_requested.emit(self.section.kind, self.section.parent_field)

    def _edit(self) -> None:
        record_id = self.selected_id()
        if record_id:
            self.edit_requested.emit(self.section.kind, record_id)

    def _edit_index(self, index: QModelIndex) -> None:
        record_id = index.data(ID_ROLE)
        if record_id:
            self.edit_requested.emit(self.section.kind, str(record_id))

    def _remove(self) -> None:
        record_id = self.selected_id()
        if record_id:
            self.remove_requested.emit(self.section.kind, record_id)


class DetailPane(QScrollArea):
    add_requested = Signal(str, str, str)  # child kind, parent field, parent id
    edit_requested = Signal(str, str)
    remove_requested = Signal(str, str)

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.record_id: str | None = None
        self.sections: list[SectionBox] = []
        self.extras: list[QWidget] = []  # boxes of one kind of record (a partnership's trend)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Details"))
        self._body = QWidget(self)
        self._layout = QVBoxLayout(self._body)
        # Grow the body to fit its sections (the scroll area scrolls) instead of squeezing them.
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)
        self.summary = QLabel(self._body)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName(self.tr("Summary"))
        self._layout.addWidget(self.summary)
        self._layout.addStretch(1)
        self.setWidget(self._body)
        self.show_record(None)

    def show_record(self, record_id: str | None) -> None:
        self.record_id = record_id
        for box in [*self.sections, *self.extras]:
            box.setParent(None)
            box.deleteLater()
        self.sections, self.extras = [], []
        if record_id is None:
            self.summary.setText(f"<i>{escape(self.tr('Select a row to see its details.'))}</i>")
            return
        from citypartner_desktop.services import records, related  # after the first paint

        try:
            data = records.get(self.ctx.db.uow(), self.kind, record_id, include_deleted=True)
            sections = related.related(self.ctx.db.uow(), self.kind, record_id)
        except CityPartnerError as exc:
            self.summary.setText(escape(str(exc)))
            return
        self.summary.setText(summary_html(data))
        if self.kind == "partnership":
            self._add_trend(record_id)
        for section in sections:
            box = SectionBox(section, self._body)
            box.add_requested.connect(
                lambda kind, field: self.add_requested.emit(kind, field, self.record_id or "")
            )
            box.edit_requested.connect(self.edit_requested)
            box.remove_requested.connect(self.remove_requested)
            if data.is_deleted:
                box.setEnabled(False)
            self._layout.insertWidget(self._layout.count() - 1, box)
            self.sections.append(box)

    def refresh(self) -> None:
        self.show_record(self.record_id)

    def _add_trend(self, partnership_id: str) -> None:
        """The score trend and KPI progress, under the summary (two small queries)."""
        from citypartner_desktop.services.evaluations import trend
        from citypartner_desktop.ui.trend_box import TrendBox

        try:
            box = TrendBox(trend(self.ctx.db.uow(), partnership_id), self._body)
        except CityPartnerError:
            return
        self._layout.insertWidget(1, box)
        self.extras.append(box)


def summary_html(data: RecordData) -> str:
    """Key facts as a small two-column table (HTML, escaped). A contact's data-protection
    facts follow under their own heading, always shown: a missing legal basis is a fact too."""
    spec = spec_for(data.kind)
    title = data.labels.get(spec.title_field) or data.values.get(spec.title_field) or ""
    rows: list[str] = []
    muted = colours.css(colours.muted_text())
    grouped = CONTACT_DATA_PROTECTION if data.kind == "contact" else ()
    for field in spec.fields:
        if field.name in grouped or not field.shown:
            continue
        value = data.values.get(field.name)
        if field.kind is FieldKind.SCORES:
            text = ", ".join(
                f"{label} {value[key][0]}"
                for key, label in CRITERIA
                if value and key in value and value[key][0]
            )
        elif field.kind is FieldKind.REF:
            text = data.labels.get(field.name, "")
        else:
            text = display(field, value)
        if text and field.name != spec.title_field:
            label = QCoreApplication.translate("fields", field.label)
            body = escape(text).replace("\n", "<br>")
            rows.append(
                f"<tr><td style='color:{muted};padding-right:8px'>{escape(label)}</td>"
                f"<td>{body}</td></tr>"
            )
    if grouped:
        rows.append(_data_protection_rows(data, grouped, muted))
    deleted = (f" <span style='color:{colours.css(colours.deleted_text())}'>(deleted)</span>"
               if data.is_deleted else "")
    return f"<h3>{escape(str(title))}{deleted}</h3><table>{''.join(rows)}</table>"


def _data_protection_rows(data: RecordData, names: tuple[str, ...], muted: str) -> str:
    """The "Data protection" heading and its facts: the legal basis always (“not recorded”
    when there is none), the others when given."""
    spec = spec_for(data.kind)
    heading = QCoreApplication.translate("sections", "Data protection")
    rows = [f"<tr><td colspan='2' style='padding-top:8px'><b>{escape(heading)}</b></td></tr>"]
    for name in names:
        field = spec.field(name)
        text = display(field, data.values.get(name))
        if not text and name == "legal_basis":
            text = QCoreApplication.translate("fields", "not recorded")
            body = f"<i style='color:{colours.css(colours.late_text())}'>{escape(text)}</i>"
        elif not text:
            continue
        else:
            body = escape(text)
        label = QCoreApplication.translate("fields", field.label)
        rows.append(f"<tr><td style='color:{muted};padding-right:8px'>{escape(label)}</td>"
                    f"<td>{body}</td></tr>")
    return "".join(rows)
