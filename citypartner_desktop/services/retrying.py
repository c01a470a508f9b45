"""A use case the office server undid because it met another at the same moment (a deadlock,
a serialization failure: ``TryAgainError``) is run again, a few times, after a short random
pause; the user never sees the server's word for it. Safe because a use case is one
transaction that either committed or left nothing behind, and it reads afresh each time (so
an edit made meanwhile is seen, and the version check refuses what it must)."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from citypartner_desktop.domain.errors import TryAgainError

ATTEMPTS = 5
P = ParamSpec("P")
T = TypeVar("T")


def retried(use_case: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return use_case(*args, **kwargs)
            except TryAgainError:
                if attempt == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * attempt)  # let the other finish
        raise AssertionError("unreachable")  # pragma: no cover

    return run
