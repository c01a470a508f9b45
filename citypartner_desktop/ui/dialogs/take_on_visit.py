"""File ▸ Take on a visit…: which partnerships go onto the laptop (or everything), with or
without attachments, with the contacts' e-mail, phone and notes or without them (minimal
contacts), encrypted with a passphrase or not — and a warning, kept current, while personal
data would travel unencrypted. The pack itself is written by the caller, in the background."""

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
from citypartner_desktop.ui import colours


class TakeOnVisitDialog(QDialog):
    def __init__(self, partnerships: list[tuple[str, str]], chosen: set[str],
                 parent: QWidget | None = None, *, holds_contacts: bool = True) -> None:
        """``holds_contacts``: whether the office has contacts (a pack takes those of its
        cities): then an unencrypted pack is warned about."""
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
        self.minimal_contacts = QCheckBox(
            self.tr("Leave out contacts' e-mail, phone and &notes"), self)
        self.minimal_contacts.setToolTip(self.tr(
            "Names, positions, organisations and cities go along; e-mail, phone, notes, "
            "languages, the source of the data, the consent and review dates and the contacts' "
            "own attachments stay in the office. Merging the pack back keeps the office's "
            "values."))
        self.minimal_contacts.toggled.connect(lambda _on: self._update())
        layout.addWidget(self.minimal_contacts)
        self.holds_contacts = holds_contacts
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
        self.privacy_warning = QLabel(self)
        self.privacy_warning.setObjectName("takeOnVisitPrivacyWarning")
        self.privacy_warning.setWordWrap(True)
        self.privacy_warning.setAccessibleName(self.tr("Personal data warning"))
        self.privacy_warning.setStyleSheet(f"color: {colours.css(colours.soon_text())};")
        layout.addWidget(self.privacy_warning)
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
        self._warn()
        self.save_button.setEnabled(chosen and matching)

    def _warn(self) -> None:
        """Personal data unencrypted on a laptop that leaves the office: suggest a passphrase
        (the names go even with minimal contacts)."""
        if self.minimal_contacts.isChecked():
            text = self.tr("The contacts' names, positions and organisations are personal "
                           "data: enter a passphrase to encrypt the pack, so that a lost "
                           "laptop leaks nothing.")
        else:
            text = self.tr("The pack holds personal data of contacts (e-mail, phone, notes) "
                           "and is not encrypted: enter a passphrase, or at least leave out "
                           "their e-mail, phone and notes.")
        self.privacy_warning.setText("⚠ " + text)
        self.privacy_warning.setVisible(self.holds_contacts and not self.passphrase.text())

    def secret(self) -> str | None:
        """The passphrase to encrypt the pack with; None: not encrypted."""
        return self.passphrase.text() or None

    def scope(self) -> Scope:
        return Scope(partnerships=() if self.everything.isChecked() else tuple(self.chosen_ids()),
                     everything=self.everything.isChecked(),
                     attachments=self.attachments.isChecked(),
                     minimal_contacts=self.minimal_contacts.isChecked())

    def title(self) -> str:
        """A file name's part: the one partnership's title, or how many."""
        if self.everything.isChecked():
            return "all"
        ids = set(self.chosen_ids())
        names = [self.list.item(r).text() for r in range(self.list.count())
                 if self.list.item(r).data(Qt.ItemDataRole.UserRole) in ids]
        return names[0] if len(names) == 1 else f"{len(names)} partnerships"
