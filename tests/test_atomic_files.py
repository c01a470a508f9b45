"""The one atomic file writer: the whole new file or the old one, never a temporary left over."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop import atomic_files
from citypartner_desktop.atomic_files import atomic_file, atomic_path, write_bytes

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and links")


class Cancelled(BaseException):
    """What a cancel button may raise: not an Exception, like KeyboardInterrupt."""


def _by_path(target: Path, first: bytes, rest: Callable[[], bytes]) -> None:
    with atomic_path(target) as tmp, tmp.open("wb") as out:
        out.write(first)
        out.flush()
        out.write(rest())


def _by_file(target: Path, first: bytes, rest: Callable[[], bytes]) -> None:
    with atomic_file(target) as out:
        out.write(first)
        out.flush()
        out.write(rest())


WRITERS = pytest.mark.parametrize("write", [_by_path, _by_file], ids=["path", "file"])
FAILURES = pytest.mark.parametrize(
    "error", [RuntimeError("disk pulled out"), OSError(errno.ENOSPC, "No space left on device"),
              KeyboardInterrupt(), Cancelled()], ids=lambda e: type(e).__name__)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _raise(error: BaseException) -> Callable[[], bytes]:
    def fail() -> bytes:
        raise error
    return fail


# --- success ----------------------------------------------------------------------------------


# The last name is 250 bytes in UTF-8: ".<name>.part" beside it would be too long a name.
@WRITERS
@pytest.mark.parametrize("name", ["京都市.pdf", "Łódź – Київ.csv", "Αθήνα São Paulo.ics",
                                  "report.pdf", "京" * 82 + ".pdf"])
def test_writes_the_whole_file_and_leaves_only_it(tmp_path: Path, write: Any, name: str) -> None:
    target = tmp_path / name
    write(target, b"Dear partners, ", lambda: "京都市 Łódź\n".encode())
    assert target.read_bytes() == "Dear partners, 京都市 Łódź\n".encode()
    assert _names(tmp_path) == [name]


@WRITERS
def test_replaces_an_existing_file(tmp_path: Path, write: Any) -> None:
    target = tmp_path / "京都市.pdf"
    target.write_bytes(b"the previous report, which was longer")
    write(target, b"new ", lambda: b"one")
    assert target.read_bytes() == b"new one"
    assert _names(tmp_path) == ["京都市.pdf"]


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "京都市.pdf"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path  # the same folder, so the rename stays on one disk
        assert tmp.name.startswith(".京都市.pdf.") and tmp.name.endswith(".part")
        assert tmp.is_file() and _names(tmp_path) == [tmp.name]
        tmp.write_bytes(b"x")
        assert not target.exists()  # nothing is visible under the name until the end
    assert _names(tmp_path) == ["京都市.pdf"]


def test_two_writers_of_one_file_do_not_share_a_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    with atomic_path(target) as first, atomic_path(target) as second:
        assert first != second
        first.write_bytes(b"first")
        second.write_bytes(b"second")
    assert target.read_bytes() == b"first"  # the last rename wins, whole
    assert _names(tmp_path) == ["deadlines.ics"]


def test_write_bytes(tmp_path: Path) -> None:
    write_bytes(str(tmp_path / "installation-id"), b"0000")
    assert (tmp_path / "installation-id").read_bytes() == b"0000"
    assert _names(tmp_path) == ["installation-id"]


# --- failure ----------------------------------------------------------------------------------


@WRITERS
@FAILURES
def test_a_writer_that_fails_midway_leaves_the_old_file(tmp_path: Path, write: Any,
                                                        error: BaseException) -> None:
    target = tmp_path / "京都市.pdf"
    target.write_bytes(b"the previous report")
    with pytest.raises(type(error)):
        write(target, b"half of the new", _raise(error))
    assert target.read_bytes() == b"the previous report"
    assert _names(tmp_path) == ["京都市.pdf"]


@WRITERS
@FAILURES
def test_a_writer_that_fails_midway_leaves_no_file(tmp_path: Path, write: Any,
                                                   error: BaseException) -> None:
    with pytest.raises(type(error)):
        write(tmp_path / "京都市.pdf", b"half of the new", _raise(error))
    assert _names(tmp_path) == []


@WRITERS
@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failure_while_putting_in_place_leaves_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Any, step: str) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous report")

    def broken(*_args: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, step, broken)
    with pytest.raises(OSError, match="Input/output error"):
        write(target, b"the new ", lambda: b"report")
    assert target.read_bytes() == b"the previous report"
    assert _names(tmp_path) == ["report.pdf"]


def test_a_missing_folder_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_path(tmp_path / "gone" / "x.csv"):
        pass  # pragma: no cover - never entered
    assert _names(tmp_path) == []


# --- durability -------------------------------------------------------------------------------


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """fsync and replace calls, in order: 'fsync file', 'replace', 'fsync folder'."""
    seen: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        seen.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        seen.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return seen


@posix_only
@WRITERS
def test_file_synced_before_the_rename_and_folder_after(tmp_path: Path, write: Any,
                                                        events: list[str]) -> None:
    write(tmp_path / "report.pdf", b"a", lambda: b"b")
    assert events == ["fsync file", "replace", "fsync folder"]


@WRITERS
def test_no_folder_sync_where_folders_cannot_be_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Any, events: list[str]) -> None:
    monkeypatch.setattr(atomic_files, "_SYNC_FOLDERS", False)  # as on Windows
    write(tmp_path / "report.pdf", b"a", lambda: b"b")
    assert events == ["fsync file", "replace"]
    assert (tmp_path / "report.pdf").read_bytes() == b"ab"


@posix_only
@pytest.mark.parametrize(("code", "raised"), [(errno.EINVAL, False), (errno.EIO, True)])
def test_a_folder_that_cannot_be_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        code: int, raised: bool) -> None:
    """Some network file systems cannot sync a folder (EINVAL): the file is in place and that
    is not an error. A real I/O error is reported."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "report.pdf"
    if raised:
        with pytest.raises(OSError) as caught:
            write_bytes(target, b"new")
        assert caught.value.errno == code
    else:
        write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["report.pdf"]


# --- permissions and links --------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[Callable[[int], int]]:
    """os.umask, restored after the test."""
    before = os.umask(0o022)
    yield os.umask
    os.umask(before)


@posix_only
@WRITERS
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_a_plain_open_gives(tmp_path: Path, write: Any,
                                                     umask: Callable[[int], int], mask: int,
                                                     mode: int) -> None:
    umask(mask)
    write(tmp_path / "京都市.pdf", b"a", lambda: b"b")
    with (tmp_path / "plain.pdf").open("wb"):
        pass
    assert stat.S_IMODE((tmp_path / "京都市.pdf").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "plain.pdf").stat().st_mode) == mode


@posix_only
@WRITERS
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, write: Any,
                                        umask: Callable[[int], int]) -> None:
    umask(0o022)
    target = tmp_path / "shared.csv"
    target.write_bytes(b"old")
    target.chmod(0o664)
    write(target, b"n", lambda: b"ew")
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert target.read_bytes() == b"new"


@posix_only
def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real" / "deadlines.ics"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "subscribed.ics"
    link.symlink_to(real)
    write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert _names(tmp_path) == ["real", "subscribed.ics"] and _names(real.parent) == [real.name]

