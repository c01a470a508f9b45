"""Text folding for accent- and case-insensitive search keys ("Lodz" finds "Łódź")."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into base letter + combining mark.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics and collapse white space; other scripts are kept."""
    if not text:
        return ""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_key(*parts: str | None) -> str:
    """One folded string over several fields, separated so words don't run together."""
    return " | ".join(fold(p) for p in parts if p)
