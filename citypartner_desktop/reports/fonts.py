"""The fonts shipped in resources/fonts, and choosing per character one that has the glyph.

No single font covers Łódź, Київ, Αθήνα, القاهرة and 京都市, so a run of text is split into
runs by the first font (in ``FALLBACKS`` order) whose character map holds each character;
characters every font has (spaces, digits, punctuation) stay with the run they are in.
ReportLab embeds only the glyphs used (subsets), so the five megabytes of fonts cost a PDF
a few kilobytes each.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from citypartner_desktop.paths import resource_path

SANS = "CPSans"
SANS_BOLD = "CPSans-Bold"
# After the body font, in the order they are tried. The last one is the widest net (CJK).
FALLBACKS: tuple[tuple[str, str], ...] = (
    ("CPArabic", "NotoSansArabic-Regular.ttf"),
    ("CPHebrew", "NotoSansHebrew-Regular.ttf"),
    ("CPArmenian", "NotoSansArmenian-Regular.ttf"),
    ("CPGeorgian", "NotoSansGeorgian-Regular.ttf"),
    ("CPThai", "NotoSansThai-Regular.ttf"),
    ("CPDevanagari", "NotoSansDevanagari-Regular.ttf"),
    ("CPHangul", "CityPartnerHangulSans-Regular.ttf"),
    ("CPCJK", "DroidSansFallbackFull.ttf"),
)
BODY_FILES = {SANS: "NotoSans-Regular.ttf", SANS_BOLD: "NotoSans-Bold.ttf"}
# Scripts whose letters change shape or order with their neighbours: these runs are shaped
# with HarfBuzz (uharfbuzz), which also puts right-to-left letters in visual order.
SHAPED_FONTS = frozenset({"CPArabic", "CPHebrew", "CPDevanagari", "CPThai"})
RTL_FONTS = frozenset({"CPArabic", "CPHebrew"})

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the shipped fonts with ReportLab once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, file in (*BODY_FILES.items(), *FALLBACKS):
            font = TTFont(name, str(resource_path(f"fonts/{file}")))
            # Shaping costs time: only paragraphs holding a shaped script ask for it (the
            # body font must allow it too, as ReportLab asks the paragraph's own font).
            font.shapable = name in SHAPED_FONTS or name in BODY_FILES
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS,
                                      boldItalic=SANS_BOLD)
        for name, _file in FALLBACKS:
            # No bold cut ships for these: bold text (a title) uses the regular one rather
            # than a font without the script.
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                          boldItalic=name)
        _registered = True


def _has(font_name: str, ch: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    return ord(ch) in font.face.charToGlyph


@lru_cache(maxsize=8192)
def font_for(ch: str, base: str = SANS) -> str | None:
    """The font that draws ``ch``: the base font if it can, else the first fallback that
    can; None when none can (the caller keeps the base font, and ``missing`` reports it)."""
    register()
    if _has(base, ch):
        return base
    for name, _file in FALLBACKS:
        if _has(name, ch):
            return name
    return None


def _neutral(ch: str) -> bool:
    """Spaces and punctuation go with the run around them (every font has them)."""
    return unicodedata.category(ch)[0] in "ZP" or ch in "-–—'’"


def runs(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """``text`` cut into (font name, text) runs, each drawable by its font.

    Punctuation joins the run of the word it belongs to: a word is shaped with one font, so
    "(תל" must not start in the Latin font."""
    fonts = [font_for(ch, base) or base for ch in text]
    current = base
    for i, ch in enumerate(text):
        if not _neutral(ch):
            current = fonts[i]
            continue
        following = next((fonts[j] for j in range(i + 1, len(text))
                          if not _neutral(text[j]) or text[j] == " "), None)
        if ch != " " and following in SHAPED_FONTS and _has(following, ch):
            fonts[i] = following
        elif _has(current, ch):
            fonts[i] = current
    found: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or fonts[i] != fonts[start]:
            found.append((fonts[start], text[start:i]))
            start = i
    return found


def missing(text: str) -> set[str]:
    """Characters of ``text`` (other than controls) that no shipped font can draw."""
    return {ch for ch in text if ch.isprintable() and not ch.isspace() and font_for(ch) is None}


def is_plain(text: str, base: str = SANS) -> bool:
    """True when the base font draws all of ``text`` (a fast path: most cells are plain)."""
    return text.isascii() or all(font_for(ch, base) == base for ch in set(text))


def needs_shaping(text: str) -> bool:
    return any(font_for(ch) in SHAPED_FONTS for ch in set(text) if not ch.isascii())


def _visual_words(text: str) -> str:
    """Right-to-left words in right-to-left order. HarfBuzz shapes each word and puts its
    letters in visual order, but ReportLab lays the words out left to right; for a run that
    is wholly right-to-left (a name: תל אביב-יפו) reversing the words is the whole bidi
    algorithm. Mixed-direction sentences are not reordered (see the README)."""
    words = text.split(" ")
    return " ".join(reversed(words))


def markup(text: str, base: str = SANS) -> str:
    """Paragraph markup of ``text`` with each non-base run in a <font> of its own."""
    parts: list[str] = []
    found = runs(text, base)
    for i, (font, chunk) in enumerate(found):
        if font in RTL_FONTS:
            chunk = _visual_words(chunk.strip()).join(_edges(chunk))
        piece = escape(chunk).replace("\n", "<br/>")
        if i and _glued(found[i - 1], (font, chunk)):
            # ReportLab shapes a word with the font of its first letter: a shaped run glued
            # to another font's run ("(תל") is made two words (a space more, every glyph
            # right). Zero-width spaces do not split words for shaping.
            parts.append(" ")
        parts.append(piece if font == base else f'<font name="{font}">{piece}</font>')
    return "".join(parts)


def _glued(before: tuple[str, str], after: tuple[str, str]) -> bool:
    if SHAPED_FONTS.isdisjoint((before[0], after[0])):
        return False
    return not before[1][-1:].isspace() and not after[1][:1].isspace()


def _edges(chunk: str) -> tuple[str, str]:
    left = chunk[: len(chunk) - len(chunk.lstrip())]
    right = chunk[len(chunk.rstrip()):]
    return left, right


def string_runs(text: str, base: str = SANS) -> Iterator[tuple[str, str]]:
    """Runs for drawing on a canvas or in a chart (right-to-left runs in visual order)."""
    for font, chunk in runs(text, base):
        if font in RTL_FONTS:
            chunk = _visual_words(chunk.strip()).join(_edges(chunk))
        yield font, chunk


def string_width(text: str, size: float, base: str = SANS) -> float:
    return float(sum(pdfmetrics.stringWidth(chunk, font, size)
                     for font, chunk in string_runs(text, base)))
