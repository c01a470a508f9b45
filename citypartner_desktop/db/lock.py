"""One writer at a time: an OS-level lock on ``<database>.lock``, held while the database is open.

The lock file also says who holds it (host, process, user, since when), so a second instance can
name them. The operating system drops the lock when a process dies, however it dies; a lock file
whose lock is free was therefore left by a crash and is stale: it is taken over. One exception:
when the file names a live process on this very host the file system evidently ignores locks
(some network shares do), and the lock file is respected.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from citypartner_desktop.domain.errors import DatabaseInUseError
from citypartner_desktop.paths import lock_path_for

# Windows locks byte ranges and a locked range cannot be read by others: lock one byte far past
# the owner's text, so that the text stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockOwner:
    host: str
    pid: int
    user: str
    since: str  # ISO 8601, UTC

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.since).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            since = self.since
        return f"{self.user} on {self.host} (process {self.pid}, since {since})"

    @staticmethod
    def me() -> LockOwner:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return LockOwner(socket.gethostname(), os.getpid(), user,
                         datetime.now(UTC).isoformat(timespec="seconds"))


def _parse(text: str) -> LockOwner | None:
    try:
        data = json.loads(text)
        return LockOwner(str(data["host"]), int(data["pid"]), str(data["user"]),
                         str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_owner(db_path: Path) -> LockOwner | None:
    try:
        return _parse(lock_path_for(db_path).read_text(encoding="utf-8"))
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return False  # unknown; on Windows the OS lock alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it just isn't ours
    return True


def _try_os_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


_HELD_HERE: set[Path] = set()  # databases whose lock this process holds


def held_here(db_path: Path) -> bool:
    """Whether this process holds the writer's lock of ``db_path``."""
    return Path(os.path.abspath(db_path)) in _HELD_HERE


class DatabaseLock:
    """Held from ``acquire`` until ``release``; ``stale_owner`` is who crashed holding it, if so."""

    def __init__(self, db_path: Path, fd: int, stale_owner: LockOwner | None) -> None:
        self.db_path = db_path
        self._fd: int | None = fd
        self.stale_owner = stale_owner

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _HELD_HERE.discard(Path(os.path.abspath(self.db_path)))
        # Unlinked while still locked: whoever waits on the old file notices it is gone.
        with contextlib.suppress(OSError):
            lock_path_for(self.db_path).unlink(missing_ok=True)
        try:
            _os_unlock(fd)
        finally:
            os.close(fd)


def _in_use(db_path: Path, owner: LockOwner | None) -> DatabaseInUseError:
    who = owner.describe() if owner else "another program"
    return DatabaseInUseError(
        f"{db_path.name} is already open in CityPartner by {who}. Only one CityPartner at a "
        "time may change a database: close it there first. If that program is surely no longer "
        f"running, delete {lock_path_for(db_path)} and try again."
    )


def _write_owner(fd: int, me: LockOwner) -> None:
    """Say who holds the lock. On a full disk the text cannot be written: the lock itself is
    what keeps a second writer out, so it is held without the text (a second instance then
    names "another program")."""
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(asdict(me)).encode("utf-8"))
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)


def acquire(db_path: Path) -> DatabaseLock:
    """Take the lock or raise DatabaseInUseError naming the holder."""
    path = lock_path_for(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    me = LockOwner.me()
    for _attempt in range(5):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_os_lock(fd):
                raise _in_use(db_path, read_owner(db_path))
            try:
                if os.fstat(fd).st_ino != os.stat(path).st_ino:
                    os.close(fd)  # released and removed under us: lock the new file
                    continue
            except FileNotFoundError:
                os.close(fd)
                continue
            os.lseek(fd, 0, os.SEEK_SET)
            previous = _parse(os.read(fd, 4096).decode("utf-8", "replace"))
            if (previous is not None and previous.host == me.host and previous.pid != me.pid
                    and pid_alive(previous.pid)):
                _os_unlock(fd)
                raise _in_use(db_path, previous)  # a file system that ignores locks
            _write_owner(fd, me)
            _HELD_HERE.add(Path(os.path.abspath(db_path)))
            return DatabaseLock(db_path, fd, previous)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
    raise _in_use(db_path, read_owner(db_path))
