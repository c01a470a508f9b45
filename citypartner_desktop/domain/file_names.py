"""Attachment file names reduced to one safe base name, and names shown safely in messages.

A stored name comes from elsewhere (a file picked on another system, an archive, a visit pack)
and goes back out as a file in a folder the user chose, so it must never be a path ("../x",
"C:\\x"), a Windows device (CON, NUL), something Windows refuses (":", trailing dots) or text
that hides what it is (control characters, right-to-left overrides that turn "txt.exe" into
"exe.txt" on screen). Pure: no file system is asked.
"""

from __future__ import annotations

import re
import unicodedata

FALLBACK = "attachment"
MAX_CHARS = 200
# File systems count a name in bytes (ext4, 255) or UTF-16 units (NTFS, 255); UTF-8 is never
# shorter than UTF-16, so 255 UTF-8 bytes fits both (200 CJK characters would not).
MAX_BYTES = 255
_MAX_EXTENSION = 16  # ".pdf", ".docx", ".tar.gz" ends; longer "extensions" are just text

# Text direction controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069).
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Control characters (C0, DEL, C1), line and paragraph separators: dropped.
_DROPPED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
# Characters Windows refuses in a name (both separators among them), and surrogates left by
# undecodable bytes of a foreign file name (they cannot be encoded): replaced by "_".
_RESERVED = frozenset('<>:"/\\|?*')
_SEPARATORS = re.compile(r"[\\/]")
# Windows opens the device, not a file, for these names whatever the extension ("nul.txt").
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")})


def _hidden(ch: str) -> bool:
    """A character that must not reach a file name or a terminal as it is."""
    return ch in _BIDI or unicodedata.category(ch) in _DROPPED_CATEGORIES


def _cleaned(part: str) -> str:
    return "".join(
        "_" if ch in _RESERVED or unicodedata.category(ch) == "Cs" else ch
        for ch in part if not _hidden(ch))


def _trimmed(part: str) -> str:
    """Without blanks at either end or dots at the end: Windows drops trailing dots and spaces
    ("a.pdf." is "a.pdf"), other blanks only hide what the name is. A loop, not a regular
    expression, so that a huge name costs linear time."""
    end = len(part)
    while end and (part[end - 1] == "." or part[end - 1].isspace()):
        end -= 1
    return part[:end].lstrip()


def _fits(name: str) -> bool:
    return len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES


def _shortened(name: str) -> str:
    """At most MAX_CHARS characters and MAX_BYTES bytes, keeping a short extension."""
    if _fits(name):
        return name
    stem, dot, extension = name.rpartition(".")
    ending = dot + extension
    if not stem or len(ending) > _MAX_EXTENSION:
        stem, ending = name, ""
    stem = stem[:MAX_CHARS - len(ending)]
    while stem and not _fits(stem + ending):  # then a character at a time to the byte limit
        stem = stem[:-1]
    stem = _trimmed(stem)  # a cut can leave "name. " before the extension
    return (stem or FALLBACK) + ending


def safe_file_name(name: str) -> str:
    """``name`` reduced to a base name that is safe to create in any folder on Windows,
    macOS and Linux: the last part of a path of either separator, without control or
    direction characters, Windows-reserved characters as "_", no trailing dots or spaces,
    a device name prefixed with "_", shortened keeping its extension; never empty, "."
    or ".." (then "attachment")."""
    parts = [p for p in _SEPARATORS.split("".join(ch for ch in name if not _hidden(ch)))
             if _trimmed(p)]
    base = _trimmed(_cleaned(parts[-1] if parts else ""))
    if not base:
        return FALLBACK
    if base.split(".", 1)[0].rstrip(" ").upper() in _DEVICES:
        base = "_" + base
    return _shortened(base)


def is_safe_file_name(name: str) -> bool:
    return safe_file_name(name) == name


def printable_name(name: str) -> str:
    """``name`` for a message or a log: control, direction and undecodable characters
    written as escapes (\\u202e), so a terminal shows what the name really holds."""
    return "".join(
        f"\\u{ord(ch):04x}" if _hidden(ch) or unicodedata.category(ch) == "Cs" else ch
        for ch in name)
