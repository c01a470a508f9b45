"""This installation's identity, for the audit trail (which laptop made a change)."""

from __future__ import annotations

import uuid
from pathlib import Path

from citypartner_desktop import paths
from citypartner_desktop.atomic_files import write_bytes
from citypartner_desktop.db.uow import Actor


def installation_id(config_dir: Path | None = None) -> str:
    folder = config_dir or paths.user_config_dir()
    file = folder / "installation-id"
    try:
        text = file.read_text(encoding="ascii").strip()
        return str(uuid.UUID(text))
    except (OSError, ValueError):
        pass
    value = str(uuid.uuid4())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(file, value.encode("ascii"))
    except OSError:
        pass  # a read-only profile still works; the id is then per session
    return value


def current_actor() -> Actor:
    return Actor.current(installation_id())
