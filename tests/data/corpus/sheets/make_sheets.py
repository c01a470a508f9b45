"""Make the workbooks in this folder: ``python tests/data/corpus/sheets/make_sheets.py``.

The layout is written with openpyxl (partners-source.xlsx, not kept), then LibreOffice Calc
(``soffice --headless``, Debian's libreoffice-calc-nogui 7.4) saves it as LibreOffice and Excel
do: .ods, old Excel 97-2003 .xls and .xlsx. Those three files are kept, so the tests need no
LibreOffice. A headless LibreOffice has no window, so it saves the first tab as the one open;
``activate`` then marks "Cities" open where a LibreOffice or Excel with a window writes it
(settings.xml's ActiveTable, WINDOW1's itabCur, workbookView's activeTab). Each holds the
same sheets:

- "Notes" (the first tab): two lines of text, not a table;
- "Cities" (the active tab): a title "Partner cities of Kraków 2025" merged over A1:E1, a
  blank line, the header on line 3, a country merged over lines 4 to 8, line 7 hidden by hand
  and line 10 hidden by an autofilter, a "Total:" line with a sum at the end;
- "Contacts": a two-line header, "Contact" merged over three columns and "Address" over two;
- "Pairs": a two-line header whose lower names repeat ("City", "Country" under "Home" and
  under "Partner"), and "Since" merged over both lines.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def source(path: Path) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Exported from the partnership register"])
    notes.append(["Ask Anna before changing the Cities sheet"])

    cities = book.create_sheet("Cities")
    cities["A1"] = "Partner cities of Kraków 2025"
    cities.merge_cells("A1:E1")
    cities.append([])
    cities.append(["City", "Country", "Population", "Since", "Contact"])
    rows = [
        ("Łódź", "Poland", 658_444, datetime(1994, 5, 3), "Ewa"),
        ("Gdańsk", None, 486_022, datetime(1997, 6, 17), "Jan"),
        ("Wrocław", None, 674_132, datetime(2001, 9, 1), "Olga"),
        ("Poznań", None, 541_316, datetime(2003, 3, 12), "Piotr"),  # line 7: hidden
        ("Zakopane", None, 27_266, datetime(2010, 10, 10), "Zofia"),
        ("Kyiv", "Ukraine", 2_952_301, datetime(1993, 1, 30), "Taras"),
        ("Düsseldorf", "Germany", 629_047, datetime(2012, 11, 23), "Jens"),  # line 10: filter
        ("Besançon", "France", 119_198, datetime(1990, 4, 2), "Claire"),
    ]
    for row in rows:
        cities.append(list(row))
    cities.merge_cells("B4:B8")
    cities.append(["Total:", None, "=SUM(C4:C11)", None, None])
    cities.row_dimensions[7].hidden = True
    cities.auto_filter.ref = "A3:E11"
    cities.auto_filter.add_filter_column(1, ["Poland", "Ukraine", "France"])
    cities.row_dimensions[10].hidden = True
    book.active = cities
    notes.sheet_view.tabSelected = False

    contacts = book.create_sheet("Contacts")
    contacts.append(["Contact", None, None, "Address", None])
    contacts.merge_cells("A1:C1")
    contacts.merge_cells("D1:E1")
    contacts.append(["Name", "E-mail", "Phone", "City", "Country"])
    contacts.append(["Ewa Nowak", "ewa@lodz.pl", "+48 42 638 40 00", "Łódź", "Poland"])
    contacts.append(["Taras Shevchenko", "taras@kyivcity.gov.ua", "+380 44 202 70 00", "Kyiv",
                     "Ukraine"])

    pairs = book.create_sheet("Pairs")
    pairs.append(["Home", None, "Partner", None, "Since"])
    pairs.merge_cells("A1:B1")
    pairs.merge_cells("C1:D1")
    pairs.merge_cells("E1:E2")
    pairs.append(["City", "Country", "City", "Country"])
    pairs.append(["Kraków", "Poland", "Kyoto", "Japan", 1994])
    pairs.append(["Kraków", "Poland", "Lviv", "Ukraine", 1995])
    book.save(path)


def _rewrite(path: Path, change: dict[str, tuple[bytes, bytes]]) -> None:
    """The zip with parts changed (old -> new), its parts in order and packed as they were."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, content in parts:
            old, new = change.get(info.filename, (b"", b""))
            if old:
                assert old in content, (path, info.filename)
                content = content.replace(old, new, 1)
            target.writestr(info, content, compress_type=info.compress_type)


def activate(path: Path, tab: int, title: str) -> None:
    """Mark sheet ``title`` (tab ``tab``, from 0) as the one open when the file was saved."""
    if path.suffix == ".ods":
        views = ('<config:config-item-map-indexed config:name="Views">'
                 "<config:config-item-map-entry>"
                 '<config:config-item config:name="ViewId" config:type="string">view1'
                 "</config:config-item>"
                 '<config:config-item config:name="ActiveTable" config:type="string">'
                 f"{title}</config:config-item>"
                 "</config:config-item-map-entry></config:config-item-map-indexed>")
        settings = zipfile.ZipFile(path).read("settings.xml")
        end = re.search(rb'config:name="ooo:view-settings">.*?(</config:config-item-set>)',
                        settings, re.DOTALL)
        assert end is not None
        old = settings[end.start(1):]
        _rewrite(path, {"settings.xml": (old, views.encode() + old)})
    elif path.suffix == ".xlsx":
        _rewrite(path, {
            "xl/workbook.xml": (b'activeTab="0"', f'activeTab="{tab}"'.encode()),
            "xl/worksheets/sheet1.xml": (b'tabSelected="true"', b'tabSelected="false"'),
            f"xl/worksheets/sheet{tab + 1}.xml": (b'tabSelected="false"',
                                                  b'tabSelected="true"'),
        })
    else:  # .xls: WINDOW1 (0x3D, 18 bytes) holds the active tab (itabCur) at its 10th byte
        data = bytearray(path.read_bytes())
        window = data.find(b"\x3d\x00\x12\x00")
        assert window > 0 and data.count(b"\x3d\x00\x12\x00") == 1
        struct.pack_into("<H", data, window + 4 + 10, tab)
        path.write_bytes(bytes(data))


def main() -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("LibreOffice (soffice) is needed: apt-get install "
                         "libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        original = folder / "partners-source.xlsx"
        source(original)
        ods = folder / "partners.ods"
        for target, origin in (("ods", original), ("xls", ods), ("xlsx", ods)):
            subprocess.run([office, "--headless", "--convert-to", target, "--outdir",
                            str(folder / target), str(origin)], check=True,
                           capture_output=True, timeout=120)
            made = folder / target / f"{origin.stem}.{target}"
            if target == "ods":
                shutil.copy(made, ods)
            kept = HERE / f"partners.{target}"
            shutil.copy(made, kept)
            activate(kept, 1, "Cities")


if __name__ == "__main__":
    main()
