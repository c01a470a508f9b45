"""SQLite settings shared by the ORM's engine and the plain read path (no SQLAlchemy here)."""

from __future__ import annotations

# 'CPTD' — lets us recognise our own files and refuse foreign SQLite databases.
APPLICATION_ID = 0x43505444
BUSY_TIMEOUT_MS = 10_000
