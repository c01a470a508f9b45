"""How much demo data to make: the named sizes ``small`` and ``large`` of `citypartner demo`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DemoSize = Literal["small", "large"]


@dataclass(frozen=True)
class Sizes:
    """How much to make. Private: the tests pass scaled-down sizes to exercise the large path."""

    cities: int
    contacts: int
    partnerships: int
    activities: int
    programmes: int
    home_staff: int
    participant_share: float  # share of activities with named participants
    max_participants: int
    action_share: float  # share of activities with a follow-up action
    evaluations_max: int  # annual reviews per partnership, at most
    city_pool: int  # random cities come from the N most populous (0: from all)
    phones_per_country: int
    chunk: int  # rows per insert statement; also how often progress/cancel are checked


SIZES: dict[str, Sizes] = {
    "small": Sizes(cities=45, contacts=120, partnerships=18, activities=180, programmes=5,
                   home_staff=14, participant_share=0.9, max_participants=4, action_share=0.35,
                   evaluations_max=2, city_pool=1200, phones_per_country=8, chunk=10_000),
    "large": Sizes(cities=10_000, contacts=200_000, partnerships=2_000, activities=1_000_000,
                   programmes=8, home_staff=60, participant_share=0.3, max_participants=2,
                   action_share=0.08, evaluations_max=3, city_pool=0, phones_per_country=40,
                   chunk=50_000),
}
