"""The contacts of a list in the CSV columns another address book imports: Outlook's or
Google Contacts' (``vendor_columns``), every e-mail, phone and address in its slot.

Written as the list exports write CSV (UTF-8 with a byte-order mark, atomically, page by
page), with one difference: a phone number written "+48 12 616 12 00" keeps its plus sign
bare. The list exports put an apostrophe before a cell starting with "+" (a spreadsheet would
run it as a formula); the mail program this file is for would keep the apostrophe in the
number, and digits, spaces and brackets after a "+" are no formula that can do harm.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain import contact_details
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.interop.cells import neutralise
from citypartner_desktop.interop.export import Progress, iter_ids, write_atomically
from citypartner_desktop.interop.vendor_columns import VENDORS, export_headers, export_row

_PHONE = re.compile(r"\+[\d ()./-]+")


def _cell(text: str) -> str:
    return text if _PHONE.fullmatch(text) else neutralise(text)


def export_for_program(db: Database, vendor: str, path: Path, query: ListQuery | None = None,
                       *, progress: Progress | None = None,
                       should_cancel: Callable[[], bool] | None = None) -> Path:
    """Write the list's contacts for ``vendor`` ("outlook" or "google") to ``path``."""
    from citypartner_desktop.domain.errors import CityPartnerError
    from citypartner_desktop.services.exports import contact_cards

    if vendor not in VENDORS:
        raise CityPartnerError(f'"{vendor}" is not a program to export contacts for; use '
                               f'{" or ".join(VENDORS)}.')

    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(export_headers(vendor))
        for ids in iter_ids(db, "contact", query or ListQuery(), progress=progress,
                            should_cancel=should_cancel):
            found = contact_cards(db.uow(), ids)
            for contact_id in ids:
                values = found[contact_id]
                details = contact_details.parse(values.get("details"))
                writer.writerow([_cell(c) for c in export_row(vendor, values, details)])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            for chunk in chunks():
                handle.write(chunk)

    write_atomically(path, write)
    return path
