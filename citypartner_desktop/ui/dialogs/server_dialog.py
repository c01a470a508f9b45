"""Connecting to an office server: the servers used before, the parts of an address, and the
password (kept in the system's keychain when asked to, never in the settings file)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.services import server_login
from citypartner_desktop.ui import colours


@dataclass(frozen=True)
class SignIn:
    address: str  # without the password
    password: str | None  # None: the keychain's, or none needed
    remember: bool  # keep the password in the keychain


class ServerDialog(QDialog):
    """Pick a server used before or type one in; ``sign_in`` holds the answer once accepted."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to office server"))
        self.sign_in: SignIn | None = None
        outer = QVBoxLayout(self)
        self.recent = QListWidget(self)
        self.recent.setAccessibleName(self.tr("Servers used before"))
        self.recent.addItems(recent)
        self.recent.setVisible(bool(recent))
        self.recent.setMaximumHeight(110)
        self.recent.currentTextChanged.connect(self._fill)
        if recent:
            outer.addWidget(QLabel(self.tr("Used before:"), self))
            outer.addWidget(self.recent)
        form = QFormLayout()
        self.host = QLineEdit(self)
        self.host.setPlaceholderText(self.tr("for example db.cityhall.local"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(server_login.DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setText("citypartner")
        self.user = QLineEdit(self)
        self.ssl = QComboBox(self)
        for mode, text in (("prefer", self.tr("Use if the server offers it")),
                           ("require", self.tr("Required")),
                           ("verify-full", self.tr("Required, with the server's certificate "
                                                   "checked")),
                           ("disable", self.tr("Off (only on a trusted network)"))):
            self.ssl.addItem(text, mode)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("from the keychain, or asked for when needed"))
        self.remember = QCheckBox(self.tr("Remember the password in the system keychain"), self)
        for label, widget in ((self.tr("Server"), self.host), (self.tr("Port"), self.port),
                              (self.tr("Database"), self.database),
                              (self.tr("User name"), self.user),
                              (self.tr("Encryption (SSL)"), self.ssl),
                              (self.tr("Password"), self.password)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        form.addRow("", self.remember)
        outer.addLayout(form)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {colours.css(colours.error_text(self.palette()))};")
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.hide()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.connect_button = buttons.addButton(self.tr("Connect"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        if recent:
            self.recent.setCurrentRow(0)
        self.resize(520, self.sizeHint().height())

    def _fill(self, address: str) -> None:
        try:
            parts = server_login.parts_of(address)
        except CityPartnerError:
            return
        self.host.setText(parts.host)
        self.port.setValue(parts.port)
        self.database.setText(parts.database)
        self.user.setText(parts.user)
        index = self.ssl.findData(parts.sslmode)
        self.ssl.setCurrentIndex(max(index, 0))
        self.password.clear()

    def address(self) -> str:
        """The address the fields make (raises CityPartnerError naming what is missing)."""
        return server_login.compose(server_login.ServerParts(
            host=self.host.text(), database=self.database.text(), user=self.user.text(),
            port=self.port.value(), sslmode=str(self.ssl.currentData())))

    def accept(self) -> None:
        try:
            address = self.address()
        except CityPartnerError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        password = self.password.text()
        self.sign_in = SignIn(address, password or None, self.remember.isChecked())
        super().accept()


class PasswordDialog(QDialog):
    """Asks for the password of one server, saying why (none kept, or the one given was
    refused)."""

    def __init__(self, shown_address: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Password for the office server"))
        outer = QVBoxLayout(self)
        text = QLabel(reason + "\n\n" + self.tr("Password for {0}:").format(shown_address), self)
        text.setWordWrap(True)
        outer.addWidget(text)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        outer.addWidget(self.password)
        self.remember = QCheckBox(self.tr("Remember it in the system keychain"), self)
        outer.addWidget(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
