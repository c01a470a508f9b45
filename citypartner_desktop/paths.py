"""Where things live on this machine. Pure functions: nothing is created at import time."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs import PlatformDirs

APP_NAME = "CityPartner"
APP_AUTHOR = "CityPartner"
DB_ENV_VAR = "CITYPARTNER_DB"


def _dirs() -> PlatformDirs:
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, APP_AUTHOR)


def user_data_dir() -> Path:
    return Path(_dirs().user_data_dir)


def user_cache_dir() -> Path:
    return Path(_dirs().user_cache_dir)


def user_log_dir() -> Path:
    return Path(_dirs().user_log_dir)


def user_config_dir() -> Path:
    return Path(_dirs().user_config_dir)


def settings_file() -> Path:
    """The application's settings (QSettings, INI format); the command line reads it too."""
    return user_config_dir() / "ui.ini"


def default_database_path() -> Path:
    return user_data_dir() / "citypartner.db"


SERVER_SCHEMES = ("postgresql", "postgres")


def is_server_address(text: str) -> bool:
    """``postgresql://…`` (or ``postgres://``, ``postgresql+psycopg://``): an office server."""
    scheme, sep, _rest = text.partition("://")
    return bool(sep) and scheme.lower().split("+", 1)[0] in SERVER_SCHEMES


def resolve_database_location(cli_value: str | os.PathLike[str] | None) -> Path | str:
    """--db, else $CITYPARTNER_DB, else the user data dir (DESIGN.md §4): a file's path, or
    an office server's address as given."""
    given = str(cli_value) if cli_value else os.environ.get(DB_ENV_VAR)
    if given and is_server_address(given):
        return given
    return Path(given).expanduser() if given else default_database_path()


def resolve_database_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """Like ``resolve_database_location``, for what only a file can be."""
    location = resolve_database_location(cli_value)
    return location if isinstance(location, Path) else Path(location)


def backup_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database so they travel with it (and are found by restore)."""
    return db_path.parent / "backups"


def recovery_dir_for(db_path: Path) -> Path:
    """Damaged files are moved here, never deleted: whatever is in them can still be rescued."""
    return db_path.parent / "recovery"


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def mount_table(mounts_file: Path = Path("/proc/mounts")) -> list[tuple[str, str]]:
    """(mount point, file-system type) pairs on Linux; empty where there is no such table."""
    try:
        text = mounts_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    table = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            # /proc/mounts escapes spaces and the like as octal: "\040".
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            table.append((point, fields[2]))
    return table


def resource_path(relative: str) -> Path:
    """A file shipped in resources/ (installed as the package citypartner_desktop.resources)."""
    from importlib.resources import files

    try:
        return Path(str(files("citypartner_desktop.resources").joinpath(relative)))
    except ModuleNotFoundError:  # running from a source tree that was never pip-installed
        return Path(__file__).resolve().parents[1] / "resources" / relative
