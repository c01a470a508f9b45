"""Charts drawn with ReportLab's own vector graphics: bars and lines, labels in any script."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors

from citypartner_desktop.reports import fonts
from citypartner_desktop.reports.styles import INK, MUTED, NAVY, RULE, SERIES, TEAL

LABEL_SIZE = 7.5


def label(x: float, y: float, text: str, size: float = LABEL_SIZE, anchor: str = "start",
          colour: colors.Color = INK) -> Group:
    """A chart label as one String per font run, so any script prints."""
    pieces = list(fonts.string_runs(text))
    widths = [fonts.string_width(chunk, size, font) for font, chunk in pieces]
    total = sum(widths)
    if anchor == "end":
        x -= total
    elif anchor == "middle":
        x -= total / 2
    group = Group()
    for (font, chunk), w in zip(pieces, widths, strict=True):
        group.add(String(x, y, chunk, fontName=font, fontSize=size, fillColor=colour))
        x += w
    return group


def _fit(text: str, width: float, size: float = LABEL_SIZE) -> str:
    if fonts.string_width(text, size) <= width:
        return text
    while text and fonts.string_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def horizontal_bars(items: Sequence[tuple[str, float]], width: float, *,
                    maximum: float | None = None, value_format: str = "{:,.0f}",
                    bar_height: float = 11, colour: colors.Color = NAVY) -> Drawing:
    """One bar per item, label at the left, value at the bar's end."""
    label_w = min(170.0, width * 0.38)
    bar_area = width - label_w - 40
    top = maximum or max((v for _l, v in items), default=1) or 1
    height = len(items) * (bar_height + 5) + 8
    d = Drawing(width, height)
    y = height - bar_height - 4
    for text, value in items:
        d.add(label(label_w - 6, y + 2.5, _fit(text, label_w - 8), anchor="end"))
        d.add(Rect(label_w, y, bar_area, bar_height, fillColor=colors.HexColor("#F1F4F8"),
                   strokeColor=None))
        w = bar_area * max(0.0, value) / top
        if w > 0:
            d.add(Rect(label_w, y, w, bar_height, fillColor=colour, strokeColor=None))
        d.add(String(label_w + w + 4, y + 2.5, value_format.format(value),
                     fontName=fonts.SANS, fontSize=LABEL_SIZE, fillColor=MUTED))
        y -= bar_height + 5
    return d


def column_chart(items: Sequence[tuple[str, float]], width: float, height: float = 120,
                 colour: colors.Color = TEAL) -> Drawing:
    """Vertical columns (e.g. activities per year), value above each column."""
    d = Drawing(width, height)
    bottom, top_pad, left = 16.0, 12.0, 8.0
    area_h = height - bottom - top_pad
    top = max((v for _l, v in items), default=1) or 1
    step = (width - left) / max(len(items), 1)
    col_w = min(28.0, step * 0.7)
    d.add(Line(left, bottom, width, bottom, strokeColor=RULE, strokeWidth=0.6))
    for i, (text, value) in enumerate(items):
        x = left + i * step + (step - col_w) / 2
        h = area_h * value / top
        d.add(Rect(x, bottom, col_w, h, fillColor=colour, strokeColor=None))
        d.add(String(x + col_w / 2, bottom + h + 2, f"{value:,.0f}", fontName=fonts.SANS,
                     fontSize=LABEL_SIZE - 0.5, fillColor=MUTED, textAnchor="middle"))
        d.add(label(x + col_w / 2, bottom - 10, text, LABEL_SIZE - 0.5, anchor="middle"))
    return d


def score_lines(points: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                width: float, height: float = 150, low: float = 1, high: float = 5) -> Drawing:
    """Scores over time: one line per series over the x ``points``, with a legend."""
    d = Drawing(width, height)
    left, right, bottom, legend_h = 24.0, 10.0, 28.0, 14.0
    top = height - legend_h - 6
    area_w = width - left - right
    for level in range(int(low), int(high) + 1):
        y = bottom + (level - low) / (high - low) * (top - bottom)
        d.add(Line(left, y, width - right, y, strokeColor=RULE, strokeWidth=0.4))
        d.add(String(left - 5, y - 2.5, str(level), fontName=fonts.SANS, fontSize=LABEL_SIZE,
                     fillColor=MUTED, textAnchor="end"))

    def x_of(i: int) -> float:
        return left + (area_w / 2 if len(points) == 1 else i * area_w / (len(points) - 1))

    for i, text in enumerate(points):
        d.add(String(x_of(i), bottom - 11, text, fontName=fonts.SANS, fontSize=LABEL_SIZE - 0.5,
                     fillColor=MUTED, textAnchor="middle"))
    for n, (_name, values) in enumerate(series):
        colour = SERIES[n % len(SERIES)]
        coords: list[float] = []
        for i, v in enumerate(values):
            if v is None:
                continue
            y = bottom + (v - low) / (high - low) * (top - bottom)
            coords += [x_of(i), y]
            d.add(Rect(x_of(i) - 1.6, y - 1.6, 3.2, 3.2, fillColor=colour, strokeColor=None))
        if len(coords) >= 4:
            d.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.2))
    x = left
    for n, (name, _values) in enumerate(series):
        colour = SERIES[n % len(SERIES)]
        d.add(Rect(x, height - legend_h + 2, 8, 5, fillColor=colour, strokeColor=None))
        d.add(String(x + 11, height - legend_h + 2, name, fontName=fonts.SANS,
                     fontSize=LABEL_SIZE, fillColor=INK))
        x += 16 + fonts.string_width(name, LABEL_SIZE)
    return d
