"""Is a database file in a risky place? Network shares and cloud-synced folders break SQLite's
locking and its write-ahead log, which need one local file system. Pure: the caller passes the
mount table, so this is tested with made-up paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath, PureWindowsPath

# Folder names the sync clients create (compared case-insensitively, per path component).
CLOUD_FOLDERS: dict[str, str] = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "icloud~com~apple~clouddocs": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "box sync": "Box",
    "pcloud drive": "pCloud",
}
# OneDrive for Business names its folder "OneDrive - Company".
_ONEDRIVE_BUSINESS = re.compile(r"^onedrive - ", re.IGNORECASE)
_CLOUD_STORAGE_PREFIX = "cloudstorage"  # macOS ~/Library/CloudStorage/<Provider>-<account>

NETWORK_FS_TYPES = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "davfs",
    "fuse.sshfs", "sshfs", "fuse.davfs2", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
    "fuse.glusterfs", "glusterfs", "ceph", "fuse.ceph", "lustre", "gpfs", "fuse.onedriver",
}


def _parts(path: str, windows: bool) -> PurePath:
    return PureWindowsPath(path) if windows else PurePosixPath(path)


def cloud_service(path: str, *, windows: bool = False) -> str | None:
    parts = [p.lower() for p in _parts(path, windows).parts]
    for i, part in enumerate(parts):
        if part in CLOUD_FOLDERS:
            return CLOUD_FOLDERS[part]
        if _ONEDRIVE_BUSINESS.match(part):
            return "OneDrive"
        if part == _CLOUD_STORAGE_PREFIX and i + 1 < len(parts):
            provider = parts[i + 1].split("-", 1)[0]
            return CLOUD_FOLDERS.get(provider, parts[i + 1].split("-", 1)[0].title())
    return None


def network_filesystem(path: str, mounts: Sequence[tuple[str, str]]) -> str | None:
    """The file-system type when the longest mount point containing ``path`` is a network one."""
    target = PurePosixPath(path)
    best: tuple[int, str] | None = None
    for mount_point, fs_type in mounts:
        point = PurePosixPath(mount_point)
        if (target == point or point in target.parents) and (
            best is None or len(point.parts) > best[0]
        ):
            best = (len(point.parts), fs_type)
    if best is not None and best[1].lower() in NETWORK_FS_TYPES:
        return best[1]
    return None


def storage_risk(
    path: str, mounts: Sequence[tuple[str, str]] = (), *, windows: bool = False
) -> str | None:
    """Why ``path`` (absolute) is a risky place for a database, or None when it is local."""
    if windows and (path.startswith("\\\\") or path.startswith("//")):
        return "it is on a network share"
    service = cloud_service(path, windows=windows)
    if service:
        return f"it is in a folder synchronised by {service}"
    if not windows:
        fs_type = network_filesystem(path, mounts)
        if fs_type:
            return f"it is on a network file system ({fs_type})"
    return None


def risk_message(path: str, reason: str) -> str:
    return (
        f"{path}: {reason}. SQLite's locking and write-ahead log need a local disk; on a share "
        "or a synced folder two computers can overwrite each other's changes or the file can be "
        "damaged. Keep the database on this computer's own disk and let the backups go to the "
        "shared or synced folder instead."
    )
