"""Phone numbers for demo contacts: valid for the city's country (libphonenumber), in E.164."""

from __future__ import annotations

import random
from functools import cache
from typing import Any


class Phones:
    """Valid fixed-line numbers per country in E.164, varied from libphonenumber's example."""

    def __init__(self, seed: int, per_country: int) -> None:
        self._seed = seed
        self._per_country = per_country
        self._pools: dict[str, list[str]] = {}

    def pick(self, country: str, r: float) -> str:
        pool = self._pools.get(country)
        if pool is None:
            pool = self._pools[country] = self._make(country)
        return pool[int(r * len(pool))]

    def _make(self, country: str) -> list[str]:
        import phonenumbers

        example = example_number(country)
        assert example is not None  # cities without one were not picked
        rng = random.Random(f"{self._seed}:phones:{country}")  # independent of call order
        national = str(example.national_number)
        vary = max(1, min(4, len(national) - 3))
        pool: list[str] = []
        for _ in range(self._per_country * 5):
            number = phonenumbers.PhoneNumber()
            number.merge_from(example)  # keeps Italian leading zeros and the like
            tail = "".join(str(rng.randrange(10)) for _ in range(vary))
            number.national_number = int(national[:-vary] + tail)
            if phonenumbers.is_valid_number_for_region(number, country):
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if e164 not in pool:
                    pool.append(e164)
                    if len(pool) == self._per_country:
                        break
        if not pool:
            pool.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
        return pool


@cache
def example_number(country: str) -> Any:
    """libphonenumber's valid example for the country (fixed line, else mobile), or None."""
    import phonenumbers

    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
        number = phonenumbers.example_number_for_type(country, kind)
        if number is not None and phonenumbers.is_valid_number_for_region(number, country):
            return number
    return None
