"""How each engine finds the rows whose words start with what was typed: the SQL of a search,
one class per engine, so that the pages' plain SQL (``repositories.table_rows``) and the ORM's
lists (``repositories.records``) never ask which engine they run on.

- SQLite: the FTS5 tables of ``db.fts`` (rowid joins, ``"word"*`` prefix terms); a broad search
  may also walk the sort order testing each row (``walks``).
- PostgreSQL: the generated ``search_tsv`` column and its GIN index (migration 0002), with
  ``to_tsquery('simple', …)`` prefix terms; the planner walks the sort index by itself.

Both search the same words: the folded text split into tokens as SQLite's unicode61 splits
it (``fts.tokens``), every word required, the last token of each a prefix, a word's tokens
side by side."""

from __future__ import annotations

from typing import Any

from citypartner_desktop.db import fts


class FtsSearch:
    """SQLite FTS5."""

    walks = True  # the walk plans of table_rows apply (they need fts.MATCH_FUNCTION)
    counts_cheaply = True  # a count of the index's matches costs ~1 µs a match
    # Unary + on a column hides it from SQLite's index chooser (see table_rows._where).
    unindexed = "+"

    def nulls(self, descending: bool) -> str:
        """SQLite's own place for empty values in a sort: first going up, last going down."""
        return ""

    def matching(self, table: str, words: list[str]) -> tuple[str, list[Any]]:
        """A condition on ``table``'s rows: they match every word."""
        index = fts.fts_name(table)
        return (f"{table}.rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)",
                [fts.match_query(words)])

    def count_up_to(self, table: str, words: list[str], most: int) -> tuple[str, list[Any]]:
        """The rows of the index matching (deleted ones too), counted up to ``most``."""
        index = fts.fts_name(table)
        return (f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ? LIMIT ?)",
                [fts.match_query(words), most])

    def count_all(self, table: str, words: list[str]) -> tuple[str, list[Any]]:
        index = fts.fts_name(table)
        return f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", [fts.match_query(words)]


def ts_query(words: list[str]) -> str:
    """A PostgreSQL tsquery for the words: each word's tokens as a phrase, the last a prefix,
    every word required. Every lexeme is quoted, so typed text is never tsquery syntax."""
    def lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    terms = []
    for word in words:
        parts = fts.tokens(word)
        if parts:
            terms.append("(" + " <-> ".join(
                lexeme(t) + (":*" if i == len(parts) - 1 else "")
                for i, t in enumerate(parts)) + ")")
    return " & ".join(terms) or "''"


class TsSearch:
    """PostgreSQL: tsvector and GIN."""

    walks = False
    counts_cheaply = False  # counting reads every match; capped counts are cheap enough
    unindexed = ""  # its planner needs no such hint (and has no unary + for timestamps)

    def nulls(self, descending: bool) -> str:
        """Empty values where SQLite puts them (PostgreSQL's default is the other way round),
        so that a list reads the same on both engines."""
        return " NULLS LAST" if descending else " NULLS FIRST"

    def matching(self, table: str, words: list[str]) -> tuple[str, list[Any]]:
        return f"{table}.search_tsv @@ to_tsquery('simple', ?)", [ts_query(words)]

    def count_up_to(self, table: str, words: list[str], most: int) -> tuple[str, list[Any]]:
        return (f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table}.search_tsv "
                f"@@ to_tsquery('simple', ?) LIMIT ?) AS matches", [ts_query(words), most])

    def count_all(self, table: str, words: list[str]) -> tuple[str, list[Any]]:
        return (f"SELECT count(*) FROM {table} WHERE {table}.search_tsv "
                f"@@ to_tsquery('simple', ?)", [ts_query(words)])


SearchSql = FtsSearch | TsSearch


def for_dialect(name: str) -> SearchSql:
    return TsSearch() if name == "postgresql" else FtsSearch()
