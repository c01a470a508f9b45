"""One look for every report: colours, paragraph styles and the table style."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from citypartner_desktop.reports.fonts import SANS, SANS_BOLD, register

NAVY = colors.HexColor("#1F3A5F")
TEAL = colors.HexColor("#2A7F8E")
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
RULE = colors.HexColor("#B8C4D0")
ZEBRA = colors.HexColor("#F1F4F8")
BAND = colors.HexColor("#E8EEF5")
RAG_COLOURS = {
    "green": colors.HexColor("#3C9A5F"),
    "amber": colors.HexColor("#E0A526"),
    "red": colors.HexColor("#C8423B"),
}
SERIES = [colors.HexColor(c) for c in
          ("#1F3A5F", "#2A7F8E", "#E0A526", "#C8423B", "#7A5BA6", "#3C9A5F", "#8C8C8C")]

MARGIN = 18 * mm
BODY_SIZE = 9.5
TABLE_SIZE = 8.5


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register()
    body = ParagraphStyle("body", fontName=SANS, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=4)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5,
                                textColor=MUTED),
        "title": ParagraphStyle("title", parent=body, fontName=SANS_BOLD, fontSize=20,
                                leading=25, textColor=colors.white, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11.5, leading=15,
                                   textColor=colors.white, spaceAfter=0),
        "cover_meta": ParagraphStyle("cover_meta", parent=body, fontSize=8.5, leading=11,
                                     textColor=colors.HexColor("#D8E2EE"), spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=body, fontName=SANS_BOLD, fontSize=13, leading=17,
                             textColor=NAVY, spaceBefore=12, spaceAfter=5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=SANS_BOLD, fontSize=10.5, leading=14,
                             textColor=TEAL, spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=TABLE_SIZE,
                               leading=TABLE_SIZE * 1.25, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=SANS_BOLD,
                                    fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.25,
                                    spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=SANS_BOLD, fontSize=TABLE_SIZE,
                               leading=TABLE_SIZE * 1.25, textColor=colors.white,
                               spaceAfter=0),
        "none": ParagraphStyle("none", parent=body, textColor=MUTED, spaceAfter=6),
    }


def shaped(style: ParagraphStyle) -> ParagraphStyle:
    """The style with HarfBuzz shaping on (for Arabic, Hebrew, Devanagari, Thai runs)."""
    return _shaped(style.name)


@lru_cache(maxsize=32)
def _shaped(name: str) -> ParagraphStyle:
    style = styles()[name]
    return ParagraphStyle(f"{name}_shaped", parent=style, shaping=1)
