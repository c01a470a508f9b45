"""Risky places for a database, with made-up paths and mount tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from citypartner_desktop.domain.storage import storage_risk
from citypartner_desktop.paths import mount_table

MOUNTS = [("/", "ext4"), ("/home", "ext4"), ("/mnt/office", "cifs"), ("/net/nas", "nfs4"),
          ("/home/anna/remote", "fuse.sshfs"), ("/mnt/office/local-cache", "ext4")]


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/anna/Dropbox/office.db", "Dropbox"),
    ("/home/anna/OneDrive - Stadt Nürnberg/office.db", "OneDrive"),
    ("/Users/anna/Library/Mobile Documents/com~apple~CloudDocs/office.db", "iCloud Drive"),
    ("/Users/anna/Library/CloudStorage/GoogleDrive-anna@example.org/My Drive/o.db",
     "Google Drive"),
    ("/home/anna/Nextcloud/Partnerschaften/office.db", "Nextcloud"),
    ("/mnt/office/partners/office.db", "cifs"),
    ("/net/nas/office.db", "nfs4"),
    ("/home/anna/remote/office.db", "fuse.sshfs"),
])
def test_risky_places_are_named(path: str, expected: str) -> None:
    reason = storage_risk(path, MOUNTS)
    assert reason is not None and expected in reason


@pytest.mark.parametrize("path", [
    "/home/anna/Documents/office.db",
    "/home/anna/dropbox-notes-not-synced.db",  # a file name is not a synced folder
    "/mnt/office/local-cache/office.db",  # the longest mount point wins
    "/tmp/office.db",
])
def test_local_places_are_fine(path: str) -> None:
    assert storage_risk(path, MOUNTS) is None


@pytest.mark.parametrize(("path", "expected"), [
    ("\\\\fileserver\\international\\office.db", "network share"),
    ("//fileserver/international/office.db", "network share"),
    ("C:\\Users\\anna\\OneDrive\\office.db", "OneDrive"),
    ("C:\\Users\\anna\\Dropbox\\office.db", "Dropbox"),
])
def test_windows_paths(path: str, expected: str) -> None:
    reason = storage_risk(path, windows=True)
    assert reason is not None and expected in reason


def test_windows_local_path_is_fine() -> None:
    assert storage_risk("C:\\Users\\anna\\Documents\\office.db", windows=True) is None


def test_mount_table_is_read_with_escaped_spaces(tmp_path: Path) -> None:
    table = tmp_path / "mounts"
    table.write_text("server:/x /mnt/my\\040share nfs rw 0 0\n/dev/sda1 / ext4 rw 0 0\n")
    assert mount_table(table) == [("/mnt/my share", "nfs"), ("/", "ext4")]
    assert storage_risk("/mnt/my share/office.db", mount_table(table)) is not None
    assert mount_table(tmp_path / "missing") == []
