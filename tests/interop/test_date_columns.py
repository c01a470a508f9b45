"""Dates as office lists hold them: a column whose one "17/05/2026" settles its "03/04/2026",
and dates written with the month's name in the offices' languages (CLDR's names, via Babel)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from babel.dates import get_month_names

from citypartner_desktop.interop.dates import (
    MONTH_NAME_LOCALES,
    infer_column_format,
    parse_import_date,
)


@pytest.fixture(autouse=True)
def _gazetteer() -> None:
    """These tests read values only: no gazetteer needed (the package's fixture builds one)."""


class TestColumnFormat:
    def test_one_day_first_value_settles_the_column(self) -> None:
        column = ["03/04/2026", None, "", "17/05/2026", datetime(2026, 1, 2), 46_000]
        assert infer_column_format(column) == "%d/%m/%Y"
        assert parse_import_date("03/04/2026", "%d/%m/%Y") == date(2026, 4, 3)

    def test_one_month_first_value_settles_the_column(self) -> None:
        assert infer_column_format(["05/17/2026", "03/04/2026", "2026-06-01"]) == "%m/%d/%Y"

    def test_the_separator_is_the_columns(self) -> None:
        assert infer_column_format(["17-05-2026", "03-04-2026"]) == "%d-%m-%Y"

    @pytest.mark.parametrize("column", [
        ["17/05/2026", "25/12/2026"],  # nothing ambiguous: read as they are
        ["03/04/2026", "05/06/2026"],  # ambiguous, and nothing tells the order
        ["17.05.2026", "2026-05-17", "17 May 2026"],
        ["03/04/2026", "17/05/2026", "17.05.2026"],  # the format would refuse 17.05.2026
        [],
    ])
    def test_none_when_nothing_is_settled(self, column: list[object]) -> None:
        assert infer_column_format(column) is None

    def test_a_column_that_contradicts_itself_names_both_values(self) -> None:
        with pytest.raises(ValueError, match=r'^"17/05/2026" can only be day first and '
                                             r'"05/17/2026" only month first'):
            infer_column_format(["17/05/2026", "03/04/2026", "05/17/2026"])

    def test_without_the_column_the_ambiguous_value_is_still_refused(self) -> None:
        with pytest.raises(ValueError, match=r"ambiguous \(3 April 2026 or 4 March 2026\)"):
            parse_import_date("03/04/2026")


class TestMonthNames:
    @pytest.mark.parametrize(("text", "expected"), [
        ("17 May 2026", date(2026, 5, 17)), ("May 17, 2026", date(2026, 5, 17)),
        ("17th of May 2026", date(2026, 5, 17)), ("Sept 3 2025", date(2025, 9, 3)),
        ("17. Mai 2026", date(2026, 5, 17)), ("3. März 2026", date(2026, 3, 3)),
        ("1er mars 2026", date(2026, 3, 1)), ("17 févr. 2026", date(2026, 2, 17)),
        ("17 maja 2026", date(2026, 5, 17)), ("17 maja 2026 r.", date(2026, 5, 17)),
        ("17 października 2026", date(2026, 10, 17)), ("17 marzec 2026", date(2026, 3, 17)),
        ("17 de mayo de 2026", date(2026, 5, 17)), ("17 maggio 2026", date(2026, 5, 17)),
        ("17 de maio de 2026", date(2026, 5, 17)), ("17 mei 2026", date(2026, 5, 17)),
        ("17. května 2026", date(2026, 5, 17)), ("17 travnya 2026", None),
        ("17 травня 2026 р.", date(2026, 5, 17)), ("17 мая 2026 г.", date(2026, 5, 17)),
        ("17-Mar-2026", date(2026, 3, 17)), ("17 LISTOPADA 2026", date(2026, 11, 17)),
    ])
    def test_written_dates(self, text: str, expected: date | None) -> None:
        if expected is None:
            with pytest.raises(ValueError, match="is not a date; use YYYY-MM-DD"):
                parse_import_date(text)
        else:
            assert parse_import_date(text) == expected

    def test_every_cldr_name_of_every_language_is_read(self) -> None:
        for locale in MONTH_NAME_LOCALES:
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    for month, name in get_month_names(width, context, locale).items():
                        text = f"17 {name} 2026"
                        assert parse_import_date(text) == date(2026, month, 17), (locale, text)

    def test_a_day_that_does_not_exist_is_said_so(self) -> None:
        with pytest.raises(ValueError, match=r'^"31 lutego 2026" is not a valid date$'):
            parse_import_date("31 lutego 2026")

    @pytest.mark.parametrize("text", ["May 2026", "17 May", "17 Mayo 2026 extra", "Monday"])
    def test_incomplete_or_unknown_forms_are_refused_as_before(self, text: str) -> None:
        with pytest.raises(ValueError, match=f'^"{text}" is not a date; use YYYY-MM-DD$'):
            parse_import_date(text)

    def test_a_given_format_still_decides(self) -> None:
        with pytest.raises(ValueError, match="does not match the date format"):
            parse_import_date("4 March 2025", "%d/%m/%Y")
