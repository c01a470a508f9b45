"""Typed errors raised by services; the UI and the command line turn them into messages."""

from __future__ import annotations


class CityPartnerError(Exception):
    """Base of every error a user can be shown without a traceback."""


class ValidationError(CityPartnerError):
    """One or more fields were refused. ``errors`` maps field name -> reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        text = "; ".join(f"{field}: {reason}" for field, reason in self.errors.items())
        super().__init__(text)

    @classmethod
    def single(cls, field: str, reason: str) -> ValidationError:
        return cls({field: reason})


class DuplicateCityError(ValidationError):
    """A city with the same name and country exists; saving needs explicit confirmation."""

    def __init__(self, name: str, country: str, existing_id: str) -> None:
        self.existing_id = existing_id
        super().__init__(
            {"name": f'a city named "{name}" in {country} already exists; confirm to add another'}
        )


class NotFoundError(CityPartnerError):
    """The record asked for does not exist (or is deleted)."""


class ConflictError(CityPartnerError):
    """Someone else saved the record since it was opened (optimistic concurrency)."""


class VersionMovedError(ConflictError):
    """A script's ``--if-version`` no longer matches: the record was saved since."""

    def __init__(self, message: str, expected: int, current: int) -> None:
        self.expected, self.current = expected, current
        super().__init__(message)


class DatabaseError(CityPartnerError):
    """The database file cannot be used as it is."""


class TryAgainError(DatabaseError):
    """The server undid a transaction that met another (a deadlock, a serialization failure):
    running it again as it was is safe and usually succeeds at once."""


class NoRightsError(DatabaseError):
    """The server refused the change: the user's database role may not make it."""


class FileOnlyError(DatabaseError):
    """Asked of an office server what only a database file has (a backup file, a lock)."""


class DatabaseTooNewError(DatabaseError):
    """The file was written by a newer version of the application; it is left untouched."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a CityPartner database (foreign application_id or not SQLite)."""


class DatabaseInUseError(DatabaseError):
    """Another CityPartner (this computer or another) has the database open for writing."""


class DatabaseBusyError(DatabaseError):
    """SQLite said "database is locked" even after waiting: someone else is writing."""


class PassphraseNeededError(DatabaseError):
    """An encrypted visit pack was opened without its passphrase."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} is an encrypted visit pack: give its passphrase "
                         "(--passphrase-file FILE, or open it in the app).")


class WrongPassphraseError(DatabaseError):
    """The passphrase does not open the file (or the file is no encrypted pack at all)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} does not open with this passphrase (a wrong passphrase, or "
                         "no encrypted visit pack); it has not been changed.")


class DatabaseDamagedError(DatabaseError):
    """The file is damaged; it is not written to. ``problem`` says what is wrong."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path} is damaged: {problem}. It has not been changed.")


class NotSQLiteError(DatabaseDamagedError, NotOurDatabaseError):
    """Not an SQLite file at all: a foreign file, or a database whose first bytes were lost."""

    def __init__(self, path: object) -> None:
        DatabaseDamagedError.__init__(self, path, "it is not SQLite at all")
        Exception.__init__(
            self,
            f"{path} is not a CityPartner database (not SQLite at all); it was left as it is.",
        )


class UnusablePathError(DatabaseError):
    """The database's path is no file to open: a folder, a link that loops or leads nowhere."""


class ReadOnlyPlaceError(DatabaseError):
    """The database lies where nothing can be written (a read-only folder or disk, a full
    disk): it can be read, not changed."""


class StorageFullError(DatabaseError):
    """The disk (or the database's size limit) is full; the change was rolled back."""


class StorageIOError(DatabaseError):
    """The operating system reported an input/output error; the change was rolled back."""


class BackupError(CityPartnerError):
    """A backup could not be made, read or restored; nothing was changed."""
