"""vCards as other programs write them (tests/data/corpus/vcards: Outlook, Android, Google,
Apple, Thunderbird, CJK names, phone extensions), read into exactly the expected rows; broken
files refused with the line; and what ``card`` writes read back unchanged, by this reader and
by vobject."""

from __future__ import annotations

import codecs
import contextlib
import re
import time
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import vobject
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.contact_details import Detail, address
from citypartner_desktop.interop.cells import printable
from citypartner_desktop.interop.source_table import FileRefused
from citypartner_desktop.interop.vcard import COLUMNS, read_vcards
from citypartner_desktop.interop.vcard_write import card, card_30

CORPUS = Path(__file__).parents[1] / "data" / "corpus" / "vcards"


def rows(data: bytes, name: str = "cards.vcf") -> list[dict[str, Any]]:
    table = read_vcards(data, name)
    assert table.headers == COLUMNS
    return [{"line": r.line, **dict(zip(COLUMNS, r.cells, strict=True))} for r in table.rows]


def row(**values: Any) -> dict[str, Any]:
    """A row as expected: the given cells, every other one blank."""
    return {"details": [], **{c: "" for c in COLUMNS if c != "details"}, **values}


def vcard(*lines: str, version: str = "3.0") -> bytes:
    return "\r\n".join(("BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", "")).encode()


E, P, A, W = "email", "phone", "address", "web"

EXPECTED: dict[str, tuple[str, tuple[str, ...], list[dict[str, Any]]]] = {
    "outlook_2.1_windows-1252.vcf": ("Windows-1252", (
        "Read as Windows-1252: the file is not UTF-8.",
        "Not kept: PHOTO (1 card), X-MS-OL-DEFAULT-POSTAL-ADDRESS (1 card), X-MS-OL-DESIGN "
        "(1 card)"), [row(
            line=1, full_name="Dr. Jörg Müller", first_name="Jörg", last_name="Müller",
            title="Dr.", position="Leiter des Amtes", organisation="Stadt Nürnberg",
            department="Amt für Internationale Beziehungen",
            email="joerg.mueller@stadt.nuernberg.de", phone="+49 911 231-5000",
            city="Nürnberg", country="Deutschland",
            notes="Partnerschaft mit Krakau seit 1979.\nTrifft sich gern zum Kaffee, am "
                  "liebsten mit „Schäufele“.",
            details=[
                Detail(E, "joerg.mueller@stadt.nuernberg.de", "", True),
                Detail(P, "+49 911 231-5000", "work"),
                Detail(P, "+49 170 1234567", "mobile"),
                Detail(P, "+49 911 231-5001", "fax"),
                address(["Hauptmarkt 18", "90403", "Nürnberg", "Bayern", "Deutschland"],
                        "work", True),
                Detail(W, "https://www.nuernberg.de/internet/international/", "work")])]),
    "android_2.1_utf-8.vcf": ("UTF-8", (
        "Not kept: X-ANDROID-CUSTOM (1 card), BDAY (1 card), PHOTO (1 card)",), [
        row(line=1, full_name="Zofia Maria Kowalska", first_name="Zofia Maria",
            last_name="Kowalska", position="Kierownik Referatu Współpracy Zagranicznej",
            organisation="Urząd Miasta Krakowa", department="Wydział Polityki Miejskiej",
            email="z.kowalska@um.krakow.pl", phone="+48 600 100 200", city="Kraków",
            country="Polska",
            notes="Poznałyśmy się w Norymberdze, październik 2024.\nŁatwy kontakt przez "
                  "SMS; najlepiej rano.",
            details=[
                Detail(E, "z.kowalska@um.krakow.pl", "work"),
                Detail(E, "zosia.k@example.pl", "home"),
                Detail(P, "+48 600 100 200", "mobile", True),
                Detail(P, "+48 12 616 12 00", "work"),
                Detail(P, "+48 12 616 12 01", "Sekretariat"),
                address(["Plac Wszystkich Świętych 3-4", "31-004", "Kraków", "Małopolskie",
                         "Polska"], "work")]),
        row(line=22, full_name="Piotr Nowak", first_name="Piotr", last_name="Nowak",
            phone="+48 601 234 567", details=[Detail(P, "+48 601 234 567", "mobile")])]),
    "google_3.0.vcf": ("UTF-8", ("Not kept: BDAY (1 card)",), [row(
        line=1, full_name="Marie-Claire Dubois", first_name="Marie-Claire",
        last_name="Dubois", position="Chargée de mission Europe", organisation="Ville de Lyon",
        department="Direction des Relations internationales",
        email="mc.dubois@mairie-lyon.fr", phone="+33 6 12 34 56 78",
        city="Lyon", country="France",  # the work address, though the home one comes first
        notes="Rencontrée à Kraków, mai 2024.\nParle polonais et allemand.",
        tags="myContacts, Partenaires Europe",
        details=[
            Detail(E, "mc.dubois@mairie-lyon.fr", "work"),
            Detail(E, "marieclaire.dubois@example.fr", "home"),
            Detail(P, "+33 6 12 34 56 78", "mobile"),
            Detail(P, "+33 4 72 10 30 30", "work"),
            address(["12 Rue Anatole France", "69100", "Villeurbanne", "", "France"], "home"),
            address(["1 Place de la Comédie", "69001", "Lyon", "", "France"], "work"),
            Detail(W, "https://www.lyon.fr", "Mairie")])]),
    "apple_3.0.vcf": ("UTF-8", (
        "Not kept: X-ABRELATEDNAMES (1 card), X-SOCIALPROFILE (1 card), PHOTO (1 card), "
        "X-ABUID (1 card)",), [row(
            line=1, full_name="Erik Johan Svensson", first_name="Erik Johan",
            last_name="Svensson", position="Handläggare", organisation="Göteborgs Stad",
            department="Internationella avdelningen", email="erik.svensson@goteborg.se",
            phone="+46 70 123 45 67", city="Göteborg", country="Sverige",
            details=[
                Detail(E, "erik.svensson@goteborg.se", "work", True),
                Detail(E, "erik.privat@example.se", "other"),
                Detail(P, "+46 70 123 45 67", "mobile", True),
                Detail(P, "+46 31 365 00 00", "Växel"),
                address(["Gustaf Adolfs torg 4A", "411 10", "Göteborg", "", "Sverige"], "work",
                        True),
                address(["Linnégatan 5", "413 04", "Göteborg", "", "SE"], "home"),
                Detail(W, "https://goteborg.se", "homepage", True)])]),
    "thunderbird_4.0.vcf": ("UTF-8", ("Not kept: BDAY (1 card), IMPP (1 card), ROLE (1 card)",),
                            [row(
        line=1, full_name="Giulia Rossi", first_name="Giulia", last_name="Rossi",
        title="Dott.ssa", position="Responsabile Relazioni Europee",
        organisation="Comune di Bologna", department="Relazioni internazionali",
        email="giulia.rossi@comune.bologna.it", phone="+39 051 219 1111", languages="it, en",
        city="Bologna", country="Italia",
        notes="Incontro a Kraków, giugno 2023.\nPreferisce l'italiano o l'inglese.",
        tags="Gemellaggi, Europa", card_uid="1e4c6f0a-3d5b-4c2e-9f67-3e1b0f7a9d21",
        details=[
            Detail(E, "giulia.rossi@comune.bologna.it", "", True),
            Detail(E, "giulia.rossi@example.it", "home"),
            Detail(P, "+39 051 219 1111", "work"),
            Detail(P, "+39 333 123 4567", "mobile"),
            address(["Piazza Maggiore 6", "40124", "Bologna", "BO", "Italia"], "work"),
            Detail(W, "https://www.comune.bologna.it")])]),
    "chinese_2.1_n_only.vcf": ("UTF-8", (), [row(
        line=1, full_name="王小明", first_name="小明", last_name="王",
        organisation="成都市人民政府外事办公室", email="wangxm@chengdu.example.cn",
        phone="+86 138 0013 8000",
        details=[Detail(E, "wangxm@chengdu.example.cn", "work"),
                 Detail(P, "+86 138 0013 8000", "mobile"),
                 Detail(P, "+86 28 6128 1234", "work")])]),
    "japanese_3.0_iphone_empty_fn.vcf": ("UTF-8", (
        "Not kept: X-PHONETIC-FIRST-NAME (1 card), X-PHONETIC-LAST-NAME (1 card)",), [row(
            line=1, full_name="山田花子", first_name="花子", last_name="山田",
            organisation="京都市", department="総合企画局国際交流推進室",
            email="hanako.yamada@city.kyoto.example.jp", phone="075-222-3072",
            details=[Detail(E, "hanako.yamada@city.kyoto.example.jp", "work", True),
                     Detail(P, "075-222-3072", "work")])]),
    "phone_extensions.vcf": ("UTF-8", (), [
        row(line=1, full_name="Thomas Becker", first_name="Thomas", last_name="Becker",
            phone="+49-30-9026-0 ext. 2345",
            details=[Detail(P, "+49-30-9026-0 ext. 2345", "work", True),
                     Detail(P, "+49-171-5551234", "mobile")]),
        row(line=8, full_name="Sarah O'Neill", first_name="Sarah", last_name="O'Neill",
            title="Ms.", phone="+1 202 555 0100 x56",
            details=[Detail(P, "+1 202 555 0100 x56", "work"),
                     Detail(P, "+1 202 555 0199 ext. 7", "home")])]),
}


def test_the_corpus_is_all_tested() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.vcf")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cards_as_programs_write_them(name: str) -> None:
    encoding, notes, expected = EXPECTED[name]
    table = read_vcards((CORPUS / name).read_bytes(), name)
    assert (table.encoding, table.notes, table.described) == (encoding, notes, "vCard")
    assert rows((CORPUS / name).read_bytes(), name) == expected


@pytest.mark.parametrize(("prefix", "encoding"), [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_a_byte_order_mark_changes_nothing(prefix: bytes, encoding: str) -> None:
    data = (CORPUS / "android_2.1_utf-8.vcf").read_bytes()
    assert rows(prefix + data.decode("utf-8").encode(encoding)) == rows(data)


def test_a_property_charset_decides_its_quoted_printable_bytes() -> None:
    cards = b"".join((
        vcard("FN:A", "NOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Gr=FC=DFe",
              version="2.1"),
        vcard("FN:B", "NOTE;ENCODING=QUOTED-PRINTABLE:Gr=C3=BC=C3=9Fe", version="2.1"),
        # a charset that is wrong for the bytes, one nobody knows: UTF-8, else Windows-1252
        vcard("FN:C", "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gr=FC=DFe =80",
              version="2.1"),
        vcard("FN:D", "NOTE;CHARSET=x-klingon;QUOTED-PRINTABLE:Gr=C3=BC=C3=9Fe", version="2.1"),
    ))
    assert [r["notes"] for r in rows(cards)] == ["Grüße", "Grüße", "Grüße €", "Grüße"]


def test_a_windows_file_may_name_another_charset_per_property() -> None:
    data = b"".join((b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=windows-1251:",
                     "Иванов;Иван".encode("cp1251"), b"\r\nORG:", "Ville de Sète".encode("cp1252"),
                     b"\r\nEND:VCARD\r\n"))
    (read,) = rows(data)
    assert (read["full_name"], read["organisation"]) == ("Иван Иванов", "Ville de Sète")


@pytest.mark.parametrize(("lines", "version", "names"), [
    (("N:김;민준;;;",), "3.0", ("김민준", "민준", "김")),
    (("N:Nguyễn;An;Văn;;",), "3.0", ("An Văn Nguyễn", "An Văn", "Nguyễn")),
    (("N:Nguyễn;An;Văn;;", "LANG:vi"), "4.0", ("Nguyễn Văn An", "Văn An", "Nguyễn")),
    (("FN:Nguyễn Văn An", "N:Nguyễn;An;Văn;;"), "3.0", ("Nguyễn Văn An", "An Văn", "Nguyễn")),
    (("N;LANGUAGE=zh-Latn:Wang;Xiaoming;;;",), "2.1", ("Wang Xiaoming", "Xiaoming", "Wang")),
    (("FN:", "N:Smith;John;Quincy,Adam;Mr.;Jr.",), "3.0",
     ("John Quincy Adam Smith Jr.", "John Quincy Adam", "Smith")),
    (("NICKNAME:Kasia",), "3.0", ("Kasia", "", "")),
])
def test_names_from_n(lines: tuple[str, ...], version: str,
                      names: tuple[str, str, str]) -> None:
    (read,) = rows(vcard(*lines, version=version))
    assert (read["full_name"], read["first_name"], read["last_name"]) == names


def test_a_card_without_a_name_takes_its_organisation_and_says_so() -> None:
    table = read_vcards(vcard("ORG:Stadt Nürnberg;Amt für Internationale Beziehungen",
                              "EMAIL:international@stadt.nuernberg.de") + vcard("FN:A"), "x.vcf")
    assert table.rows[0].cells[:7] == ("Stadt Nürnberg", "", "", "", "", "Stadt Nürnberg",
                                       "Amt für Internationale Beziehungen")
    assert table.notes == ("No name on 1 card: the organisation is used as the name.",)


def test_preferred_and_labels_as_each_version_marks_them() -> None:
    (read,) = rows(vcard(
        "EMAIL;PREF=2:b@example.org", "EMAIL;PREF=1:a@example.org", "EMAIL:c@example.org",
        "TEL;TYPE=WORK;TYPE=VOICE:+1", "TEL;TYPE=fax,work;TYPE=pref:+2", "TEL;TYPE=x-Büro:+3",
        "URL;TYPE=home:https://example.org", "ORG:A;B;C", "TITLE:Mayor",
        "CATEGORIES:x,y\\,z", "CATEGORIES:x", "NOTE:one", "NOTE:two", version="4.0"))
    assert read["details"] == [
        Detail(E, "b@example.org"), Detail(E, "a@example.org", "", True),
        Detail(E, "c@example.org"), Detail(P, "+1", "work"), Detail(P, "+2", "fax", True),
        Detail(P, "+3", "Büro"), Detail(W, "https://example.org", "home")]
    assert (read["email"], read["phone"]) == ("a@example.org", "+2")
    assert (read["department"], read["position"]) == ("B, C", "Mayor")
    assert (read["tags"], read["notes"]) == ("x, y,z", "one\n\ntwo")
    table = read_vcards(vcard("FN:A", "TITLE:Mayor", "TITLE:Chair", "PHOTO:x",
                              "KIND:individual", version="4.0")
                        + vcard("FN:B", "PHOTO;VALUE=uri:https://example.org/a.jpg", "BDAY:2000",
                                "KIND:org", version="4.0"), "x.vcf")
    assert table.notes == ("Not kept: a second TITLE (1 card), PHOTO (2 cards), BDAY (1 card), "
                           "KIND (1 card)",)


def test_the_phone_is_the_preferred_else_the_first_that_is_no_fax() -> None:
    (read,) = rows(vcard("TEL;TYPE=FAX:+1", "TEL;TYPE=HOME:+2", "TEL;TYPE=CELL:+3"))
    assert read["phone"] == "+2"


def test_unindented_base64_of_a_photo_is_skipped() -> None:
    (read,) = rows(vcard("FN:A", "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQEAYABgAAD",
                         "2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a+/==", "",
                         "NOTE:after", version="2.1"))
    assert (read["full_name"], read["notes"]) == ("A", "after")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "x.vcf holds no vCard (BEGIN:VCARD … END:VCARD)."),
    (b"\r\n \r\n", "x.vcf holds no vCard"),
    (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nthis is no property\r\nEND:VCARD\r\n",
     "x.vcf line 4: this cannot be read as a vCard property (NAME:value): “this is no "
     "property”."),
    (b"\r\n\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb\r\n\r\n"
     b"\r\nX Y\r\nEND:VCARD\r\n", "x.vcf line 9: this cannot be read"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
     "x.vcf line 1: this is a VCALENDAR, not a vCard"),
    (b"END:VCARD\r\n", "x.vcf line 1: this is outside any card"),
    (b"BEGIN:VCARD\r\nFN:A\r\nEND:VCALENDAR\r\n",
     "x.vcf line 3: END:VCALENDAR ends nothing; the card of line 1 is still open."),
    (b"BEGIN:VCARD\r\nFN:A\r\n", "x.vcf: the card of line 1 never ends"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00", "x.vcf line 1: this cannot be read"),
])
def test_broken_files_are_refused_with_the_line(data: bytes, message: str) -> None:
    with pytest.raises(FileRefused, match=re.escape(message)):
        read_vcards(data, "x.vcf")


def test_a_line_that_would_make_a_parser_backtrack_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(FileRefused, match="line 3: this cannot be read"):
        read_vcards(b"BEGIN:VCARD\r\nFN:A\r\nX" + b";a=b,c" * 5000 + b"\r\nEND:VCARD\r\n", "x")
    assert time.perf_counter() - started < 1


# ---------------------------------------------------------------------------------- writing

ANNA = {
    "full_name": "Dr Anna Nowak", "first_name": "Anna", "last_name": "Nowak", "title": "Dr",
    "position": "Dyrektor, Wydział", "organisation": "Urząd Miasta Krakowa",
    "department": "Wydział Polityki Miejskiej", "email": "anna.nowak@krakow.pl",
    "phone": "+48126161200", "languages": "pl, en", "tags": "mayors' conference, newsletter",
    "notes": "Line 1\nLine 2", "city": "Kraków", "country": "PL",
    "details": contact_details.to_json([
        Detail(E, "anna.nowak@krakow.pl", "work", True), Detail(E, "anna@example.pl", "home"),
        Detail(P, "+48 12 616 12 00 ext. 305", "work", True),
        Detail(P, "+48 600 100 200", "mobile"), Detail(P, "+48 12 616 12 99", "fax"),
        Detail(P, "0048 12 345", "Sekretariat; pokój 3"),
        address(["Plac Wszystkich Świętych 3-4", "31-004", "Kraków", "Małopolskie", "PL"],
                "work", True),
        Detail(W, "https://www.krakow.pl", "other")])}


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_every_detail_is_written() -> None:
    written = card(ANNA, "0f8fad5b-d9cb-469f-a165-70867728950e", "20250101T000000Z")
    assert unfolded(written) == [
        "BEGIN:VCARD", "VERSION:4.0", "UID:urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
        "FN:Dr Anna Nowak", "N:Nowak;Anna;;Dr;", "TITLE:Dyrektor\\, Wydział",
        "ORG:Urząd Miasta Krakowa;Wydział Polityki Miejskiej",
        "EMAIL;TYPE=work;PREF=1:anna.nowak@krakow.pl", "EMAIL;TYPE=home:anna@example.pl",
        "TEL;VALUE=uri;TYPE=work;PREF=1:tel:+48126161200;ext=305",
        "TEL;VALUE=uri;TYPE=cell:tel:+48600100200", "TEL;VALUE=uri;TYPE=fax:tel:+48126161299",
        "item1.TEL:0048 12 345", "item1.X-ABLabel:Sekretariat\\; pokój 3",
        "ADR;TYPE=work;PREF=1:;;Plac Wszystkich Świętych 3-4;Kraków;Małopolskie;31-004;PL",
        "item2.URL:https://www.krakow.pl", "item2.X-ABLabel:_$!<Other>!$_",
        "LANG;PREF=1:pl", "LANG;PREF=2:en", "CATEGORIES:mayors' conference,newsletter",
        "NOTE:Line 1\\nLine 2", "REV:20250101T000000Z", "END:VCARD"]
    (read,) = rows(written.encode())
    assert read["details"] == [
        Detail(E, "anna.nowak@krakow.pl", "work", True), Detail(E, "anna@example.pl", "home"),
        Detail(P, "+48126161200 ext. 305", "work", True), Detail(P, "+48600100200", "mobile"),
        Detail(P, "+48126161299", "fax"), Detail(P, "0048 12 345", "Sekretariat; pokój 3"),
        *[d for d in contact_details.parse(ANNA["details"]) if d.kind in ("address", "web")]]
    assert {k: v for k, v in read.items() if k not in ("details", "line")} == {
        **{k: v for k, v in ANNA.items() if k != "details"}, "phone": "+48126161200 ext. 305",
        "card_uid": "0f8fad5b-d9cb-469f-a165-70867728950e"}
    parsed = vobject.readOne(written)
    assert [t.value for t in parsed.tel_list][:2] == ["tel:+48126161200;ext=305",
                                                      "tel:+48600100200"]
    assert parsed.org.value == ["Urząd Miasta Krakowa", "Wydział Polityki Miejskiej"]


def test_a_card_for_programs_that_read_3_0() -> None:
    written = card_30({**ANNA, "first_name": "", "last_name": "", "title": "",
                       "card_uid": "outlook-1234"}, "id-1")
    lines = unfolded(written)
    assert lines[:4] == ["BEGIN:VCARD", "VERSION:3.0", "UID:outlook-1234", "FN:Dr Anna Nowak"]
    assert "N:;Dr Anna Nowak;;;" in lines
    assert "EMAIL;TYPE=INTERNET,WORK,PREF:anna.nowak@krakow.pl" in lines
    assert "TEL;TYPE=WORK,PREF:+48 12 616 12 00 ext. 305" in lines
    assert "ADR;TYPE=WORK,PREF:;;Plac Wszystkich Świętych 3-4;Kraków;Małopolskie;31-004;PL" \
        in lines
    assert not any(line.startswith("LANG") for line in lines)
    parsed = vobject.readOne(written)
    assert parsed.version.value == "3.0" and parsed.fn.value == "Dr Anna Nowak"
    (read,) = rows(written.encode())
    assert read["details"][:3] == [
        Detail(E, "anna.nowak@krakow.pl", "work", True), Detail(E, "anna@example.pl", "home"),
        Detail(P, "+48 12 616 12 00 ext. 305", "work", True)]
    assert (read["first_name"], read["card_uid"]) == ("Dr Anna Nowak", "outlook-1234")


def test_without_details_the_single_values_are_written() -> None:
    lines = unfolded(card({"full_name": "A", "email": " a@example.org ", "phone": "+48126161200",
                           "city": "Kyoto", "country": "JP", "details": ""}))
    assert lines[2:] == ["FN:A", "EMAIL:a@example.org", "TEL;VALUE=uri:tel:+48126161200",
                         "ADR;TYPE=work:;;;Kyoto;;;JP", "END:VCARD"]


# --- round trip

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
NONBLANK = TEXT.filter(lambda t: t.strip() != "")
LABELS = st.one_of(st.sampled_from(["", "work", "home", "mobile", "fax", "other"]), TEXT)
NUMBERS = {"+48 12 616 12 00": "+48126161200", "+49 30 1234-0 ext. 56": "+493012340 ext. 56",
           "+1 (202) 555-0100 x7": "+12025550100 ext. 7", "+81 75 222 3072": "+81752223072"}


def lf(text: str) -> str:
    return printable(text).replace("\r\n", "\n").replace("\r", "\n")


@st.composite
def details(draw: st.DrawFn) -> list[Detail]:
    items: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(contact_details.KINDS))
        item: dict[str, Any] = {"kind": kind, "label": draw(LABELS).strip()[:100],
                                "preferred": draw(st.booleans())}
        if kind == "address":
            item["parts"] = draw(st.lists(TEXT, min_size=5, max_size=5))
            assume(any(p.strip() for p in item["parts"]))
            item["value"] = "-"
        elif kind == "phone":
            item["value"] = draw(st.one_of(st.sampled_from(sorted(NUMBERS)), NONBLANK))
        else:
            item["value"] = draw(NONBLANK)
        items.append(item)
    return contact_details.parse(items)


def read_back(detail: Detail, v4: bool) -> Detail | None:
    """The detail as a written card gives it back."""
    label = lf(detail.label).strip()
    if detail.kind == "address":
        parts = [lf(p).strip() for p in detail.parts]
        return address(parts, label, detail.preferred) if any(parts) else None
    value = lf(detail.value).strip()
    if detail.kind == "phone" and v4 and value in NUMBERS:
        value = NUMBERS[value]
    return Detail(detail.kind, value, label, detail.preferred) if value else None


@settings(max_examples=60, deadline=None)
@given(values=st.fixed_dictionaries({}, optional={key: TEXT for key in (
    "full_name", "first_name", "last_name", "organisation", "department", "position", "notes")}),
    written=details(), version=st.sampled_from(["4.0", "3.0"]))
def test_what_is_written_is_read_back(values: dict[str, str], written: list[Detail],
                                      version: str) -> None:
    """Any Unicode (, ; \\ newlines, control characters, emoji, right-to-left text) in names,
    organisation, notes and details comes back as ``printable`` has it, with LF newlines;
    names and details without spaces around them."""
    for d in written:
        assume(not re.match(r"(?i)\s*(tel:|mailto:|urn:uuid:)", d.value))
        assume(";ext=" not in d.value.lower() and not d.label.startswith("_$!<"))
        if d.kind == "phone" and d.value not in NUMBERS:  # random text stays text
            assume(not printable(d.value).strip().startswith("+"))
    text = card({**values, "details": written}, "id-1", version=version)
    (read,) = rows(text.encode())
    v4 = version == "4.0"
    by_kind = sorted(written, key=lambda d: contact_details.KINDS.index(d.kind))
    assert read["details"] == [r for d in by_kind if (r := read_back(d, v4)) is not None]
    for key in ("organisation", "position", "notes"):
        assert read[key] == lf(values.get(key, ""))
    names = {k: lf(values.get(k, "")).strip() for k in ("first_name", "last_name")}
    if not v4 and not any(names.values()):  # 3.0 needs an N: the whole name as given name
        names["first_name"] = lf(values.get("full_name", "")).strip()
    assert (read["first_name"], read["last_name"]) == (names["first_name"], names["last_name"])
    assert read["department"] == lf(values.get("department", "")).strip()
    if lf(values.get("full_name", "")).strip():
        assert read["full_name"] == lf(values["full_name"])
    # vobject reads the same card the same way
    parsed = vobject.readOne(text)
    assert parsed.fn.value == read["full_name"] or not lf(values.get("full_name", "")).strip()
    emails = [d.value for d in read["details"] if d.kind == "email"]
    assert [e.value for e in getattr(parsed, "email_list", [])] == emails
    if "notes" in values and lf(values["notes"]):
        assert parsed.note.value == lf(values["notes"])


def test_numbers_used_by_the_round_trip_are_numbers() -> None:
    for number in NUMBERS:
        assert phonenumbers.parse(number, None).country_code


PIECES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", "N:a;b;c;d;e", "FN:", "ADR:;;",
    "TEL;VALUE=uri:tel:;ext=", "NOTE;ENCODING=QUOTED-PRINTABLE:=", "=0D=0A=", "", " x", "AAAA",
    "NOTE;QUOTED-PRINTABLE;CHARSET=utf-16:=FF=FE=", "item1.X-ABLabel:", "EMAIL;PREF=:a",
    "PHOTO;ENCODING=b:", "LANG;PREF=99999999999999999999:x", 'X;a="b:c":d', "NOTE:\\"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12),
       st.sampled_from(["\r\n", "\n", "\r"]), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_file_is_read_or_refused_never_a_traceback(lines: list[str], newline: str,
                                                       encoding: str) -> None:
    with contextlib.suppress(FileRefused):
        read_vcards(newline.join(lines).encode(encoding, errors="replace"), "f.vcf")
