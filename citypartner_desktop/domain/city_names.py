"""A city's other names, each with its language: the spellings sources used ("Krakau" in a
German list, "クラクフ" in a Japanese one), kept so the city can be found and shown as the
office's partners write it.

Stored as text, one name a line, ``language: name`` (``de: Krakau``; a name whose language is
not known has none: ``Cracow``), so history, merges and search treat it like any other field
and a person can edit it as a list.
"""

from __future__ import annotations

import re
import unicodedata

from citypartner_desktop.domain.text import fold

_LINE = re.compile(r"^(?:(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*):\s*)?(?P<name>.+)$")
MAX_NAMES = 200


def parse(text: str | None) -> list[tuple[str, str]]:
    """(language, name) pairs of the stored text ("" for a name of unknown language)."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        assert match is not None  # ".+" matches any non-empty line
        result.append((match["lang"] or "", match["name"].strip()))
    return result


def to_text(names: list[tuple[str, str]]) -> str:
    return "\n".join(f"{lang}: {name}" if lang else name for lang, name in names)


def with_name(text: str | None, language: str, name: str, *known: str | None) -> str | None:
    """The text with ``name`` added in ``language``, or None when the city already has that
    name (as its name, native name or one of these, accents and case aside)."""
    name = " ".join(name.split())
    wanted = fold(name)
    names = parse(text)
    if not name or len(names) >= MAX_NAMES or any(
            fold(k) == wanted for k in (*known, *(n for _l, n in names)) if k):
        return None
    return to_text([*names, (language, name)])


# Scripts that say the language by themselves (Han alone may be Chinese or Japanese: kana or
# the file's language decides).
_SCRIPT_LANGUAGES = (("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("GREEK", "el"),
                     ("GEORGIAN", "ka"), ("ARMENIAN", "hy"), ("HEBREW", "he"), ("THAI", "th"))


def language_of_script(name: str) -> str:
    """The language a name's script tells alone, else ""."""
    for ch in name:
        if not ch.isalpha():
            continue
        char_name = unicodedata.name(ch, "")
        for script, language in _SCRIPT_LANGUAGES:
            if char_name.startswith(script):
                return language
    return ""
