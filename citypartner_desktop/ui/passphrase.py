"""Asking for the passphrase of an encrypted visit pack: typed hidden, kept only in memory
for this session (never in settings, never in the keychain — a lost laptop must not open the
pack by itself)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("passphrase", text)


def ask_passphrase(parent: QWidget | None, path: Path, *, wrong: bool = False) -> str | None:
    """The passphrase typed for ``path``, or None when the user cancelled."""
    label = _tr("{0} is an encrypted visit pack. Its passphrase:").format(path.name)
    if wrong:
        label = _tr("That passphrase does not open {0}. Try again:").format(path.name)
    text, ok = QInputDialog.getText(parent, _tr("Encrypted visit pack"), label,
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None


def open_encrypted_pack(parent: QWidget | None, path: Path) -> object | None:
    """Ask until the passphrase opens the pack (the Database), or None when cancelled."""
    from citypartner_desktop.domain.errors import WrongPassphraseError
    from citypartner_desktop.services.database import open_db, remember_passphrase

    wrong = False
    while True:
        passphrase = ask_passphrase(parent, path, wrong=wrong)
        if passphrase is None:
            return None
        try:
            db = open_db(path, passphrase=passphrase)
        except WrongPassphraseError:
            wrong = True
            continue
        remember_passphrase(path, passphrase)
        return db
