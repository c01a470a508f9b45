"""Writing demo rows fast: seeded ids, search keys, and rows sent in chunks, parents first."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories import bulk

Row = tuple[Any, ...]

_UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)


class Ids:
    """Seeded UUID4 strings, one stream per table (ids of one kind don't shift with another)."""

    def __init__(self, seed: int, table: str) -> None:
        self._bits = random.Random(f"{seed}:ids:{table}").getrandbits

    def __call__(self) -> str:
        # Same result as str(uuid.UUID(int=..., version=4)), three times faster.
        h = "%032x" % ((self._bits(128) & _UUID_MASK) | _UUID_V4)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Folder:
    """``domain.text.fold`` memoised: search keys repeat the same names and phrases."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        try:
            return self._cache[text]
        except KeyError:
            if len(self._cache) > 200_000:
                self._cache.clear()
            result = self._cache[text] = fold(text)
            return result


class Sink:
    """Rows of one table, written in chunks; parents are written first (foreign keys)."""

    def __init__(self, writer: bulk.RowWriter, chunk: int, search_fields: Sequence[str],
                 folder: Folder) -> None:
        self.writer = writer
        self.chunk = chunk
        self.parents: list[Sink] = []
        self.rows: list[Row] = []
        self.count = 0
        columns = writer.columns
        # A search field the demo leaves empty (a contact's tags) adds nothing to the key.
        self._key_at = tuple(columns.index(f) for f in search_fields if f in columns)
        self._fold = folder

    def add(self, row: Row) -> None:
        if self._key_at:
            # As services.records: search_key(*(str(value or "") for each search field)).
            fold_ = self._fold
            row = (*row, " | ".join(fold_(str(row[i])) for i in self._key_at if row[i]))
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        if self.rows:
            self.writer.write(self.rows)
            self.rows = []
