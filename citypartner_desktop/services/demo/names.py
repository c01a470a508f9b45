"""People's names for the demo: per-language lists of given and family names (names.csv), and
the Latin-letter form of a name that makes an e-mail address or a web domain."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from citypartner_desktop.domain.text import fold
from citypartner_desktop.services.demo import data

Name = tuple[str, str]  # (as written, Latin letters for the e-mail address)


@dataclass(frozen=True, slots=True)
class Names:
    female: tuple[Name, ...]
    male: tuple[Name, ...]
    family: tuple[Name, ...]
    family_female: tuple[Name, ...]  # the family names' female form, where the language has one
    family_first: bool
    separator: str


def ascii_slug(text: str, joiner: str = "-") -> str:
    folded = fold(text).encode("ascii", "ignore").decode()
    return joiner.join("".join(ch if ch.isalnum() else " " for ch in folded).split())


@cache
def name_lists() -> dict[str, Names]:
    """Name list key (as in countries.csv) -> its names."""
    collected: dict[str, dict[str, list[Name]]] = {}
    for key, which, written, latin in data.names():
        collected.setdefault(key, {}).setdefault(which, []).append(
            (written, ascii_slug(latin or written)))
    family_first = data.people().family_first
    lists = {}
    for key, by_list in collected.items():
        family = tuple(by_list.get("family", ()))
        lists[key] = Names(tuple(by_list.get("female", ())), tuple(by_list.get("male", ())),
                           family, tuple(by_list.get("family_female", ())) or family,
                           key in family_first, family_first.get(key, " "))
    return lists
