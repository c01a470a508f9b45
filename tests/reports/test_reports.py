"""The five reports, read back from the PDF: content, every script, page frame, edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from citypartner_desktop.domain.errors import CityPartnerError, ValidationError
from citypartner_desktop.reports import fonts
from citypartner_desktop.reports.document import ReportCancelled
from citypartner_desktop.reports.make import ReportRequest, make_report
from tests.reports.conftest import (
    CITY_NAMES,
    CONTACT_NAMES,
    GENERATED,
    Office,
    has,
    pdf_pages,
    pdf_text,
)


def make(office: Office, tmp_path: Path, report: str, record_id: str | None = None,
         year: int | None = None, name: str = "report.pdf") -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return make_report(office.db.uow, ReportRequest(report, record_id, year), out / name,
                       office="Büro für Städtepartnerschaften", generated=GENERATED)


def test_dossier_prints_every_name_in_its_own_script(office: Office, tmp_path: Path) -> None:
    text = pdf_text(make(office, tmp_path, "partnership", office.network))
    for name in (*CITY_NAMES, *CONTACT_NAMES, "Network Łódź–Київ–京都市", "Charter of Gödöllő",
                 "Youth exchanges", "Send the invitation to Київ", "Coordination in Αθήνα",
                 "Partnership dossier", "Büro für Städtepartnerschaften",
                 "Generated 2026-03-15",
                 "2026-06-30",  # notice by: three months before expiry
                 "50 %"):  # goal progress: 10 -> 30 of 10 -> 50
        assert has(text, name), name


def test_every_page_has_the_frame_with_page_x_of_y(office: Office, tmp_path: Path) -> None:
    pages = pdf_pages(make(office, tmp_path, "partnership", office.network))
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert has(text, f"Page {n} of {len(pages)}"), text[:200]
        assert has(text, "Büro für Städtepartnerschaften")


def test_tables_split_across_pages_repeat_their_header(office: Office, tmp_path: Path) -> None:
    from citypartner_desktop.services import records

    for n in range(80):
        records.create(office.db.uow(), "activity", {
            "partnership_id": office.network, "kind": "call", "title": f"Call number {n}",
            "start_date": "2024-05-01"})
    pages = pdf_pages(make(office, tmp_path, "partnership", office.network))
    holding = [text for text in pages if has(text, "Call number")]
    assert len(holding) >= 2
    assert all(has(text, "DateKindActivityPlacePeople") for text in holding)


def test_city_profile_and_visit_briefing(office: Office, tmp_path: Path) -> None:
    kyoto = office.cities["京都市"]
    profile = pdf_text(make(office, tmp_path, "city", kyoto, name="city.pdf"))
    for expected in ("京都市", "Japan", "Asia/Tokyo", *CONTACT_NAMES, "Network Łódź–Київ–京都市",
                     "Meeting 12 in 東京都"):
        assert has(profile, expected), expected
    briefing = pdf_text(make(office, tmp_path, "visit", kyoto, name="visit.pdf"))
    for expected in ("8 h ahead of Nuremberg",  # 15 March: Tokyo +9, Berlin +1
                     *CONTACT_NAMES, "person1@kyoto.example", "Charter of Gödöllő",
                     "2026-06-30 (notice deadline)", "Send the invitation to Київ",
                     "Minutes: agreed on the İzmir youth camp.", "Youth exchanges"):
        assert has(briefing, expected), expected


def test_evaluation_report(office: Office, tmp_path: Path) -> None:
    text = pdf_text(make(office, tmp_path, "evaluation", office.evaluation))
    for expected in ("Relevance", "5 / 5", "Central to the city strategy", "Impact", "3 / 5",
                     "Trust", "Green", "Amber", "Youth exchanges", "Strong ties with 北京市.",
                     "Plan early.", "Continue", "Agree the 2026 plan with Αθήνα"):
        assert has(text, expected), expected


def test_portfolio_report(office: Office, tmp_path: Path) -> None:
    from citypartner_desktop.services import records

    records.create(office.db.uow(), "partnership", {"title": "Quiet link with Αθήνα",
                                                    "kind": "friendship", "status": "active"})
    text = pdf_text(make(office, tmp_path, "portfolio", year=2025))
    for expected in ("Annual portfolio report", "12 activities in 2025", "Culture", "Youth",
                     "Charter of Gödöllő", "Network Łódź–Київ–京都市", "Friendship with Gödöllő",
                     "Quiet link with ΑθήναActivenever", "Continue1"):
        assert has(text, expected), expected


def test_a_record_with_little_data_says_none_recorded(office: Office, tmp_path: Path) -> None:
    text = pdf_text(make(office, tmp_path, "partnership", office.empty))
    assert text.count("Nonerecorded") >= 6
    assert not has(text, "AgreementKindStatus")  # no empty table with only its header


def test_output_is_reproducible(office: Office, tmp_path: Path) -> None:
    first = make(office, tmp_path, "evaluation", office.evaluation, name="a.pdf")
    second = make(office, tmp_path, "evaluation", office.evaluation, name="b.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_fonts_are_embedded_subsets(office: Office, tmp_path: Path) -> None:
    reader = PdfReader(make(office, tmp_path, "partnership", office.network))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert "/AAAAAA+DroidSansFallback" in names and "/AAAAAA+NotoSans-Regular" in names
    # Shipped fonts are embedded as subsets ("AAAAAA+" tag). A font state a table or drawing
    # sets before drawing nothing may still name one of PDF's standard fonts (Helvetica),
    # which every viewer has.
    assert all("+" in n for n in names if n != "/Helvetica"), names


def test_every_listed_name_has_a_font_for_every_character() -> None:
    for name in (*CITY_NAMES, *CONTACT_NAMES, "القاهرة", "תל אביב-יפו", "서울특별시",
                 "თბილისი", "Երևան", "กรุงเทพมหานคร", "मुंबई"):
        assert fonts.missing(name) == set(), name
    assert [f for f, _ in fonts.runs("Kyoto (京都市)")] == [fonts.SANS, "CPCJK", fonts.SANS]


def test_right_to_left_words_are_in_visual_order() -> None:
    markup = fonts.markup("Tel Aviv תל אביב-יפו")
    assert markup == 'Tel Aviv <font name="CPHebrew">אביב-יפו תל</font>'
    # ReportLab shapes a word with one font: a bracket glued to Arabic becomes its own word.
    assert fonts.markup("(القاهرة)") == '( <font name="CPArabic">القاهرة</font> )'


def test_shaped_names_are_not_bracketed_nor_charted() -> None:
    from citypartner_desktop.reports.parts import name_and_native

    assert name_and_native("Kyoto", "京都市") == "Kyoto (京都市)"
    assert name_and_native("Cairo", "القاهرة") == "Cairo · القاهرة"
    assert name_and_native("Cairo", "القاهرة", in_chart=True) == "Cairo"
    assert name_and_native("Seoul", "서울특별시") == "Seoul (서울특별시)"
    assert name_and_native("Nowhere", "\u0f00\U0001e900") == "Nowhere"  # no font has these


def test_arabic_and_hebrew_read_back(office: Office, tmp_path: Path) -> None:
    """Shaped Arabic is printed in its joined (presentation) forms, which NFKC turns back into
    the letters typed; Hebrew comes back as typed."""
    import unicodedata

    from citypartner_desktop.services import records

    tel_aviv = records.create(office.db.uow(), "city", {
        "name": "Tel Aviv", "native_name": "תל אביב-יפו", "country": "IL"}).id
    hebrew = pdf_text(make(office, tmp_path, "city", tel_aviv, name="tlv.pdf"))
    assert has(hebrew, "Local nameתל אביב-יפו")
    cairo = make(office, tmp_path, "city", office.cities["Cairo"], name="cairo.pdf")
    arabic = unicodedata.normalize("NFKC", pdf_text(cairo))
    assert has(arabic, "Local nameالقاهرة")
    fonts_used = {str(f.get_object()["/BaseFont"]) for page in PdfReader(cairo).pages
                  for f in page["/Resources"]["/Font"].values()}
    assert "/AAAAAA+NotoSansArabic-Regular" in fonts_used


def test_cancel_leaves_no_file(office: Office, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        make_report(office.db.uow, ReportRequest("partnership", office.network), target,
                    should_cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_report_keeps_the_previous_file(office: Office, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous report")
    with pytest.raises(ReportCancelled):
        make_report(office.db.uow, ReportRequest("partnership", office.network), target,
                    should_cancel=iter([False, False, True, True, True]).__next__)
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.mark.parametrize(("request_", "message"), [
    (ReportRequest("invoice", "x"), "unknown report"),
    (ReportRequest("portfolio"), "needs a year"),
    (ReportRequest("portfolio", year=12), "is not a year"),
    (ReportRequest("city"), "choose the record"),
])
def test_bad_requests_are_refused(office: Office, tmp_path: Path, request_: ReportRequest,
                                  message: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError, match=message):
        make_report(office.db.uow, request_, out / "x.pdf")
    assert list(out.iterdir()) == []


def test_an_unknown_record_is_refused(office: Office, tmp_path: Path) -> None:
    with pytest.raises(CityPartnerError, match="No city with id nope"):
        make_report(office.db.uow, ReportRequest("visit", "nope"), tmp_path / "x.pdf")
    with pytest.raises(CityPartnerError, match="does not exist"):
        make_report(office.db.uow, ReportRequest("city", office.home),
                    tmp_path / "missing" / "x.pdf")


def test_default_office_name_is_the_home_citys(office: Office, tmp_path: Path) -> None:
    path = make_report(office.db.uow, ReportRequest("city", office.home), tmp_path / "x.pdf",
                       generated=GENERATED)
    assert has(pdf_text(path), "Office for International Relations · Nuremberg")


def test_fonts_ship_with_their_licences() -> None:
    from citypartner_desktop.paths import resource_path

    for file in (*fonts.BODY_FILES.values(), *(f for _n, f in fonts.FALLBACKS)):
        assert resource_path(f"fonts/{file}").stat().st_size > 10_000, file
    for licence in ("OFL.txt", "OFL-Nanum.txt", "LICENSE-Apache-2.0.txt"):
        assert "License" in resource_path(f"fonts/{licence}").read_text(encoding="utf-8")
