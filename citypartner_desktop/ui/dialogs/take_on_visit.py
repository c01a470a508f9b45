"""File ▸ Take on a visit…: which partnerships go onto the laptop (or everything), with or
without attachments, encrypted with a passphrase or not. The pack itself is written by the
caller, in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.services.visit_packs.scope import Scope


class TakeOnVisitDialog(QDialog):
    def __init__(self, partnerships: list[tuple[str, str]], chosen: set[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takeOnVisitDialog")
        self.setWindowTitle(self.tr("Take on a visit"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "A visit pack holds the chosen partnerships with what you need around them: member "
            "cities and their contacts, agreements, goals, recent activities, open actions and "
            "evaluations. Open it on the laptop like any database, work offline, and merge it "
            "back when you are home (File ▸ Merge visit pack…)."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter partnerships"))
        self.filter.setAccessibleName(self.tr("Filter partnerships"))
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Partnerships to take"))
        for record_id, title in partnerships:
            item = QListWidgetItem(title, self.list)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if record_id in chosen
                               else Qt.CheckState.Unchecked)
        self.list.itemChanged.connect(lambda _item: self._update())
        layout.addWidget(self.list, 1)
        self.everything = QCheckBox(self.tr("&Everything (the whole database)"), self)
        self.everything.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.everything)
        self.attachments = QCheckBox(self.tr("Take &attachments (photos, scans)"), self)
        self.attachments.setChecked(True)
        layout.addWidget(self.attachments)
        secret = QFormLayout()
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("recommended: a lost laptop then leaks "
                                                   "nothing"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Passphrase again"))
        for edit in (self.passphrase, self.repeat):
            edit.textChanged.connect(lambda _t: self._update())
        secret.addRow(self.tr("Encrypt with &passphrase:"), self.passphrase)
        secret.addRow(self.tr("&Again:"), self.repeat)
        layout.addLayout(secret)
        self.hint = QLabel(self)
        self.hint.setAccessibleName(self.tr("Why the pack cannot be saved yet"))
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(self.tr("&Save pack…"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 560)
        self._update()

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def chosen_ids(self) -> list[str]:
        return [str(self.list.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        everything = self.everything.isChecked()
        self.list.setEnabled(not everything)
        self.filter.setEnabled(not everything)
        chosen = everything or bool(self.chosen_ids())
        matching = self.passphrase.text() == self.repeat.text()
        self.hint.setText("" if matching else self.tr("The two passphrases differ."))
        self.save_button.setEnabled(chosen and matching)

    def secret(self) -> str | None:
        """The passphrase to encrypt the pack with; None: not encrypted."""
        return self.passphrase.text() or None

    def scope(self) -> Scope:
        return Scope(partnerships=() if self.everything.isChecked() else tuple(self.chosen_ids()),
                     everything=self.everything.isChecked(),
                     attachments=self.attachments.isChecked())

    def title(self) -> str:
        """A file name's part: the one partnership's title, or how many."""
        if self.everything.isChecked():
            return "all"
        ids = set(self.chosen_ids())
        names = [self.list.item(r).text() for r in range(self.list.count())
                 if self.list.item(r).data(Qt.ItemDataRole.UserRole) in ids]
        return names[0] if len(names) == 1 else f"{len(names)} partnerships"
