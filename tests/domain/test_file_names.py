"""Hostile attachment names come out as one safe base name inside the chosen folder."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citypartner_desktop.domain.file_names import (
    FALLBACK,
    MAX_BYTES,
    MAX_CHARS,
    is_safe_file_name,
    printable_name,
    safe_file_name,
)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\win.ini", "win.ini"),
    ("C:\\Users\\x\\a.pdf", "a.pdf"),
    ("/etc/shadow", "shadow"),
    ("\\\\server\\share\\minutes.docx", "minutes.docx"),
    ("C:a.pdf", "C_a.pdf"),  # a drive-relative path: the colon is not kept
    ("a.pdf/..", "a.pdf"),
    ("reports/", "reports"),
    ("Vertrag 京都市.pdf", "Vertrag 京都市.pdf"),  # an ordinary name is kept as it is
    (".profile", ".profile"),
    ("a\x00b\x1f\x7f\x85.pdf", "ab.pdf"),
    ("line\nbreak\u2028.txt", "linebreak.txt"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # shown as "invoiceexe.pdf" with the override
    ("\u2066a\u2069\u202a\u202b\u202c\u202d.pdf", "a.pdf"),
    ('a<b>:c"d|e?f*.pdf', "a_b__c_d_e_f_.pdf"),
    ("?.pdf", "_.pdf"),
    ("Bericht.pdf. . ", "Bericht.pdf"),
    ("  Bericht.pdf", "Bericht.pdf"),
    ("CON", "_CON"),
    ("nul.tar.gz", "_nul.tar.gz"),
    ("Com1.txt", "_Com1.txt"),
    ("LPT9 .log", "_LPT9 .log"),
    ("COM²", "_COM²"),
    ("CONOUT$", "_CONOUT$"),
    ("CONSOLE.txt", "CONSOLE.txt"),  # only the device names themselves
    ("\udcff\udcfe.pdf", "__.pdf"),  # undecodable bytes of a foreign file name
])
def test_hostile_names_are_reduced(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


@pytest.mark.parametrize("name", ["", ".", "..", "...", " ", " . ", "/", "\\", "../..", "..\\..",
                                  "\x00", "\u202e", "./."])
def test_nothing_left_is_the_fallback(name: str) -> None:
    assert safe_file_name(name) == FALLBACK


def test_long_names_are_shortened_keeping_the_extension() -> None:
    assert safe_file_name("x" * 300 + ".pdf") == "x" * (MAX_CHARS - 4) + ".pdf"
    kyoto = safe_file_name("京" * 250 + ".pdf")  # 3 bytes each: the byte limit comes first
    assert kyoto.endswith("京.pdf") and len(kyoto.encode("utf-8")) <= MAX_BYTES
    assert safe_file_name("a" * 195 + ". " + "b" * 10 + ".pdf").endswith("a.pdf")
    assert safe_file_name("y" * 300) == "y" * MAX_CHARS
    # A long "extension" is just text: the name is cut, not left too long.
    assert len(safe_file_name("a." + "z" * 300)) == MAX_CHARS


def test_safe_names_are_recognised() -> None:
    assert is_safe_file_name("Vertrag 京都市.pdf")
    assert not is_safe_file_name("../Vertrag.pdf")
    assert not is_safe_file_name("CON.pdf")


def test_printable_name_shows_what_is_hidden() -> None:
    assert printable_name("invoice\u202efdp.exe") == "invoice\\u202efdp.exe"
    assert printable_name("a\x1b[31mb") == "a\\u001b[31mb"
    assert printable_name("Łódź.pdf") == "Łódź.pdf"


# Any text, with the pieces of hostile names made common.
NAMES = st.lists(st.one_of(st.characters(), st.sampled_from(
    [".", "..", "/", "\\", ":", " ", "\x00", "\u202e", "CON", "nul", "COM1", "京", ".pdf",
     "x" * 120]))).map("".join)


@given(NAMES)
def test_any_name_stays_in_the_chosen_folder(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and safe not in (".", "..")
    assert len(safe) <= MAX_CHARS and len(safe.encode("utf-8")) <= MAX_BYTES
    assert not set(safe) & set('<>:"/\\|?*')
    assert all(unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp") for ch in safe)
    assert safe == safe.strip() and not safe.endswith(".")
    assert (PurePosixPath("/chosen") / safe).parent == PurePosixPath("/chosen")
    assert (PureWindowsPath("C:/chosen") / safe).parent == PureWindowsPath("C:/chosen")
    assert safe_file_name(safe) == safe
