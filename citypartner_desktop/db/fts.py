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
