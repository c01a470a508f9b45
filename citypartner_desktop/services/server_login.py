"""Signing in to an office server: its address built from the parts a person types, the
password kept in the operating system's keychain (never in a settings file), and the addresses
used before, remembered without their passwords.

Without a usable keychain (a Linux desktop without a secret service, a locked keychain) the
password is simply asked for each time: the keychain's failures never stop a sign-in."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass

from citypartner_desktop.db import server
from citypartner_desktop.domain.errors import DatabaseError

log = logging.getLogger(__name__)
KEYCHAIN_SERVICE = "CityPartner office server"
SSL_MODES = ("prefer", "require", "verify-full", "disable")
DEFAULT_PORT = 5432
MAX_REMEMBERED = 10


@dataclass(frozen=True)
class ServerParts:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = "prefer"


def compose(parts: ServerParts) -> str:
    """The address (without a password) of the parts typed in the connection dialog."""
    errors = [name for name, value in (("server", parts.host), ("database", parts.database),
                                       ("user", parts.user)) if not value.strip()]
    if errors:
        raise DatabaseError("Fill in the " + " and ".join(errors) + " of the office server.")
    if not 0 < parts.port < 65536:
        raise DatabaseError(f"{parts.port} is not a port number (1–65535; usually 5432).")
    if parts.sslmode not in SSL_MODES:
        raise DatabaseError(f"{parts.sslmode!r} is not an SSL mode ({', '.join(SSL_MODES)}).")
    return server.compose_address(parts.host.strip(), parts.port, parts.database.strip(),
                                  parts.user.strip(), parts.sslmode)


def parts_of(address: str) -> ServerParts:
    """The parts of an address, for the dialog's fields."""
    host, port, database, user, sslmode = server.address_parts(address)
    return ServerParts(host=host, database=database, user=user, port=port or DEFAULT_PORT,
                       sslmode=sslmode)


def has_password(address: str) -> bool:
    return server.password_of(address) is not None


def with_password(address: str, password: str) -> str:
    return server.with_password(address, password)


def keychain_key(address: str) -> str:
    """The keychain's entry name: the address without its password (user, host, port,
    database, options)."""
    return server.without_password(address)


def saved_password(address: str) -> str | None:
    """The password kept in the keychain for this address, or None (none kept, or no
    keychain to ask)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYCHAIN_SERVICE, keychain_key(address))
    except (KeyringError, RuntimeError, OSError) as exc:
        log.info("no keychain to read the password from: %s", exc)
        return None


def save_password(address: str, password: str) -> str | None:
    """Keep the password in the keychain; None when kept, else why it could not be."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYCHAIN_SERVICE, keychain_key(address), password)
    except (KeyringError, RuntimeError, OSError) as exc:
        return f"The system keychain could not keep the password ({exc}); it will be asked " \
               "for next time."
    return None


def forget_password(address: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    # Nothing kept, or no keychain: nothing to forget.
    with suppress(PasswordDeleteError, KeyringError, RuntimeError, OSError):
        keyring.delete_password(KEYCHAIN_SERVICE, keychain_key(address))


def address_to_open(address: str) -> str:
    """The address with the keychain's password added when it names none (an address given
    with its password, or a server that needs none, is left as it is)."""
    if has_password(address):
        return address
    password = saved_password(address)
    return with_password(address, password) if password is not None else address


def remembered(previous: list[str], address: str) -> list[str]:
    """The list of addresses used, newest first, with this one added (without its
    password)."""
    plain = server.without_password(address)
    return [plain, *[a for a in previous if a != plain]][:MAX_REMEMBERED]
