"""Country names as real lists write them, to ISO 3166-1 alpha-2 codes.

pycountry knows the official and common names; the alias table adds what twinning lists,
spreadsheets and Wikipedia actually contain ("England, United Kingdom", "Republic of Korea",
"Moldavia", …); Unicode CLDR (through Babel) adds every language's own names — "Polska",
"Deutschland", "Allemagne", "Niemcy", "ドイツ" — for an office list in its own language. A name
that is none of these, or that means two countries in different languages, is not guessed at:
the caller reports it by row.
"""

from __future__ import annotations

import re
from functools import cache

from citypartner_desktop.domain.text import fold
from citypartner_desktop.domain.validation import country_index

# Folded name -> code. Only names that mean one country beyond doubt; misspellings are not
# here on purpose (a list that says "Grecce" is reported, not corrected).
ALIASES: dict[str, str] = {
    # The nations of the United Kingdom, and its old short forms.
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "britain": "GB",
    # Official or historical long forms that pycountry spells otherwise.
    "republic of korea": "KR", "korea, republic of": "KR", "south korea": "KR",
    "democratic people's republic of korea": "KP", "north korea": "KP",
    "people's republic of china": "CN", "prc": "CN", "mainland china": "CN",
    "republic of china": "TW", "taiwan": "TW", "chinese taipei": "TW",
    "georgia (country)": "GE", "georgia": "GE",
    "republic of ireland": "IE", "ireland": "IE", "eire": "IE",
    "moldavia": "MD", "moldova": "MD", "republic of moldova": "MD",
    "czech republic": "CZ", "czechia": "CZ",
    "cote d'ivoire": "CI", "ivory coast": "CI",
    "vietnam": "VN", "viet nam": "VN",
    "russia": "RU", "turkey": "TR", "turkiye": "TR", "iran": "IR", "syria": "SY",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "brunei": "BN",
    "palestine": "PS", "state of palestine": "PS", "west bank": "PS", "gaza strip": "PS",
    "cape verde": "CV", "east timor": "TL", "timor-leste": "TL",
    "democratic republic of the congo": "CD", "dr congo": "CD", "congo-kinshasa": "CD",
    "republic of the congo": "CG", "congo": "CG", "congo-brazzaville": "CG",
    "micronesia": "FM", "federated states of micronesia": "FM",
    "macedonia": "MK", "republic of macedonia": "MK", "north macedonia": "MK",
    "bosnia and hercegovina": "BA", "bosnia-herzegovina": "BA",
    "swaziland": "SZ", "burma": "MM", "the netherlands": "NL", "holland": "NL",
    "the gambia": "GM", "the bahamas": "BS", "vatican": "VA", "vatican city": "VA",
    "usa": "US", "united states of america": "US", "u.s.": "US", "u.s.a.": "US",
    "falkland islands": "FK", "surinam": "SR", "kosovo": "XK",
    # GeoNames files the places of Northern Cyprus under CY; the gazetteer must agree.
    "northern cyprus": "CY", "turkish republic of northern cyprus": "CY",
}

_IN_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*$")


@cache
def _index() -> dict[str, str]:
    index = {fold(name): code for name, code in country_index().items()}
    index.update(ALIASES)
    return index


@cache
def _names_in_every_language() -> dict[str, str]:
    """Folded name -> code, from the territory names of every CLDR locale (about 36,000
    names, 1.7 s to gather: built the first time a name is not an English one). Names that
    stand for two countries ("Kongo": CG in one language, CD in another) are left out."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    known = set(_index().values())
    found: dict[str, set[str]] = {}
    for identifier in locale_identifiers():
        try:
            territories = Locale.parse(identifier).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if code in known:
                found.setdefault(fold(name.replace("’", "'")), set()).add(code)
    return {name: next(iter(codes)) for name, codes in found.items()
            if name and len(codes) == 1}


def _lookup(text: str) -> str | None:
    key = fold(text.replace("’", "'"))
    if not key:
        return None
    return _index().get(key) or _names_in_every_language().get(key)


@cache
def resolve_country(text: str) -> str | None:
    """The ISO code for ``text``, or None when it is not clearly one country.

    "Region, Country" (as "England, United Kingdom", "Réunion, France", "Brandenburg, Germany")
    takes the first part when that is itself a country or territory with its own code (Réunion
    is RE, as in the gazetteer), else the last part.
    """
    text = " ".join(text.split())
    if not text:
        return None
    code = _lookup(text)
    if code is not None:
        return code
    if "," in text:
        head, last = text.split(",", 1)[0], text.rsplit(",", 1)[1]
        return _lookup(head) or _lookup(last)
    return None
