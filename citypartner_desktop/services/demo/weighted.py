"""Weighted random choice: a table of (key, weight) made into bounds once, then picked from."""

from __future__ import annotations

from collections.abc import Sequence


def weighted(options: Sequence[tuple[str, float]]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The keys and their cumulative shares (the last is 1.0), for ``pick``."""
    total = sum(w for _, w in options)
    keys, bounds, acc = [], [], 0.0
    for key, weight in options:
        acc += weight / total
        keys.append(key)
        bounds.append(acc)
    return tuple(keys), tuple(bounds)


def pick(keys: tuple[str, ...], bounds: tuple[float, ...], r: float) -> str:
    """The key whose share holds ``r`` (a random number in [0, 1))."""
    for key, bound in zip(keys, bounds, strict=True):
        if r < bound:
            return key
    return keys[-1]
