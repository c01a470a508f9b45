"""Encrypted visit packs: SQLCipher (AES-256, the key derived from the passphrase with
PBKDF2-HMAC-SHA512) through ``sqlcipher3``, opened in place — the file, its write-ahead log and
its temporary pages are encrypted on disk; no plain copy is ever written.

SQLCipher takes the key as the first statement on a connection and cannot bind it as a
parameter, so it is quoted as an SQL literal here. A wrong key is only noticed at the first
read ("file is not a database"), which ``check`` turns into one clear error. sqlcipher3's
errors are not those of the standard sqlite3 module: ``ERRORS`` catches both."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from citypartner_desktop.domain.errors import WrongPassphraseError

SQLITE_HEADER = b"SQLite format 3\x00"
PACK_SUFFIX = ".cpack"  # a visit pack's file name
_quiet = False


def driver() -> ModuleType:
    """sqlcipher3's DB-API module (imported only when a pack is encrypted)."""
    import importlib

    return importlib.import_module("sqlcipher3.dbapi2")


def errors() -> tuple[type[BaseException], ...]:
    return (sqlite3.Error, driver().Error)


def literal(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def key(connection: Any, passphrase: str) -> None:
    """Give a new connection its key (before any other statement)."""
    global _quiet
    cursor = connection.cursor()
    try:
        if not _quiet:  # a wrong key makes SQLCipher print HMAC failures to stderr otherwise
            cursor.execute("PRAGMA cipher_log_level = NONE")
            _quiet = True
        cursor.execute(f"PRAGMA key = {literal(passphrase)}")
    finally:
        cursor.close()


def looks_encrypted(path: Path) -> bool:
    """A file with content whose first bytes are not SQLite's: an encrypted pack (or a
    foreign or damaged file — the passphrase decides)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != SQLITE_HEADER


def is_encrypted_pack(path: Path) -> bool:
    """A file whose name says visit pack and whose first bytes are not SQLite's."""
    return path.suffix.lower() == PACK_SUFFIX and looks_encrypted(path)


def connect(path: Path, passphrase: str, *, read_only: bool = False, **kwargs: Any) -> Any:
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection = driver().connect(target, uri=read_only, **kwargs)
    key(connection, passphrase)
    return connection


def check(path: Path, passphrase: str) -> None:
    """Raise WrongPassphraseError unless ``passphrase`` opens ``path``."""
    connection = connect(path, passphrase, read_only=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver().DatabaseError:
        raise WrongPassphraseError(path.name) from None
    finally:
        connection.close()
