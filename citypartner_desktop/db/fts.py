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


# What SQLite's unicode61 tokenizer keeps inside a token, for folded text (``domain.text.fold``
# has taken the combining marks off): letters and numbers, which is Python's ``isalnum`` and
# ``[^\W_]``. Its Unicode tables are older than Python's, so private-use characters, and
# symbols and marks of scripts added since, may disagree; every script our data is written in
# agrees (a property test holds the two side by side).
_TOKEN = r"[^\W_]"
_SEPARATOR = r"[\W_]"


def tokens(word: str) -> list[str]:
    """The tokens of a search word, as the tokenizer splits it ("anna@krakow": anna, krakow)."""
    return re.findall(f"{_TOKEN}+", word)


@functools.lru_cache(maxsize=64)
def _word_patterns(argument: str) -> tuple[re.Pattern[str], ...]:
    """One pattern per word, as FTS5 reads a quoted prefix term: the word's tokens as a
    phrase (each one whole, in a row, any separators between), the last one a prefix. That
    the phrase starts a token is checked by ``_found`` (a look-behind here is 3x slower)."""
    patterns = []
    for word in argument.split(_WORD_SEPARATOR):
        patterns.append(re.compile(f"{_SEPARATOR}+".join(re.escape(t) for t in tokens(word))))
    return tuple(patterns)


def _found(pattern: re.Pattern[str], text: str) -> bool:
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start == 0 or not text[start - 1].isalnum():
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
