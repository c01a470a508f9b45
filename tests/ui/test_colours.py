"""Colours from the palette only: no colour literal in the ui outside ui/colours.py, and every
semantic colour readable (WCAG contrast of at least 4.5:1) under a light and a dark palette,
in the module and as real widgets paint it."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

import citypartner_desktop.ui
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.pages.dashboard_page import TONE_ROLE, DashboardPage
from tests.services.monitoring_data import TODAY, build
from tests.ui.helpers import enter

UI = Path(citypartner_desktop.ui.__file__).parent
ALLOWED = {UI / "colours.py"}

# -- (a) no hard-coded colour in the ui ---------------------------------------------------------
CSS_NAMES = frozenset((
    "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black",
    "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse",
    "chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue", "darkcyan",
    "darkgoldenrod", "darkgray", "darkgreen", "darkgrey", "darkkhaki", "darkmagenta",
    "darkolivegreen", "darkorange", "darkorchid", "darkred", "darksalmon", "darkseagreen",
    "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise", "darkviolet", "deeppink",
    "deepskyblue", "dimgray", "dimgrey", "dodgerblue", "firebrick", "floralwhite", "forestgreen",
    "fuchsia", "gainsboro", "ghostwhite", "gold", "goldenrod", "gray", "green", "greenyellow",
    "grey", "honeydew", "hotpink", "indianred", "indigo", "ivory", "khaki", "lavender",
    "lavenderblush", "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan",
    "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey", "lightpink", "lightsalmon",
    "lightseagreen", "lightskyblue", "lightslategray", "lightslategrey", "lightsteelblue",
    "lightyellow", "lime", "limegreen", "linen", "magenta", "maroon", "mediumaquamarine",
    "mediumblue", "mediumorchid", "mediumpurple", "mediumseagreen", "mediumslateblue",
    "mediumspringgreen", "mediumturquoise", "mediumvioletred", "midnightblue", "mintcream",
    "mistyrose", "moccasin", "navajowhite", "navy", "oldlace", "olive", "olivedrab", "orange",
    "orangered", "orchid", "palegoldenrod", "palegreen", "paleturquoise", "palevioletred",
    "papayawhip", "peachpuff", "peru", "pink", "plum", "powderblue", "purple", "rebeccapurple",
    "red", "rosybrown", "royalblue", "saddlebrown", "salmon", "sandybrown", "seagreen", "seashell",
    "sienna", "silver", "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen",
    "steelblue", "tan", "teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white",
    "whitesmoke", "yellow", "yellowgreen"
))
QT_GLOBAL_COLOURS = frozenset((
    "white", "black", "red", "darkRed", "green", "darkGreen", "blue", "darkBlue", "cyan",
    "darkCyan", "magenta", "darkMagenta", "yellow", "darkYellow", "gray", "darkGray", "lightGray",
    "transparent", "color0", "color1"
))
HEX = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")
# A colour-taking property of a style sheet, or a colour attribute of rich text, and its value.
DECLARATION = re.compile(
    r"\b(?:[a-z-]*color|background|border(?:-[a-z]+)*|outline|fill|stroke)\s*[:=]\s*"
    r"(?:\\?[\"'])?([^;{}<>\"'\n]*)", re.IGNORECASE)
COLOUR_FUNCTION = re.compile(r"\b(?:rgba?|hsla?|hsva?)\s*\(", re.IGNORECASE)
COLOUR_CLASSES = {"QColor", "QBrush", "QPen"}
COLOUR_FACTORIES = {"fromString", "fromRgb", "fromRgbF", "fromRgba", "fromRgba64", "fromHsv",
                    "fromHsvF", "fromHsl", "fromHslF", "fromCmyk", "fromCmykF", "setNamedColor"}


def _text_problems(text: str) -> Iterator[tuple[int, str]]:
    """(offset, what) of each colour in the text of a string literal."""
    for match in HEX.finditer(text):
        yield match.start(), f"hex colour {match.group()}"
    for match in DECLARATION.finditer(text):
        value = match.group(1)
        if COLOUR_FUNCTION.search(value):
            yield match.start(), f"colour function in {match.group().strip()!r}"
        names = CSS_NAMES.intersection(re.findall(r"[a-z]+", value.lower()))
        if names:
            yield match.start(), f"colour name {sorted(names)[0]!r} in {match.group().strip()!r}"


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def colour_literals(source: str) -> list[tuple[int, str]]:
    """(line, what) of each hard-coded colour in Python source: hex colours, colour names and
    rgb()/hsl() in style sheets and rich text (string literals), QColor/QBrush/QPen made from
    a literal, QColor's factories, Qt.GlobalColor and Qt's named colours (code)."""
    found: list[tuple[int, str]] = []
    string_tokens = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in string_tokens:
            for offset, problem in _text_problems(token.string):
                found.append((token.start[0] + token.string[:offset].count("\n"), problem))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = _name(node.func)
            literal = [a for a in node.args if isinstance(a, ast.Constant)
                       and isinstance(a.value, str | int) and not isinstance(a.value, bool)]
            if called in COLOUR_CLASSES and literal:
                found.append((node.lineno, f"{called}({literal[0].value!r})"))
        if isinstance(node, ast.Attribute):
            if node.attr == "GlobalColor" or node.attr == "QColorConstants":
                found.append((node.lineno, node.attr))
            elif node.attr in QT_GLOBAL_COLOURS and _name(node.value) in ("Qt", "GlobalColor"):
                found.append((node.lineno, f"Qt.{node.attr}"))
            elif node.attr in COLOUR_FACTORIES and (_name(node.value) == "QColor"
                                                    or node.attr == "setNamedColor"):
                found.append((node.lineno, f"QColor.{node.attr}"))
        if isinstance(node, ast.Name) and node.id == "QColorConstants":
            found.append((node.lineno, node.id))
    return sorted(set(found))


def test_the_ui_takes_every_colour_from_the_palette() -> None:
    problems = [f"{path.relative_to(UI.parent.parent)}:{line}: {what}"
                for path in sorted(UI.rglob("*.py")) if path not in ALLOWED
                for line, what in colour_literals(path.read_text(encoding="utf-8"))]
    assert not problems, "colours not from ui/colours.py:\n" + "\n".join(problems)


def test_the_scan_finds_each_kind_of_hard_coded_colour() -> None:
    bad = '''\
label.setStyleSheet("color: #c62828")
html = "<span style='color:#666'>x</span>"
box.setStyleSheet("QComboBox { background: lightgreen }")
box.setStyleSheet(f"border: 1px solid red; padding: {n}px")
box.setStyleSheet("color: rgb(200, 0, 0)")
text = "<font color=gray>old</font>" + '<font color="navy">' + "<td bgcolor=\\"red\\">"
colour = QColor("#b71c1c")
colour = QColor(200, 0, 0)
brush = QBrush(Qt.GlobalColor.red)
brush = QBrush(Qt.red)
colour = QColor.fromRgb(1, 2, 3)
colour = QColorConstants.Svg.red
'''
    found = colour_literals(bad)
    assert sorted({line for line, _what in found}) == list(range(1, 13))
    assert len([line for line, _what in found if line == 6]) == 3  # gray, navy and red
    fine = '''\
# a comment may say #fff or red
label.setStyleSheet("color: palette(mid); font-weight: bold")
text = "Red &#8211; amber, item #12 of #3"
rating = {"red": "Red", "green": "Green"}
colour = QColor(colours.error_text())
brush = QBrush(swatch.background)
label.setStyleSheet(f"color: {colours.css(colours.error_text())}")
'''
    assert colour_literals(fine) == []


# -- palettes -----------------------------------------------------------------------------------
Roles = dict[QPalette.ColorRole, str]
R = QPalette.ColorRole


def _palette(roles: Roles, disabled_text: str) -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))  # every colour group
    for role in (R.WindowText, R.Text, R.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


DARK: Roles = {
    R.Window: "#2d2d2d", R.WindowText: "#ececec", R.Base: "#1e1e1e",
    R.AlternateBase: "#262626", R.Text: "#ececec", R.Button: "#353535",
    R.ButtonText: "#ececec", R.BrightText: "#ffffff", R.Highlight: "#2f65ca",
    R.HighlightedText: "#ffffff", R.Light: "#4a4a4a", R.Midlight: "#3d3d3d", R.Mid: "#262626",
    R.Dark: "#191919", R.Shadow: "#000000", R.PlaceholderText: "#8f8f8f",
    R.ToolTipBase: "#3c3c3c", R.ToolTipText: "#ececec", R.Link: "#7fb3ff",
}
PALETTES: dict[str, tuple[Roles, str]] = {
    "dark": (DARK, "#7f7f7f"),
    "black": ({**DARK, R.Window: "#000000", R.Base: "#000000", R.AlternateBase: "#101010",
               R.WindowText: "#ffffff", R.Text: "#ffffff", R.ButtonText: "#ffffff",
               R.Button: "#141414"}, "#808080"),
    "grey dark": ({**DARK, R.Window: "#4a4a4a", R.Base: "#404040", R.AlternateBase: "#454545",
                   R.Button: "#505050"}, "#999999"),
    "light": ({R.Window: "#f0f0f0", R.WindowText: "#000000", R.Base: "#ffffff",
               R.AlternateBase: "#f5f5f5", R.Text: "#000000", R.Button: "#f0f0f0",
               R.ButtonText: "#000000", R.Highlight: "#0078d7", R.HighlightedText: "#ffffff",
               R.Mid: "#a0a0a0"}, "#787878"),
    "cream": ({R.Window: "#f3ecd9", R.WindowText: "#2b2b2b", R.Base: "#fbf7ec",
               R.AlternateBase: "#f1e9d2", R.Text: "#2b2b2b", R.Button: "#e9dfc4",
               R.ButtonText: "#2b2b2b", R.Highlight: "#8c6d1f", R.HighlightedText: "#ffffff"},
              "#8a8a8a"),
}


@contextmanager
def app_palette(palette: QPalette | None) -> Iterator[None]:
    """The application's palette is ``palette`` (None: the style's own) until the end."""
    old = QPalette(QApplication.palette())
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.setPalette(palette if palette is not None else app.style().standardPalette())
    try:
        yield
    finally:
        QApplication.setPalette(old)


@pytest.fixture
def dark(qapp: object) -> Iterator[None]:
    roles, disabled = PALETTES["dark"]
    with app_palette(_palette(roles, disabled)):
        yield


# -- (b) the module: every semantic text readable on its background --------------------------
TEXTS: dict[str, tuple[Callable[[], QColor], str]] = {  # colour, and the hue it must keep
    "error": (colours.error_text, "red"), "late": (colours.late_text, "red"),
    "soon": (colours.soon_text, "amber"), "better": (colours.better_text, "green"),
    "worse": (colours.worse_text, "red"), "deleted": (colours.deleted_text, "red"),
    "muted": (colours.muted_text, ""),
}


def _has_hue(colour: QColor, hue: str) -> bool:
    r, g, b = colour.red(), colour.green(), colour.blue()
    return {"red": r > g + 40 and r > b + 40, "amber": r > b + 40 and g > b,
            "green": g > r + 20 and g > b, "": True}[hue]


def pairs() -> list[tuple[str, QColor, QColor]]:
    """(what, text, background) of every semantic colour as it is drawn."""
    found = [(f"{name} on {where}", text(), background)
             for name, (text, _hue) in TEXTS.items()
             for where, background in zip(("Window", "Base", "AlternateBase"),
                                          colours.surfaces(), strict=True)]
    swatches = {f"health {r}": colours.health(r) for r in colours.HEALTH_RATINGS}
    swatches |= {"refused row": colours.refused_row(), "review row": colours.review_row()}
    for name, swatch in swatches.items():
        assert swatch is not None
        found.append((name, swatch.text, swatch.background))
    field = colours.invalid_field()
    found.append(("invalid field", field.text, field.background))
    tile = colours.tile()
    for text_name, text in (("text", tile.text), ("alarm text", tile.alarm_text)):
        for where, background in (("background", tile.background), ("hover", tile.hover)):
            found.append((f"tile {text_name} on {where}", text, background))
    chart = colours.chart()
    found.append(("chart text", chart.text, chart.background))
    return found


def test_contrast_is_wcag_contrast() -> None:
    black, white = QColor("#000000"), QColor("#ffffff")
    assert colours.contrast(black, white) == pytest.approx(21)
    assert colours.contrast(white, white) == pytest.approx(1)
    assert colours.contrast(QColor("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert colours.contrast(QColor("#777777"), white) < 4.5
    assert colours.luminance(QColor("#808080")) == pytest.approx(0.2159, abs=1e-4)


@pytest.mark.parametrize("name", [None, *PALETTES])
def test_every_semantic_colour_is_readable(qapp: object, name: str | None) -> None:
    palette = None if name is None else _palette(*PALETTES[name])
    with app_palette(palette):
        assert colours.is_dark() == (name in ("dark", "black", "grey dark"))
        low = [f"{what}: {colours.css(text)} on {colours.css(background)} is "
               f"{colours.contrast(text, background):.2f}:1"
               for what, text, background in pairs()
               if colours.contrast(text, background) < colours.MIN_CONTRAST]
        assert not low, "\n".join(low)
        field = colours.invalid_field()
        assert colours.contrast(field.border, field.background) >= 3  # a visible frame
        lost = [n for n, (text, hue) in TEXTS.items() if not _has_hue(text(), hue)]
        assert not lost, f"no longer their hue: {lost}"


def test_the_colours_follow_the_palette_in_use(qapp: object) -> None:
    with app_palette(None):
        light = colours.error_text(), colours.tile().background
    with app_palette(_palette(*PALETTES["dark"])):
        dark = colours.error_text(), colours.tile().background
    assert light != dark
    assert colours.error_text(_palette(*PALETTES["dark"])) == dark[0]  # or from a palette given


# -- (c) real widgets, as painted -------------------------------------------------------------
def painted(widget: QWidget, inset: int = 0, rect: QRect | None = None
            ) -> tuple[QColor, QColor]:
    """(background, text) of a widget (or of ``rect`` in it) as its window paints it: the
    commonest colour of the area, and the pixel that differs most from it (the core of the
    glyphs)."""
    window = widget.window()
    QApplication.processEvents()
    rect = rect if rect is not None else widget.rect()
    area = QRect(widget.mapTo(window, rect.topLeft()), rect.size()).adjusted(
        inset, inset, -inset, -inset)
    image = window.grab(area).toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = Counter(image.pixel(x, y) for x in range(image.width())
                     for y in range(image.height()))
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    text = max((QColor.fromRgb(p) for p in pixels),
               key=lambda c: colours.contrast(c, background))
    return background, text


def assert_readable(what: str, widget: QWidget, inset: int = 0, rect: QRect | None = None
                    ) -> tuple[QColor, QColor]:
    background, text = painted(widget, inset, rect)
    ratio = colours.contrast(text, background)
    assert ratio >= colours.MIN_CONTRAST, (
        f"{what}: {text.name()} on {background.name()} is {ratio:.2f}:1")
    return background, text


def test_an_invalid_field_message_is_readable_in_dark_mode(dark: None, ctx: AppContext,
                                                           qtbot: Any) -> None:
    dialog = RecordDialog(ctx, "contact")
    qtbot.addWidget(dialog)
    dialog.show()
    enter(qtbot, dialog, "email", "anna@")
    qtbot.waitUntil(lambda: dialog.error_labels["email"].isVisible())
    window = QApplication.palette().color(R.Window)
    background, text = assert_readable("the message", dialog.error_labels["email"])
    assert background == window  # drawn on the dark window, in red
    assert _has_hue(text, "red")
    editor = dialog.editors["email"].focus_widget()
    background, _text = assert_readable("the field", editor, inset=3)
    assert background.lightness() < 128  # still a dark field, tinted
    dialog.save()
    assert dialog.banner.isVisible()
    assert_readable("the banner", dialog.banner)


def _figures_readable(page: DashboardPage) -> None:
    for key, button in page.figures.items():
        background, text = assert_readable(f"figure {key}", button, inset=4)
        assert background.lightness() < 128, key
        if key == "overdue":
            assert _has_hue(text, "red")


def _late_rows_readable(page: DashboardPage) -> None:
    table = page.actions_section.table
    items = [(r, table.item(r, 0)) for r in range(table.rowCount())]
    late = [(r, item) for r, item in items
            if item is not None and item.data(TONE_ROLE) == "late"]
    assert late
    table.clearSelection()
    for row, item in late:
        background, text = assert_readable(f"late row {row}", table.viewport(),
                                           rect=table.visualItemRect(item))
        assert background == table.palette().color(R.AlternateBase if row % 2 else R.Base)
        assert background.lightness() < 128 and _has_hue(text, "red")


def _charts_readable(page: DashboardPage) -> None:
    from PySide6.QtCharts import QChartView

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # charts drawn before
    views = page.charts_box.findChildren(QChartView)
    assert len(views) == 2
    for view in views:
        chart = view.chart()
        background = chart.backgroundBrush().color()
        assert background.lightness() < 128
        texts = [chart.titleBrush().color(), chart.legend().labelColor(),
                 *(axis.labelsColor() for axis in chart.axes())]
        for text in texts:
            assert colours.contrast(text, background) >= colours.MIN_CONTRAST, chart.title()


def test_the_dashboard_is_readable_in_dark_mode(dark: None, ctx: AppContext,
                                                qtbot: Any) -> None:
    build(ctx.db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1300, 900)
    window.show()
    page = window.dashboard
    assert page is not None
    page.today = lambda: TODAY
    with qtbot.waitSignal(page.charts_loaded, timeout=20_000):
        page.refresh()
    _figures_readable(page)
    _late_rows_readable(page)
    _charts_readable(page)


def test_the_dashboard_turns_dark_with_the_system(ctx: AppContext, qtbot: Any) -> None:
    """Built under a light palette, then the palette turns dark: tiles, rows and charts follow."""
    build(ctx.db)
    with app_palette(None):
        page = DashboardPage(ctx, today=lambda: TODAY)
        qtbot.addWidget(page)
        page.resize(1300, 900)
        page.show()
        with qtbot.waitSignal(page.charts_loaded, timeout=20_000):
            page.refresh()
        light_tile = painted(page.figures["overdue"], inset=4)[0]
        assert light_tile.lightness() >= 128
        with app_palette(_palette(*PALETTES["dark"])):
            _figures_readable(page)
            _late_rows_readable(page)
            _charts_readable(page)
