"""Which legacy encoding a text file that is not UTF-8 was written in.

Excel's "CSV" (not "CSV UTF-8") is written in the Windows code page of the PC that saved it:
Windows-1252 in Western Europe and the Americas, Windows-1250 in Central Europe, Windows-1251
where Cyrillic is written, and so on. The bytes do not say which; read in the wrong one,
"Łódź" becomes "£ódŸ" and "Москва" becomes "Ěîńęâŕ" (mojibake), and an import would store
that. So every code page Windows writes is a candidate, and charset-normalizer's knowledge
of languages picks among their readings: its table of each language's commonest letters, and
the coherence it finds in a reading.

charset-normalizer's own verdict is not enough for the short lists an office imports: a few
dozen names give it too little text ("Москва, Київ" alone is Windows-1250 to it). So each
reading is checked word by word, as a person would look at it, on the lines that are not
plain ASCII (where the candidates differ). A word read right is in one script ("Dьsseldorf"
mixes Latin and Cyrillic), its non-ASCII letters are all in the alphabet of one language
("Ěîńęâŕ" needs Czech, French, Polish and Slovak at once), it has no capital inside after a
small letter ("ĹÓdĹş"), no symbol glued into it ("Za¿ó³æ") and no byte that is no character
in the code page; it scores the share of its letters that are common in that language
(charset-normalizer's table), and a reading loses half a word for each further alphabet its
words need (a list is mostly in one or two languages). The reading that scores most wins; on
a tie, the one charset-normalizer finds more coherent, then the commoner code page
(Windows-1252 first, as the earlier reader did). Code pages that read the sample to the same
text are one reading, named by the commoner one.

When two readings of different text are equally good ("Gdańsk" in Windows-1250 is "Gdañsk"
in Windows-1252, and both look right), the guess is said in a note, with the line where the
readings differ, so that the user can check it in the preview.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# The code pages Windows writes a "CSV" in, commonest first (that order decides a tie).
CANDIDATES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256",
              "cp874", "cp932", "gbk", "cp949", "cp950")
NAMES = {
    "cp1252": ("Windows-1252", "Western European"),
    "cp1250": ("Windows-1250", "Central European"),
    "cp1251": ("Windows-1251", "Cyrillic"),
    "cp1253": ("Windows-1253", "Greek"),
    "cp1254": ("Windows-1254", "Turkish"),
    "cp1257": ("Windows-1257", "Baltic"),
    "cp1255": ("Windows-1255", "Hebrew"),
    "cp1256": ("Windows-1256", "Arabic"),
    "cp874": ("Windows-874", "Thai"),
    "cp932": ("Shift_JIS", "Japanese"),
    "gbk": ("GBK", "Simplified Chinese"),
    "cp949": ("Windows-949", "Korean"),
    "cp950": ("Big5", "Traditional Chinese"),
}
# What the detector reads: the lines that are not ASCII, up to this many bytes.
SAMPLE = 64 * 1024
# A second reading whose score is this close to the best one (a quarter of a word's letters
# common in its language) is as good: the guess is then said in a note.
_CLOSE = 0.25

# The letters beyond ASCII of the alphabets written in these code pages (CLDR's main exemplar
# characters, lower case), by the names charset-normalizer gives the languages: a word's such
# letters must all be in one alphabet.
ALPHABETS = {
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovene": "čšž",
    "Croatian": "čćđšž",  # Bosnian and Serbian in Latin letters too
    "Romanian": "ăâîșțşţ",  # with the cedilla forms Windows-1250 has
    "Albanian": "çë",
    "German": "äöüß",
    "French": "àâæçéèêëîïôœùûüÿ",
    "Spanish": "áéíñóúü",
    "Italian": "àèéìíîòóùú",
    "Portuguese": "áâãàçéêíóôõú",
    "Catalan": "àçéèíïòóúü",
    "Dutch": "áéëèêïíóöúü",
    "Danish": "æøåéóô",
    "Norwegian": "æøåéóôò",
    "Swedish": "åäöé",
    "Finnish": "åäöšž",
    "Icelandic": "áéíóúýþæöð",
    "Estonian": "äõöüšž",
    "Latvian": "āčēģīķļņšūž",
    "Lithuanian": "ąčęėįšųūž",
    "Turkish": "çğıöşüâîû",
    "Azerbaijani": "çəğıöşü",
    "Irish": "áéíóú",
    "Welsh": "âêîôûŵŷàéèïëöü",
    "Maltese": "ċġħżàèìòù",
    "Russian": "абвгдежзийклмнопрстуфхцчшщъыьэюяё",
    "Ukrainian": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "Belarusian": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "Bulgarian": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "Serbian": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "Macedonian": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "Greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
}
# A reading that needs one more language's alphabet to hold all its words loses this much
# ("Düsseldorf, Besançon" is all French letters; read as Windows-1257, "Besanēon" needs
# Latvian besides).
_PER_ALPHABET = 0.5
_CASED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "HANGUL",
                         "IDEOGRAPHIC"})
# Not glued into a word even with letters on both sides: apostrophes, the Catalan middle dot,
# hyphens and a no-break space.
_INSIDE_WORDS = frozenset("'’‘·-‐‑\u00a0")
# Categories that never touch a letter in text read right: currency (£ ¤), modifier symbols
# (˘ ¨ ´ ¸), other symbols (¦ ©), controls, unassigned, private use and surrogates.
_NEVER_BY_A_LETTER = frozenset({"Sc", "Sk", "So", "Cc", "Cn", "Co", "Cs"})
_HEBREW_FINALS = frozenset("ךםןףץ")
_SEPARATORS = frozenset(' \t\r\n,;"()[]{}<>|/\\:!?=+*&%$#@~^`')


@dataclass(frozen=True)
class Guess:
    """The encoding a sample of text was read in: the codec, its human name, and a note for
    the preview when another reading was as good."""

    codec: str
    name: str
    note: str | None = None


def human_name(codec: str) -> str:
    return NAMES.get(codec, (codec.upper(), ""))[0]


@cache
def _alphabets() -> dict[str, frozenset[str]]:
    return {language: frozenset(letters) for language, letters in ALPHABETS.items()}


@cache
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0]
    return "CJK" if script in _EAST_ASIAN else script


@cache
def _frequent() -> dict[str, dict[str, frozenset[str]]]:
    """Script -> language -> its 26 commonest letters (charset-normalizer's table)."""
    from charset_normalizer.constant import FREQUENCIES

    found: dict[str, dict[str, frozenset[str]]] = {}
    for language, letters in FREQUENCIES.items():
        if letters:
            found.setdefault(_script(letters[0]), {})[language] = frozenset(
                c.lower() for c in letters)
    return found


# The double-byte codes of the characters in everyday use, per East Asian code page: JIS
# level 1 kanji and kana (Shift_JIS), GB2312 level 1 hanzi (GBK), Big5's frequent hanzi,
# KS X 1001 hangul. A wrong reading of single-byte text lands mostly outside them.
_EVERYDAY = {
    "cp932": ((0x8140, 0x84BE), (0x889F, 0x9872)),
    "gbk": ((0xA1A1, 0xA9FE), (0xB0A1, 0xD7F9)),
    "cp950": ((0xA140, 0xA3BF), (0xA440, 0xC67E)),
    "cp949": ((0xA1A1, 0xACFE), (0xB0A1, 0xC8FE)),
}


def _everyday(char: str, codec: str) -> bool:
    try:
        code = int.from_bytes(char.encode(codec), "big")
    except UnicodeEncodeError:
        return False
    if code < 0x100:
        return True  # a single byte (half-width katakana)
    if codec in ("gbk", "cp949") and code & 0xFF < 0xA1:
        return False  # outside GB2312 and KS X 1001 (their trail bytes are A1 to FE)
    return any(low <= code <= high for low, high in _EVERYDAY.get(codec, ()))


def _word_score(word: str, codec: str, extras: set[frozenset[str]]) -> float:
    """How well a word that is not ASCII reads: -1 when it is read wrong, else the share of
    its letters that are common in its language (the best of the languages whose alphabet
    holds it), 0 for a word that tells nothing (a single letter). Adds the word's letters
    beyond ASCII to ``extras``."""
    letters = [c for c in word if c.isalpha()]
    wrong = any(not c.isprintable() and c != "\u00a0" for c in word)
    for index, char in enumerate(word):
        if char.isascii() or char.isalpha() or char in _INSIDE_WORDS:
            continue
        if unicodedata.combining(char):  # a mark: on a letter of its script
            base = word[index - 1] if index else ""
            mark_script = _script(char)
            wrong = wrong or not base.isalpha() or (
                mark_script not in ("COMBINING", _script(base)) and not base.isascii())
            wrong = wrong or (base.isascii() and mark_script != "COMBINING")
            continue
        before = index > 0 and word[index - 1].isalpha()
        after = index + 1 < len(word) and word[index + 1].isalpha()
        if (before and after) or ((before or after)
                                  and unicodedata.category(char) in _NEVER_BY_A_LETTER):
            wrong = True
    if wrong or len(letters) < 2:
        return -1.0 if wrong else 0.0
    scripts = {"LATIN" if c.isascii() else _script(c) for c in letters}
    if len(scripts) > 1:
        return -1.0
    script = scripts.pop()
    if script == "HEBREW" and any(c in _HEBREW_FINALS for c in letters[:-1]):
        return -1.0  # a final letter (ך ם ן ף ץ) inside a word
    if script == "CJK":
        wide = [c for c in letters if not c.isascii()]
        return sum(_everyday(c, codec) for c in wide) / len(wide)
    lower = [c for c in unicodedata.normalize("NFC", "".join(letters).lower())
             if c.isalpha()]
    extra = frozenset(c for c in lower if not c.isascii())
    fitting: tuple[str, ...] = ()
    if script in _CASED_SCRIPTS:
        for previous, char in itertools.pairwise(word):
            if previous.islower() and char.isupper() and not (previous + char).isascii():
                return -1.0  # "ĹÓdĹş"; "McDonald", "iPhone" and "Санкт-Петербург" are fine
        fitting = tuple(language for language, alphabet in _alphabets().items()
                        if extra <= alphabet)
        if not fitting:
            return -1.0
        extras.add(extra)
    languages = _frequent().get(script, {})
    common = [languages[language] for language in fitting if language in languages] or list(
        languages.values())
    if not common:
        return 1.0
    return max(sum(c in letters for c in lower) for letters in common) / len(lower)


def _alphabets_needed(extras: set[frozenset[str]]) -> int:
    """How many alphabets hold all these words' letters (counted greedily)."""
    left = set().union(*extras) if extras else set()
    count = 0
    while left:
        best = max(_alphabets().values(), key=lambda alphabet: len(left & alphabet))
        if not left & best:
            return count + len(left)
        left -= best
        count += 1
    return count


def plausibility(text: str, codec: str = "") -> tuple[float, int]:
    """(how well the words read, words read wrong), over the words of the text that are not
    ASCII: each word read right counts the share of its letters common in its language, less
    _PER_ALPHABET for each alphabet past the first that the words need."""
    right = 0.0
    wrong = 0
    extras: set[frozenset[str]] = set()
    word: list[str] = []
    for char in text + " ":
        if char in _SEPARATORS:
            if word:
                token = "".join(word).strip(".'’‘“”„«»–—…-")
                if token and not token.isascii():
                    score = _word_score(token, codec, extras)
                    if score < 0:
                        wrong += 1
                    else:
                        right += score
                word = []
        else:
            word.append(char)
    return right - _PER_ALPHABET * max(_alphabets_needed(extras) - 1, 0), wrong


def sample_of(data: bytes) -> bytes:
    """The lines of the data that are not ASCII (where code pages differ), up to SAMPLE."""
    if data.isascii():
        return b""
    parts: list[bytes] = []
    size = 0
    for line in data.splitlines(keepends=True):
        if not line.isascii():
            parts.append(line)
            size += len(line)
            if size >= SAMPLE:
                break
    return b"".join(parts)


def _coherence(sample: bytes) -> dict[str, float]:
    """charset-normalizer's view: the candidates it finds readable, with the coherence of
    their text in some language (0 when it finds none)."""
    from charset_normalizer import from_bytes

    found: dict[str, float] = {}
    for match in from_bytes(sample, cp_isolation=list(CANDIDATES), threshold=0.5,
                            preemptive_behaviour=False):
        codec = {"gb2312": "gbk", "cp936": "gbk", "big5": "cp950"}.get(match.encoding,
                                                                       match.encoding)
        found.setdefault(codec, match.coherence)
    return found


def guess(sample: bytes) -> Guess | None:
    """The code page the sample (lines of text that is not UTF-8) reads best in, or None when
    no candidate reads it plausibly (more of its words garbled than right)."""
    if not sample:
        return Guess("cp1252", human_name("cp1252"))
    coherence = _coherence(sample)
    # text -> (codec, rank, whether none or fewer of its words read wrong than right)
    readings: dict[str, tuple[str, tuple[float, float, int], bool]] = {}
    for order, codec in enumerate(CANDIDATES):
        # A byte that is no character in the code page counts as a word read wrong: one such
        # line in a long list does not make another code page right.
        text = sample.decode(codec, errors="replace")
        if text in readings:
            continue  # the same text as a commoner code page: one reading
        right, wrong = plausibility(text, codec)
        wrong += text.count("\ufffd")
        readings[text] = (codec, (right - 3 * wrong, coherence.get(codec, 0.0), -order),
                          wrong == 0 or right > wrong)
    ranked = sorted(readings.items(), key=lambda item: item[1][1], reverse=True)
    if not ranked or not ranked[0][1][2]:
        return None  # more of its words garbled than right in every code page
    best_text, (codec, (score, _, _), _) = ranked[0]
    note = None
    if len(ranked) > 1 and score > 0 and ranked[1][1][1][0] >= score - _CLOSE:
        note = _unsure(codec, best_text, ranked[1][1][0], ranked[1][0])
    return Guess(codec, human_name(codec), note)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;\"]+", text) if w]


def _unsure(codec: str, text: str, other: str, other_text: str) -> str:
    """The note for a tie: which encoding was used, the first place the other reads
    differently, and what to do if the names look wrong."""
    name, region = NAMES[codec]
    other_name, other_region = NAMES[other]
    ours, theirs = _words(text), _words(other_text)
    example = next(((a, b) for a, b in zip(ours, theirs, strict=False) if a != b), None)
    shown = (f' ("{example[0]}", which {other_name} would read as "{example[1]}")'
             if example else "")
    return (f"The file's encoding is not certain: it was read as {name} ({region}){shown}, "
            f"but {other_name} ({other_region}) would fit too. If names look wrong in the "
            'preview, save the file from Excel as "CSV UTF-8" and import it again.')
