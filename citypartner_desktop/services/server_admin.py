"""Setting up who may do what on an office server (``citypartner server setup`` and
``server user``): three roles the server itself enforces — viewer, editor, administrator —
and the office's users as their members. Run by IT as the database's owner."""

from __future__ import annotations

import re

from citypartner_desktop.db import server
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import ValidationError

ROLE_NAMES = tuple(server.ROLES)
# A PostgreSQL user name as offices write them (letters, digits, _ . - @), at most 63 bytes.
_USER = re.compile(r"^[\w.@-]{1,63}$")


def _server_only(db: Database) -> None:
    if not db.is_server:
        raise ValidationError.single(
            "db", "roles belong to an office server; a database file is its user's alone")


def set_up_roles(db: Database) -> str:
    """Create the roles (if missing) and grant them this database; returns its name."""
    _server_only(db)
    return server.grant_roles(db.engine)


def add_user(db: Database, name: str, role: str, password: str | None = None) -> bool:
    """Give ``name`` the ``role`` (creating the user, with ``password`` if given); says
    whether the user is new."""
    _server_only(db)
    errors = {}
    if not _USER.match(name):
        errors["user"] = f'"{name}" is not a user name (letters, digits, _ . - @; 63 at most)'
    if role not in ROLE_NAMES:
        errors["role"] = f'"{role}" is not a role (one of: {", ".join(ROLE_NAMES)})'
    if password is not None and not password.strip():
        errors["password"] = "is empty"
    if errors:
        raise ValidationError(errors)
    return server.make_user(db.engine, name, role, password)
