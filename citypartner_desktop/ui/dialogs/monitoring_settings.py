"""Monitoring settings: when a partnership counts as dormant, how far ahead to look, and after
how many years without activity a contact is a candidate for erasure. Stored in the database
(they belong to the office's data, not to one user's window)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError, ValidationError
from citypartner_desktop.services import monitoring, privacy_review
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext


class MonitoringSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Monitoring settings"))
        current = monitoring.load_settings(ctx.db.uow())
        form = QFormLayout(self)
        self.boxes: dict[str, QSpinBox] = {}
        for name, (label, low, high) in monitoring.SETTING_LIMITS.items():
            box = QSpinBox(self)
            box.setRange(low, high)
            box.setValue(getattr(current, name))
            box.setAccessibleName(self.tr(label))
            form.addRow(self.tr(label), box)
            self.boxes[name] = box
        years = self.inactive_years = QSpinBox(self)
        years.setRange(privacy_review.MIN_INACTIVE_YEARS, privacy_review.MAX_INACTIVE_YEARS)
        years.setValue(privacy_review.inactive_years(ctx.db.uow()))
        label = self.tr(privacy_review.INACTIVE_YEARS_LABEL)
        years.setAccessibleName(label)
        years.setToolTip(self.tr("Listed on the dashboard under Personal data: no activity, no "
                                 "live partnership to coordinate and no agreement in force "
                                 "for this many years."))
        form.addRow(label, years)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {colours.css(colours.error_text())}")
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        labels = {k: label for k, (label, _low, _high) in monitoring.SETTING_LIMITS.items()}
        labels["inactive_years"] = privacy_review.INACTIVE_YEARS_LABEL
        try:
            years = privacy_review.check_inactive_years(self.inactive_years.value())
            monitoring.save_settings(self.ctx.db.uow(),
                                     {n: b.value() for n, b in self.boxes.items()})
            privacy_review.set_inactive_years(self.ctx.db.uow(), years)
        except ValidationError as exc:
            self.error.setText("; ".join(f"{self.tr(labels[k])}: {v}" if k in labels else v
                                         for k, v in exc.errors.items()))
            self.error.show()
            return False
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        self.ctx.notify("settings")
        self.accept()
        return True
