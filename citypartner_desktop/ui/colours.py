"""Semantic colours of the ui, worked out from the application's current palette.

Widgets ask here for what a colour *means* — an error, something due soon, a better or worse
score, a red/amber/green health rating, a refused import row, a dashboard tile — never for a
hex value, so the ui reads as well under a dark system palette as under a light one:

* neutral colours come from the palette's roles (Window, WindowText, Base, Text, Button,
  Highlight…), mixed where a shade in between is wanted;
* hues the palette has no role for (red, amber, green) come in a variant for light palettes
  and one for dark ones (``is_dark``: the Window colour's lightness is below 128);
* every text colour is then nudged towards black or white, if need be, until it has a WCAG
  contrast ratio of at least 4.5:1 (``MIN_CONTRAST``) against each background it is drawn on.

Everything is computed when called, from the palette in use then (or the one passed): nothing
happens at import, and a widget that outlives a palette change asks again. Only this module
names colours; tests/ui/test_colours.py fails on a colour literal anywhere else in the ui.
Style sheets and rich text take a colour as ``css(colour)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

MIN_CONTRAST = 4.5  # WCAG 2 level AA for normal text

# Hues without a palette role: (variant for a light palette, variant for a dark one).
_TEXT_HUES = {
    "red": ("#b71c1c", "#ff8a80"),
    "amber": ("#8a5300", "#ffcc80"),
    "green": ("#1b5e20", "#a5d6a7"),
}
# Mixed into the palette's Base for tinted backgrounds (rows, fields, health ratings).
_TINT_HUES = {"red": "#e53935", "amber": "#fb8c00", "green": "#43a047"}
_BLACK = "#000000"
_WHITE = "#ffffff"

Role = QPalette.ColorRole


# -- measuring and mixing ---------------------------------------------------------------------
def current_palette() -> QPalette:
    """The application's palette now (widgets that set no palette of their own use it)."""
    return QGuiApplication.palette()


def _given(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else current_palette()


def _role(palette: QPalette, role: QPalette.ColorRole) -> QColor:
    colour = QColor(palette.color(role))
    colour.setAlpha(255)  # the colours below are drawn opaque
    return colour


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette is a dark one: light text on a dark window."""
    palette = _given(palette)
    return _role(palette, Role.Window).lightness() < 128


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """``a`` with ``share`` (0 to 1) of ``b`` mixed in."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * share,
                           a.greenF() + (b.greenF() - a.greenF()) * share,
                           a.blueF() + (b.blueF() - a.blueF()) * share)


def readable(colour: QColor, *backgrounds: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """``colour``, or the least changed mix of it with black or white that has at least
    ``minimum`` contrast against every one of ``backgrounds`` (black or white itself, which
    ever does better, when no mix does)."""

    def worst(c: QColor) -> float:
        return min(contrast(c, b) for b in backgrounds)

    if worst(colour) >= minimum:
        return colour
    black, white = QColor(_BLACK), QColor(_WHITE)
    target = black if worst(black) >= worst(white) else white
    for step in range(1, 21):
        candidate = mix(colour, target, step / 20)
        if worst(candidate) >= minimum:
            return candidate
    return target


def css(colour: QColor) -> str:
    """The colour as style sheets and rich text take it: ``#rrggbb``."""
    return colour.name()


def surfaces(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """The backgrounds text is drawn on: windows and labels (Window), lists, tables and fields
    (Base) and their alternate rows (AlternateBase)."""
    palette = _given(palette)
    return (_role(palette, Role.Window), _role(palette, Role.Base),
            _role(palette, Role.AlternateBase))


# -- text on the usual backgrounds --------------------------------------------------------------
def _hue_text(hue: str, palette: QPalette | None) -> QColor:
    palette = _given(palette)
    light, dark = _TEXT_HUES[hue]
    return readable(QColor(dark if is_dark(palette) else light), *surfaces(palette))


def error_text(palette: QPalette | None = None) -> QColor:
    """Messages about what is wrong: invalid fields, refused input, failures."""
    return _hue_text("red", palette)


def late_text(palette: QPalette | None = None) -> QColor:
    """Overdue, or missed: deadlines, actions and evaluations late, alarming figures."""
    return _hue_text("red", palette)


def soon_text(palette: QPalette | None = None) -> QColor:
    """Due soon (today): a warning, not yet late."""
    return _hue_text("amber", palette)


def better_text(palette: QPalette | None = None) -> QColor:
    """A score or figure that went up (good trend)."""
    return _hue_text("green", palette)


def worse_text(palette: QPalette | None = None) -> QColor:
    """A score or figure that went down (bad trend)."""
    return _hue_text("red", palette)


def deleted_text(palette: QPalette | None = None) -> QColor:
    """The "(deleted)" marker of a record in the recycle bin."""
    return _hue_text("red", palette)


def muted_text(palette: QPalette | None = None) -> QColor:
    """Secondary text (field names beside values, "nothing here" notes, statuses): between
    the text and the window colour, yet still readable."""
    palette = _given(palette)
    text, window = _role(palette, Role.WindowText), _role(palette, Role.Window)
    return readable(mix(text, window, 0.4), *surfaces(palette))


# -- backgrounds with the text drawn on them ----------------------------------------------------
@dataclass(frozen=True)
class Swatch:
    """A background and the text colour readable on it."""

    background: QColor
    text: QColor

    def style(self) -> str:
        """The pair as style sheet declarations."""
        return f"background: {css(self.background)}; color: {css(self.text)};"


def _tinted(hue: str, light_share: float, dark_share: float,
            palette: QPalette | None) -> Swatch:
    palette = _given(palette)
    dark = is_dark(palette)
    background = mix(_role(palette, Role.Base), QColor(_TINT_HUES[hue]),
                     dark_share if dark else light_share)
    return Swatch(background, readable(_role(palette, Role.Text), background))


HEALTH_RATINGS = ("green", "amber", "red")


def health(rating: str, palette: QPalette | None = None) -> Swatch | None:
    """The background of a red/amber/green health rating (None for another value)."""
    if rating not in HEALTH_RATINGS:
        return None
    return _tinted(rating, 0.3, 0.35, palette)


def refused_row(palette: QPalette | None = None) -> Swatch:
    """A row that will not be imported (import preview)."""
    return _tinted("red", 0.15, 0.3, palette)


def review_row(palette: QPalette | None = None) -> Swatch:
    """A row that will be imported but should be checked (import preview)."""
    return _tinted("amber", 0.15, 0.3, palette)


@dataclass(frozen=True)
class InvalidField:
    """An input field whose value was refused: a red border and a faint red background."""

    border: QColor
    background: QColor
    text: QColor

    def style(self) -> str:
        return (f"border: 1px solid {css(self.border)}; background: {css(self.background)};"
                f" color: {css(self.text)};")


def invalid_field(palette: QPalette | None = None) -> InvalidField:
    swatch = _tinted("red", 0.05, 0.15, palette)
    return InvalidField(readable(error_text(palette), swatch.background, minimum=3.0),
                        swatch.background, swatch.text)


@dataclass(frozen=True)
class Tile:
    """A dashboard figure: a framed button, a little lighter (or darker) than the window."""

    border: QColor
    background: QColor
    hover: QColor
    text: QColor
    alarm_text: QColor  # for a figure that needs attention (overdue, to review…)


def tile(palette: QPalette | None = None) -> Tile:
    palette = _given(palette)
    window, base = _role(palette, Role.Window), _role(palette, Role.Base)
    background = mix(window, base, 0.6)
    hover = mix(background, _role(palette, Role.Highlight), 0.1)
    border = mix(window, _role(palette, Role.WindowText), 0.2)
    red = QColor(_TEXT_HUES["red"][1 if is_dark(palette) else 0])
    return Tile(border, background, hover,
                readable(_role(palette, Role.ButtonText), background, hover),
                readable(red, background, hover))


@dataclass(frozen=True)
class ChartColours:
    """The colours of a chart drawn on the palette's Base: QtCharts' dark or light theme
    gives the series, these the rest."""

    dark: bool
    background: QColor
    text: QColor
    grid: QColor


def chart(palette: QPalette | None = None) -> ChartColours:
    palette = _given(palette)
    base = _role(palette, Role.Base)
    return ChartColours(is_dark(palette), base, readable(_role(palette, Role.Text), base),
                        mix(base, _role(palette, Role.Text), 0.2))
