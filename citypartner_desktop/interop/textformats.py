"""What vCard (RFC 6350) and iCalendar (RFC 5545) share: text escaping and line folding.

Both write one property per line, ``NAME;PARAM=…:value``, lines of at most 75 octets folded
with CRLF and one space, and escape backslash, comma, semicolon and newline in text values.
"""

from __future__ import annotations

from collections.abc import Iterator

from citypartner_desktop.interop.cells import printable

_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
_UNESCAPES = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}


def escape(text: str) -> str:
    text = printable(text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def unescape(text: str) -> str:
    out: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            following = next(chars, "")
            out.append(_UNESCAPES.get(following, following))
        else:
            out.append(ch)
    return "".join(out)


def split_escaped(value: str, separator: str) -> list[str]:
    """Split a structured value at unescaped separators (the parts stay escaped)."""
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def fold(line: str, limit: int = 75) -> str:
    """Fold at ``limit`` octets without splitting a character; CRLF line ends."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n".join(pieces) + "\r\n"


def unfolded_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, logical line) with folded continuations joined."""
    current: str | None = None
    start = 0
    for index, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                                start=1):
        if raw.startswith((" ", "\t")) and current is not None:
            current += raw[1:]
            continue
        if current is not None:
            yield start, current
        current, start = raw, index
    if current:
        yield start, current


def split_property(line: str) -> tuple[str, dict[str, str], str]:
    """``NAME;PARAM=x:value`` -> (NAME upper-cased without group, params, raw value)."""
    head, _sep, value = _split_unquoted_colon(line)
    name, *params = head.split(";")
    name = name.rsplit(".", 1)[-1].upper()  # "item1.EMAIL" groups
    parsed: dict[str, str] = {}
    for param in params:
        key, _eq, val = param.partition("=")
        parsed[key.upper()] = val.strip('"')
    return name, parsed, value


def _split_unquoted_colon(line: str) -> tuple[str, str, str]:
    quoted = False
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:index], ":", line[index + 1:]
    return line, "", ""
