"""Contacts read from vCards as other programs write them (2.1, 3.0, 4.0); ``vcard_write``
writes them.

Reading (``read_vcards``) gives one row per card for the contacts importer (COLUMNS), so a .vcf
file goes through the same preview, matching and checks as a spreadsheet. The syntax is read by
vobject: logical lines (unfolding, and vCard 2.1's quoted-printable soft line breaks: its
``getLogicalLines`` and the expressions behind it) and content lines (group, name, parameters,
2.1's bare parameters: ``parseLine``). What the values mean is read here, per version, because
vobject's own value decoding (``readComponents``) is vCard 3.0's: it would cut a 2.1 NOTE at its
first (unescaped) comma, split an ORG "Smith, Jones & Co" into two, and read a 2.1 backslash as
an escape. Around vobject, only this, each for a reason:

- the bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM; any other file is read line by
  line, a property that names its CHARSET in that charset and the rest as Windows-1252 (how
  Outlook saves 2.1 cards). Quoted-printable bytes are decoded in the property's CHARSET, else
  as UTF-8, else in the file's charset (vobject's ContentLine raises on an Outlook NOTE in
  Windows-1252 without a CHARSET);
- line ends: LF after any number of CRs (iPhone cards saved once more on Windows end in
  CR CR LF), or CR in a file without LF; a lone CR in a file with LFs is part of a value
  (Thunderbird writes a custom field's CR as it is). Without quoted-printable, lines are
  unfolded here, as vobject's expression would break at such a CR;
- quoted-printable soft line breaks are read (vobject's ``allowQP``) only in files that have a
  quoted-printable property: in that mode vobject ends a logical line at a continuation line of
  spaces only. Line numbers are counted here: vobject's count each line twice without
  ``allowQP`` and are one too low after a blank line with it;
- each line's head (group, name, parameters) is checked with a linear expression before vobject
  parses it: vobject's own expression takes exponential time on some malformed lines;
- base64 lines of a 2.1 PHOTO (or LOGO, SOUND, KEY) that are not indented are skipped.

The row: ``full_name`` is FN as written; when FN is empty or missing it is built from N:
given, middle and family names, with a suffix, in that order; the family name comes first —
as N has it — when a name part is written in Han, Hiragana, Katakana or Hangul (then without
spaces, as those names are written: 王小明, 山田花子, 김민준), or when the card's language (its
first LANG, or a LANGUAGE parameter on N or FN) is Chinese, Japanese, Korean or Vietnamese
(then with spaces: "Nguyễn Văn An"). A Vietnamese name written in Latin letters on a card
without such a language is built given name first; its FN, when there is one, is always kept
as written, whatever its order. Without FN or N, NICKNAME or else the organisation is the name,
and without those the preferred e-mail address (cards of an address only, as Android and Gmail
export the people one wrote to). ``first_name`` is the given and middle names, ``last_name``
the family name, ``title`` the honorific prefix. ORG's first unit is the organisation, the
others the department; TITLE (or ROLE when there is no TITLE) the position; LANG the
languages; CATEGORIES the tags; UID (without "urn:uuid:") the card's UID; NOTEs the notes.

Each EMAIL, TEL, ADR and URL becomes a ``Detail`` (``details``) with its label (work, home,
mobile for CELL, fax for FAX, other; an Apple-style ``itemN.X-ABLabel`` in its group, or a
type of the card's own, kept as written) and one preferred per kind (TYPE=pref, a bare 2.1
PREF, or the lowest PREF=n). An address's street holds ADR's street, extended address and post
office box, in that order. The ``email`` column is the preferred or first e-mail; ``phone`` the
preferred, else the first that is not a fax, else the first; ``city`` and ``country`` come from
the preferred address, else the first work address (the office keeps people's work places),
else the first. A phone keeps its extension (``tel:…;ext=56`` and ``;ext=56`` read as
" ext. 56"; "x56" stays as written). Whatever else a card holds (PHOTO, BDAY, IMPP, …) is named
in one of the table's notes.
"""

from __future__ import annotations

import binascii
import codecs
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import vobject.base

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.source_table import FileRefused, SourceRow, SourceTable
from citypartner_desktop.interop.textformats import split_escaped

# The columns a card becomes (names the contacts import matches by themselves); every cell is
# text but ``details``, a list of Detail.
COLUMNS = ("full_name", "first_name", "last_name", "title", "position", "organisation",
           "department", "email", "phone", "languages", "city", "country", "notes", "tags",
           "card_uid", "details")


# ---------------------------------------------------------------------------------- reading


def read_vcards(data: bytes, name: str) -> SourceTable:
    """A .vcf file as a table with the COLUMNS headers, one row per card (the row's line is
    its BEGIN:VCARD line). Raises FileRefused, naming the line, for a file that is not one."""
    text, encoding, fallback = _decoded(data)
    cards = _parsed(text, name, fallback)
    if not cards:
        raise FileRefused(f"{name} holds no vCard (BEGIN:VCARD … END:VCARD).")
    rows, not_kept, named_by = [], Counter[str](), Counter[str]()
    for raw in cards:
        values, dropped, by = _row(raw)
        not_kept.update(dropped)
        if by:
            named_by[by] += 1
        rows.append(SourceRow(raw.line, tuple(values[c] for c in COLUMNS)))
    notes = []
    if encoding != "UTF-8" and encoding != "UTF-16":
        notes.append(f"Read as {encoding}: the file is not UTF-8.")
    for by, what in (("org", "organisation"), ("email", "e-mail address")):
        if named_by[by]:
            notes.append(f"No name on {_cards_count(named_by[by])}: the {what} is used as the "
                         "name.")
    if not_kept:
        notes.append("Not kept: " + ", ".join(f"{prop} ({_cards_count(count)})"
                                              for prop, count in not_kept.items()))
    return SourceTable(name, COLUMNS, tuple(rows), encoding, None, tuple(notes), "vCard")


def parse_cards(text: str, name: str = "cards.vcf") -> list[tuple[int, dict[str, Any]]]:
    """(line of BEGIN:VCARD, values keyed as COLUMNS) for each card of a text."""
    return [(raw.line, _row(raw)[0]) for raw in _parsed(text, name, "cp1252")]


def _cards_count(count: int) -> str:
    return f"{count:,} card" + ("" if count == 1 else "s")


# --- bytes to text

_CHARSET = re.compile(rb'^[^:\r\n]*?;\s*CHARSET\s*=\s*"?([A-Za-z0-9_.-]+)"?\s*[;:]', re.I)


def _decoded(data: bytes) -> tuple[str, str, str]:
    """(text, what it was read as, the codec for quoted-printable bytes without a CHARSET)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16", "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8", "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Outlook's 2.1 cards, in the Windows code page; a property may name its own.
    lines, charset = [], "cp1252"
    for raw in data.splitlines(keepends=True):
        if not raw.startswith((b" ", b"\t")):
            match = _CHARSET.match(raw)
            charset = match[1].decode("ascii") if match else "cp1252"
        lines.append(_bytes_text(raw, (charset, "cp1252")))
    return "".join(lines), "Windows-1252", "cp1252"


def _bytes_text(raw: bytes, charsets: Sequence[str]) -> str:
    for charset in charsets:
        try:
            return raw.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("cp1252", errors="replace")


# --- text to cards of properties


@dataclass
class _Prop:
    name: str  # upper case, without its group
    group: str  # lower case; "" for none
    params: dict[str, list[str]]  # upper-case names
    bare: list[str]  # vCard 2.1 parameters without a name (TEL;WORK;PREF:)
    value: str  # decoded from quoted-printable, still escaped
    line: int

    def types(self) -> list[str]:
        found = [t.strip() for v in self.params.get("TYPE", []) for t in v.split(",")]
        return [t for t in found + self.bare if t]

    def param(self, key: str) -> str:
        return next(iter(self.params.get(key, [])), "")


@dataclass
class _Card:
    line: int
    version: str = "3.0"
    props: list[_Prop] = field(default_factory=list)


# The head of a content line (group, name, parameters) up to its value's colon. vobject's own
# expression backtracks exponentially on some malformed lines; this one cannot (possessive).
_HEAD = re.compile(r'(?:[A-Za-z0-9_-]++\.)?+[A-Za-z0-9_-]++(?:;[A-Za-z0-9_-]++'
                   r'(?:=(?:"[^"]*+"|[^";:,]*+))?+(?:,(?:"[^"]*+"|[^";:,]*+))*+)*+:')
_QP_PROPERTY = re.compile(r"^[A-Za-z0-9_.-]+;[^:\n]*\bQUOTED-PRINTABLE\b", re.I | re.M)
_BASE64_DATA = re.compile(r"[A-Za-z0-9+/=]+")


def _parsed(text: str, name: str, fallback: str) -> list[_Card]:
    text = _newlines(text)
    cards: list[_Card] = []
    current: _Card | None = None
    base64 = False  # the last property was base64 data (its unindented lines are skipped)
    for logical, number in _logical_lines(text):
        if not _HEAD.match(logical):
            if base64 and _BASE64_DATA.fullmatch(logical.strip()):
                continue
            shown = logical.strip()[:60]
            raise FileRefused(f"{name} line {number}: this cannot be read as a vCard property "
                              f"(NAME:value): “{shown}”.")
        try:
            prop = _content_line(logical, number, fallback)
        except vobject.base.ParseError:
            raise FileRefused(f"{name} line {number}: this cannot be read as a vCard property "
                              f"(NAME:value): “{logical.strip()[:60]}”.") from None
        base64 = any(v.upper() in ("B", "BASE64") for v in prop.params.get("ENCODING", [])) \
            or any(b.upper() == "BASE64" for b in prop.bare)
        is_vcard = prop.value.strip().upper() == "VCARD"
        if prop.name == "BEGIN":
            if current is not None:
                raise FileRefused(f"{name} line {number}: a card begins before the card of "
                                  f"line {current.line} has ended (END:VCARD is missing).")
            if not is_vcard:
                raise FileRefused(f"{name} line {number}: this is a {prop.value.strip()[:30]}"
                                  ", not a vCard (BEGIN:VCARD … END:VCARD).")
            current = _Card(number)
            continue
        if current is None:
            raise FileRefused(f"{name} line {number}: this is outside any card "
                              "(BEGIN:VCARD … END:VCARD).")
        if prop.name == "END":
            if not is_vcard:
                raise FileRefused(f"{name} line {number}: END:{prop.value.strip()[:30]} ends "
                                  f"nothing; the card of line {current.line} is still open.")
            cards.append(current)
            current = None
        elif prop.name == "VERSION":
            current.version = prop.value.strip()
        else:
            current.props.append(prop)
    if current is not None:
        raise FileRefused(f"{name}: the card of line {current.line} never ends "
                          "(END:VCARD is missing).")
    return cards


# A line break: LF after any number of CRs (CR CR LF is CR LF saved once more in text mode on
# Windows, as iPhone cards mailed to a PC are).
_LINE_BREAK = re.compile(r"(?<!\r)\r*+\n")  # from a run's first CR: linear
_LOGICAL_LINE = re.compile(r"(?:[^\n]|\n[\t ])*(?:\n|$)")
_FOLD = re.compile(r"\n[\t ]|\n$")


def _newlines(text: str) -> str:
    """Line breaks as LF: CR LF, CR CR LF and LF, or CR alone in a file without LF (a classic
    Mac OS file). In a file with LFs a lone CR is part of a value (Thunderbird writes a CR of
    a custom field as it is), not a line break."""
    if "\n" not in text:
        return text.replace("\r", "\n")
    return _LINE_BREAK.sub("\n", text)


class _CountedLines:
    """A text read line by line, the lines read so far counted."""

    def __init__(self, text: str) -> None:
        self._stream = io.StringIO(text)
        self.count = 0
        self.ended = False

    def readline(self) -> str:
        line = self._stream.readline()
        if line:
            self.count += 1
        else:
            self.ended = True
        return line


def _logical_lines(text: str) -> Iterator[tuple[str, int]]:
    """(logical line, number of its first line) as vobject unfolds them; quoted-printable
    soft line breaks are read only in a file with a quoted-printable property. vobject's own
    line numbers are wrong (each line counts twice without quoted-printable; after a blank
    line, one too low with it), so they are counted here."""
    if not _QP_PROPERTY.search(text):
        number, at = 1, 0
        for match in _LOGICAL_LINE.finditer(text):  # vobject's expression breaks at a CR too
            number += text.count("\n", at, match.start())
            at = match.start()
            line = _FOLD.sub("", match.group())
            if line:
                yield line, number
        return
    physical = text.split("\n")
    stream = _CountedLines(text)
    end = 0  # the last line of the logical line before
    for line, _wrong in vobject.base.getLogicalLines(stream, True):
        start = end + 1
        while start < len(physical) and not physical[start - 1].strip():
            start += 1
        # A logical line is given out when the line after it has been read, or at the end.
        end = stream.count if stream.ended else stream.count - 1
        yield line, start


def _content_line(logical: str, number: int, fallback: str) -> _Prop:
    """The line as vobject parses it (group, name, parameters, value), its quoted-printable
    value decoded in its CHARSET, else as UTF-8, else in the file's charset. (vobject's
    ContentLine decodes in the CHARSET or UTF-8 only, and raises for other bytes.)"""
    name, params, value, group = vobject.base.parseLine(logical, number)
    named: dict[str, list[str]] = {}
    bare: list[str] = []
    quoted_printable = False
    for param in params:
        words = [str(p) for p in param]
        if [w.upper() for w in words] in (["QUOTED-PRINTABLE"], ["ENCODING", "QUOTED-PRINTABLE"]):
            quoted_printable = True
        elif len(words) == 1:  # vCard 2.1: TEL;WORK;PREF
            bare.append(words[0])
        else:
            named.setdefault(words[0].upper(), []).extend(words[1:])
    text = str(value)
    if quoted_printable:
        text = _bytes_text(binascii.a2b_qp(text.encode("utf-8")),
                           [*named.get("CHARSET", [])[:1], "utf-8", fallback])
    return _Prop(str(name).upper(), str(group or "").lower(), named, bare, text, number)


# --- a card to a row

_SILENT = {"PRODID", "REV", "X-ABLABEL", "X-ABADR"}  # about the file, or read with the group
_ONE_OF = ("FN", "N", "ORG", "TITLE", "UID")  # a second one is named as not kept
_DETAIL_KINDS = {"EMAIL": "email", "TEL": "phone", "ADR": "address", "URL": "web"}
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
                  "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
                  "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")
_FAMILY_FIRST_LANGUAGES = ("zh", "ja", "ko", "vi")


def _row(raw: _Card) -> tuple[dict[str, Any], list[str], str]:
    """The card's cells, the properties it held that are not kept, and what it is named by
    when it has no name of its own: "org" (its organisation), "email" (its e-mail address, as
    Android and Gmail export the addresses a user wrote to), else ""."""
    v21 = raw.version.startswith("2")
    found: dict[str, list[_Prop]] = {}
    for prop in raw.props:
        found.setdefault(prop.name, []).append(prop)
    groups: dict[str, list[_Prop]] = {}
    for prop in raw.props:
        if prop.group:
            groups.setdefault(prop.group, []).append(prop)

    def text(prop: _Prop) -> str:
        return _clean(_unescape(prop.value, v21))

    def first(key: str) -> _Prop | None:
        return next(iter(found.get(key, [])), None)

    dropped: list[str] = []
    kept = {"FN", "N", "ORG", "TITLE", "ROLE", "UID", "NOTE", "CATEGORIES", "LANG",
            *_DETAIL_KINDS}
    for key, props in found.items():
        if key in _ONE_OF and len(props) > 1:
            dropped.append(f"a second {key}")
        elif key not in kept and key not in _SILENT:
            if key == "KIND" and text(props[0]).lower() == "individual":
                continue
            if key == "LABEL" and "ADR" in found:
                continue  # the formatted text of an ADR
            dropped.append(key)

    values: dict[str, Any] = {c: "" for c in COLUMNS}
    named_by = ""
    fn = first("FN")
    values["full_name"] = text(fn) if fn else ""
    n = first("N")
    family = given = middle = prefix = suffix = ""
    if n:
        parts = (split_escaped(n.value, ";") + [""] * 5)[:5]
        family, given, middle, prefix, suffix = (_name_part(p, v21) for p in parts)
    hints = [text(p) for p in found.get("LANG", [])]
    hints += [p.param(k) for p in (n, fn) if p for k in ("LANGUAGE", "LANG")]
    family_first = is_family_first(family, given, hints)
    values["title"] = prefix
    values["last_name"] = family
    values["first_name"] = " ".join(p for p in ((middle, given) if family_first and
                                                not _CJK.search(family + given)
                                                else (given, middle)) if p)
    if not values["full_name"].strip():
        built = built_name(family, given, middle, suffix, family_first)
        nickname = first("NICKNAME")
        if built:
            values["full_name"] = built
        elif nickname and text(nickname).strip():
            values["full_name"] = text(nickname)
            dropped = [d for d in dropped if d != "NICKNAME"]
    org = first("ORG")
    if org:
        units = [_clean(_unescape(u, v21)) for u in split_escaped(org.value, ";")]
        values["organisation"] = units[0]
        values["department"] = ", ".join(u.strip() for u in units[1:] if u.strip())
        if not values["full_name"].strip() and units[0].strip():
            values["full_name"] = units[0]
            named_by = "org"
    title, role = first("TITLE"), first("ROLE")
    if title:
        values["position"] = text(title)
        if role and text(role).strip() and text(role) != text(title):
            dropped.append("ROLE")
    elif role:
        values["position"] = text(role)
    values["notes"] = "\n\n".join(t for t in (text(p) for p in found.get("NOTE", [])) if t)
    tags = [_clean(_unescape(t, v21)).strip()
            for p in found.get("CATEGORIES", []) for t in split_escaped(p.value, ",")]
    values["tags"] = ", ".join(dict.fromkeys(t for t in tags if t))
    languages = sorted(((_rank(p) or 100, i, text(p).strip())
                        for i, p in enumerate(found.get("LANG", []))), key=lambda x: x[:2])
    values["languages"] = ", ".join(lang for _r, _i, lang in languages if lang)
    uid = first("UID")
    if uid:
        values["card_uid"] = re.sub(r"^urn:uuid:", "", text(uid).strip(), flags=re.I)

    details = _details(raw.props, groups, v21)
    values["details"] = details
    email = contact_details.preferred(details, "email")
    values["email"] = email.value if email else ""
    phones = [d for d in details if d.kind == "phone"]
    phone = next((d for d in phones if d.preferred), None) \
        or next((d for d in phones if d.label != "fax"), None) \
        or next(iter(phones), None)
    values["phone"] = phone.value if phone else ""
    place = contact_details.preferred_address(details)
    if place and place.parts:
        values["city"], values["country"] = place.parts[2], place.parts[4]
    if not values["full_name"].strip() and values["email"]:
        values["full_name"] = values["email"]
        named_by = "email"
    return values, dropped, named_by


def _details(props: Sequence[_Prop], groups: Mapping[str, Sequence[_Prop]],
             v21: bool) -> list[Detail]:
    """The card's e-mails, phones, addresses and web pages, in that order, one of each kind
    preferred (the lowest PREF; TYPE=pref and a bare PREF are PREF=1)."""
    read: list[tuple[Detail, int | None]] = []
    for prop in props:
        kind = _DETAIL_KINDS.get(prop.name)
        if kind is None:
            continue
        siblings = groups.get(prop.group, []) if prop.group else []
        ab_label = next((s for s in siblings if s.name == "X-ABLABEL"), None)
        label = _label(prop, _clean(_unescape(ab_label.value, v21)).strip() if ab_label
                       else "")
        if kind == "address":
            parts = ([_clean(_unescape(c, v21)) for c in split_escaped(prop.value, ";")]
                     + [""] * 7)[:7]
            pobox, extended, street, city, region, code, country = (p.strip() for p in parts)
            hint = next((s for s in siblings if s.name == "X-ABADR"), None)
            if not country and hint and hint.value.strip():
                country = hint.value.strip().upper()
            fields = [", ".join(p for p in (street, extended, pobox) if p), code, city, region,
                      country]
            if any(fields):
                read.append((address(fields, label), _rank(prop)))
            continue
        value = _clean(_unescape(prop.value, v21)).strip()
        if kind == "phone":
            value = _phone(value, prop)
        elif kind == "email":
            value = re.sub(r"^mailto:", "", value, flags=re.I).strip()
        if value:
            read.append((Detail(kind, value, label), _rank(prop)))
    result: list[Detail] = []
    for kind in contact_details.KINDS:
        of_kind = [(d, r) for d, r in read if d.kind == kind]
        ranks = [r for _d, r in of_kind if r is not None]
        best = min(ranks) if ranks else None
        chosen = next((i for i, (_d, r) in enumerate(of_kind) if r is not None and r == best),
                      None)
        result.extend(Detail(d.kind, d.value, d.label, i == chosen, d.parts)
                      for i, (d, _r) in enumerate(of_kind))
    return result


def _rank(prop: _Prop) -> int | None:
    """How preferred a property is: PREF=n (1 most), 1 for TYPE=pref or 2.1's bare PREF."""
    pref = prop.param("PREF")
    if pref:
        try:
            return max(1, int(pref))
        except ValueError:
            return 1
    if any(t.lower() == "pref" for t in prop.types()) or "PREF" in prop.params:
        return 1
    return None


# Types that say nothing a label would (the kind of line, the network, the encoding).
_NOISE = {"pref", "internet", "x400", "voice", "msg", "text", "video", "textphone", "bbs",
          "modem", "isdn", "pcs", "dom", "intl", "postal", "parcel", "quoted-printable",
          "base64", "8bit", "7bit", "uri", "aol", "applelink", "attmail", "cis", "eworld",
          "ibmmail", "mcimail", "powershare", "prodigy", "tlx"}
_APPLE = {"work": "work", "home": "home", "mobile": "mobile", "iphone": "mobile",
          "homefax": "fax", "workfax": "fax", "otherfax": "fax", "other": "other"}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")


def _label(prop: _Prop, ab_label: str) -> str:
    """work, home, mobile, fax or other; a label of the card's own as it is written."""
    if ab_label:
        builtin = _APPLE_LABEL.fullmatch(ab_label)
        if builtin is None:
            return ab_label
        word = builtin[1].strip()
        return _APPLE.get(word.lower(), word.lower())
    types = prop.types()
    lowered = [t.lower() for t in types]
    if "fax" in lowered:
        return "fax"
    if {"cell", "mobile", "iphone"} & set(lowered):
        return "mobile"
    for known in ("work", "home", "other"):
        if known in lowered:
            return known
    custom = [t for t in types if t.lower() not in _NOISE]
    if not custom:
        return ""
    return re.sub(r"^x-", "", custom[0], flags=re.I) or custom[0]


def _phone(value: str, prop: _Prop) -> str:
    """A number as written, a tel: URI's number, an extension as " ext. 56"."""
    if value.lower().startswith("tel:") or prop.param("VALUE").lower() == "uri":
        number, *uri_params = re.sub(r"^tel:", "", value, flags=re.I).split(";")
        extension = next((p.split("=", 1)[1] for p in uri_params
                          if p.lower().startswith("ext=")), "")
        value = number.strip() + (f" ext. {extension.strip()}" if extension.strip() else "")
    return re.sub(r"\s*;\s*ext\s*=\s*", " ext. ", value, flags=re.I)


def _unescape(value: str, v21: bool) -> str:
    """vCard 3.0/4.0: backslash escapes (\\n a line break, \\x the x); 2.1 escapes only ; and ,
    (a 2.1 backslash before anything else is the text's own)."""
    if v21:
        return re.sub(r"\\([;,])", r"\1", value)
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value, flags=re.S)


def _clean(text: str) -> str:
    """Line breaks as "\n", control characters as ``cells.printable`` has them."""
    return printable(text.replace("\r\n", "\n").replace("\r", "\n"))


def _name_part(component: str, v21: bool) -> str:
    """A component of N; several values of it (3.0/4.0 "Jan,Maria") joined with spaces."""
    pieces = [component] if v21 else split_escaped(component, ",")
    return " ".join(p for p in (_clean(_unescape(x, v21)).strip() for x in pieces) if p)


def is_family_first(family: str, given: str, hints: Iterable[str]) -> bool:
    """Whether a name is written family name first: in a CJK script, or in the language
    ``hints`` name first (Chinese, Japanese, Korean, Vietnamese). The writer asks it too."""
    if _CJK.search(family + given):
        return True
    language = next((h.strip() for h in hints if h and h.strip()), "")
    return language.lower().replace("_", "-").split("-")[0] in _FAMILY_FIRST_LANGUAGES


def built_name(family: str, given: str, middle: str, suffix: str, family_first: bool) -> str:
    """A full name from its parts, as the person's language writes it (CJK without spaces)."""
    if family_first and _CJK.search(family + given):
        name = "".join((family, given, middle))
    elif family_first:
        name = " ".join(p for p in (family, middle, given) if p)
    else:
        name = " ".join(p for p in (given, middle, family) if p)
    return " ".join(p for p in (name, suffix) if p) if name else ""
