"""Full-text search tables (SQLite FTS5) over each table's folded ``search_key``.

The indexed text is already case- and accent-folded by ``domain.text.fold`` ("Łódź" → "lodz"),
so the tokenizer only splits words; prefix queries give search-as-you-type ("krak" → Kraków).
External-content tables hold no second copy of the text; triggers keep them in step with every
insert, update and delete, whoever writes (services, bulk loads, a migration). The tables and
triggers are made by migration 0002. They map by SQLite's rowid, which VACUUM may renumber for
tables without an integer key: after a VACUUM, run ``INSERT INTO <t>_fts(<t>_fts) VALUES
('rebuild')`` for each table.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata

# Tables with a search_key column; each gets <table>_fts.
FTS_TABLES: tuple[str, ...] = (
    "cities", "contacts", "programmes", "partnerships", "agreements", "activities", "actions",
    "evaluations",
)


def fts_name(table: str) -> str:
    return f"{table}_fts"


def is_fts_object(name: str) -> bool:
    """FTS tables and their shadow tables, which the ORM models do not describe."""
    return any(name == fts_name(t) or name.startswith(fts_name(t) + "_") for t in FTS_TABLES)


def search_words(folded: str) -> list[str]:
    """The words of a folded search text that can match anything (not bare punctuation).
    Control characters go: FTS5 reads a NUL as the end of the query string."""
    words = ("".join(ch for ch in w if ch.isprintable()) for w in folded.split())
    return [w for w in words if any(ch.isalnum() for ch in w)]


def match_query(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted prefix term, all required. Quoting means that
    user text can never be read as FTS syntax (AND, NEAR, *, -, parentheses…)."""
    return " AND ".join('"' + w.replace('"', '""') + '"*' for w in words)


def indexed_columns(table: str) -> tuple[str, ...]:
    """The columns ``<table>_fts`` indexes: the row's search key, then its search copies."""
    from citypartner_desktop.db.derived import SEARCH_COPIES

    return ("search_key", *(c.column for c in SEARCH_COPIES if c.table == table))


# -- the same match, row by row ------------------------------------------------------------
# A search that matches a large share of a table ("w" matches half of a million activities)
# is answered fastest by walking the page's sort index and testing each row until a page is
# full, rather than by collecting every match from the index and sorting them all. That test
# is this SQL function; it gives FTS5's answer (a test holds the two side by side).
MATCH_FUNCTION = "citypartner_words_match"
_WORD_SEPARATOR = "\x1f"  # search_words drops control characters: it cannot occur in a word


def function_argument(words: list[str]) -> str:
    return _WORD_SEPARATOR.join(words)


def _token_character(ch: str) -> bool:
    """Whether SQLite's unicode61 tokenizer keeps ``ch`` inside a token, for folded text
    (``domain.text.fold`` has taken the combining marks off): letters and numbers, and
    private-use or unassigned code points. Its Unicode tables are older than Python's, so
    symbols and marks of scripts added since may disagree; every script our data is written
    in agrees (a property test holds the two side by side)."""
    return ch.isalnum() or unicodedata.category(ch) in ("Co", "Cn")


@functools.cache
def _token_class() -> str:
    """``_token_character`` as a regex class; built once, when a search first needs it."""
    parts: list[str] = []
    start: int | None = None
    for cp in range(0x40001):
        inside = cp <= 0x3FFFF and _token_character(chr(cp))
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            parts.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return "[" + "".join(parts) + "]"


@functools.lru_cache(maxsize=64)
def _word_patterns(argument: str) -> tuple[re.Pattern[str], ...]:
    """One pattern per word, as FTS5 reads a quoted prefix term: the word's tokens as a
    phrase (each one whole, in a row, any separators between), the last one a prefix. That
    the phrase starts a token is checked by ``_found`` (a look-behind here is 3x slower)."""
    token = _token_class()
    separator = token.replace("[", "[^", 1)
    patterns = []
    for word in argument.split(_WORD_SEPARATOR):
        tokens = re.findall(f"{token}+", word)
        patterns.append(re.compile(f"{separator}+".join(re.escape(t) for t in tokens)))
    return tuple(patterns)


def _found(pattern: re.Pattern[str], text: str) -> bool:
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start == 0 or not _token_character(text[start - 1]):
            return True
        position = start + 1  # not past the match: a phrase can start inside it
    return False


def words_match(argument: str, *texts: str | None) -> int:
    """1 if every word of the search is found in one of the texts (the row's indexed columns,
    already folded), else 0: the per-row form of ``match_query``."""
    found = [t for t in texts if t]
    return int(all(any(_found(p, t) for t in found) for p in _word_patterns(argument)))


def register_functions(connection: sqlite3.Connection) -> None:
    """Make ``MATCH_FUNCTION`` known to a new connection (readers and the writer alike)."""
    connection.create_function(MATCH_FUNCTION, -1, words_match, deterministic=True)
