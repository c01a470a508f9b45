"""Hostile spreadsheets: peak memory and seconds of reading them for an import (read_table),
beside an anchor from the same run. Target: every import's peak memory at most 400 MB.

    python -m benchmarks.import_limits [--rows 2000000] [--folder DIR]

Builds, in a temporary folder (or DIR, kept):

1. a .xlsx of about 400 KB holding one 400 MB text (in its shared text, where Excel keeps it);
2. a .xlsx of 2,000,000 rows (a text from a list of 100,000 names and a number per row, with
   the <dimension> Excel writes);
3. two contacts CSVs, a narrow one (name, city, country) and a wide one (seven columns), each
   of the most rows the held limit lets in (within 1%, found by bisection). These are
   imported whole, as ``citypartner import contacts FILE`` does it (read, mapped, every row
   planned, backed up, written) into a new database: the write holds its page cache beside
   the rows, so it is the higher peak.

Each reading runs in a child process of its own (the app's import modules loaded, as the
import command has them), which reports its seconds and its peak resident memory
(getrusage ru_maxrss: the whole process, the interpreter included). Anchor: openpyxl's
``load_workbook(read_only=True)`` iterating the first 1,000 rows of the same file, in a child
of its own: what a plain streaming read costs before any limit; for the whole imports, the
csv module reading the same file into a list of dicts (what a naive import would hold).

A report, not a test: exit code 0 whatever the figures; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 400.0
ANCHOR_ROWS = 1000
CHILD_TIMEOUT_S = 900
MB = 2**20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
Writer = Callable[[IO[bytes]], None]


# -- the files ------------------------------------------------------------------------------------
def write_xlsx(path: Path, sheet: Writer | str, shared: Writer | Iterable[str] | None = None,
         styles: str | None = None, workbook_pr: str = "", level: int = 6) -> Path:
    """A minimal workbook: the worksheet's XML (or a writer streaming it), shared text (a list
    of <si> bodies, or a writer), the styles' XML."""
    overrides = [("workbook.xml", "sheet.main"), ("worksheets/sheet1.xml", "worksheet")]
    rels = [("worksheet", "worksheets/sheet1.xml")]
    if shared is not None:
        overrides.append(("sharedStrings.xml", "sharedStrings"))
        rels.append(("sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        overrides.append(("styles.xml", "styles"))
        rels.append(("styles", "styles.xml"))
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="/xl/{p}" ContentType="{CT}{t}+xml"/>'
                      for p, t in overrides) + "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                       f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
                           '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}">' + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
            for i, (kind, target) in enumerate(rels, 1)) + "</Relationships>",
    }
    if styles is not None:
        parts["xl/styles.xml"] = styles
    if isinstance(sheet, str):
        parts["xl/worksheets/sheet1.xml"] = sheet
    if shared is not None and not callable(shared):
        parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN}">'
                                         + "".join(f"<si>{s}</si>" for s in shared) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for member, text in parts.items():
            archive.writestr(member, text)
        for member, writer in (("xl/worksheets/sheet1.xml", sheet),
                               ("xl/sharedStrings.xml", shared)):
            if callable(writer):
                with archive.open(member, "w", force_zip64=True) as handle:
                    writer(handle)
    return path


def huge_string_xlsx(path: Path) -> Path:
    def shared(handle: IO[bytes]) -> None:
        handle.write(f'<sst xmlns="{MAIN}"><si><t>name</t></si><si><t>notes</t></si>'
                     "<si><t>Kraków</t></si><si><t>".encode())
        block = b"x" * MB
        for _ in range(400):
            handle.write(block)
        handle.write(b"</t></si></sst>")

    def sheet(handle: IO[bytes]) -> None:
        handle.write(f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/><sheetData>'
                     '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                     '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
                     "</sheetData></worksheet>".encode())

    return write_xlsx(path, sheet, shared)


def many_rows_xlsx(path: Path, rows: int, names: int = 100_000) -> Path:
    def shared(handle: IO[bytes]) -> None:
        handle.write(f'<sst xmlns="{MAIN}"><si><t>city</t></si><si><t>population</t></si>'
                     .encode())
        handle.write("".join(f"<si><t>City {n}</t></si>" for n in range(names)).encode())
        handle.write(b"</sst>")

    def sheet(handle: IO[bytes]) -> None:
        handle.write(f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B{rows + 1}"/><sheetData>'
                     '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                     .encode())
        for start in range(2, rows + 2, 10_000):
            handle.write("".join(
                f'<row r="{n}"><c r="A{n}" t="s"><v>{2 + n % names}</v></c>'
                f'<c r="B{n}"><v>{n * 7 % 1_000_003}</v></c></row>'
                for n in range(start, min(start + 10_000, rows + 2))).encode())
        handle.write(b"</sheetData></worksheet>")

    return write_xlsx(path, sheet, shared)


def contacts_csv(path: Path, rows: int, wide: bool) -> Path:
    cities = (("Kraków", "PL"), ("Köln", "DE"), ("Lyon", "FR"), ("Porto", "PT"), ("Gent", "BE"))
    with path.open("w", encoding="utf-8", newline="") as handle:
        if wide:
            handle.write("Name,E-mail,Phone,Organisation,City,Country,Role\n")
        else:
            handle.write("Name,City,Country\n")
        for n in range(rows):
            city, country = cities[n % len(cities)]
            if wide:
                handle.write(f"Person Number{n},p{n}@example.org,+48 12 {n % 1000:03d} "
                             f"{n % 10000:04d},City hall international office,{city},{country},"
                             "Officer\n")
            else:
                handle.write(f"P{n},{city},{country}\n")
    return path


def largest_let_in(path: Path, wide: bool, start_rows: int = 600_000) -> Path:
    """The contacts CSV of the most rows the reading lets in (within 1%): the file's own text
    counts too, so a shorter file lets in more rows than the line a longer one was refused
    at; bisect between that line and ``start_rows``."""
    def refused_at(rows: int) -> int | None:
        contacts_csv(path, rows, wide)
        found = re.search(r"by line ([\d,]+)", str(in_child("read", path)["outcome"]))
        return None if found is None else int(found.group(1).replace(",", ""))

    first = refused_at(start_rows)
    if first is None:
        return path  # all of it was let in
    low, high = first - 2, start_rows  # low rows are let in (a shorter file holds less)
    while high - low > max(low // 100, 100):
        middle = (low + high) // 2
        if refused_at(middle) is None:
            low = middle
        else:
            high = middle
    return contacts_csv(path, low, wide)


# -- the children ---------------------------------------------------------------------------------
def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024  # bytes there, KB here


def child_read(path: Path) -> dict[str, Any]:
    import citypartner_desktop.interop.importer  # noqa: F401  (the import command's modules)
    from citypartner_desktop.interop.tables import FileRefused, read_table

    loaded = peak_mb()
    started = time.perf_counter()
    try:
        table = read_table(path)
        outcome = f"read: {len(table.rows):,} rows"
    except FileRefused as exc:
        outcome = f"refused: {exc}"
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
            "loaded_mb": loaded, "outcome": outcome}


def child_import(path: Path) -> dict[str, Any]:
    from citypartner_desktop.interop.importer import import_file
    from citypartner_desktop.interop.tables import FileRefused
    from citypartner_desktop.services.database import open_db

    with tempfile.TemporaryDirectory() as scratch:
        db = open_db(Path(scratch) / "office.db")
        loaded = peak_mb()
        started = time.perf_counter()
        try:
            _prepared, done = import_file(db, "contacts", path)
            outcome = f"created {done.created.get('contacts', 0):,} contacts"
        except FileRefused as exc:
            outcome = f"refused: {exc}"
        db.close()
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
            "loaded_mb": loaded, "outcome": outcome}


def child_csv_anchor(path: Path) -> dict[str, Any]:
    loaded = peak_mb()
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        kept = list(csv.DictReader(handle))
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
            "loaded_mb": loaded, "outcome": f"read: {len(kept):,} rows as dicts"}


def child_anchor(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    loaded = peak_mb()
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in book.worksheets[0].iter_rows(values_only=True, max_row=ANCHOR_ROWS):
        count += 1
    book.close()
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
            "loaded_mb": loaded, "outcome": f"read: first {count:,} rows"}


def in_child(kind: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.import_limits", "--child", kind, str(path)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=CHILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mb": None, "outcome": f"ERROR: over {CHILD_TIMEOUT_S} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": None, "peak_mb": None,
                "outcome": f"ERROR exit {done.returncode}: {last}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the report -----------------------------------------------------------------------------------
def _figure(value: float | None, unit: str) -> str:
    return "n/a" if value is None else f"{value:,.2f} {unit}" if unit == "s" else \
        f"{value:,.0f} {unit}"


def _ratio(ours: float | None, anchor: float | None) -> str:
    return f"{ours / anchor:.3g}x" if ours is not None and anchor else ""


def report(label: str, path: Path, ours: dict[str, Any], anchor: dict[str, Any],
           name: str = "read_table") -> bool:
    print(f"\n== {label}: {path.name}, {path.stat().st_size / MB:,.1f} MB on disk")
    print(f"{'':<12} {'seconds':>11} {'peak':>9}   outcome")
    for who, row in ((name, ours), ("anchor", anchor)):
        outcome = row["outcome"] if len(row["outcome"]) < 150 else row["outcome"][:147] + "…"
        print(f"{who:<12} {_figure(row['seconds'], 's'):>11} {_figure(row['peak_mb'], 'MB'):>9}"
              f"   {outcome}")
    print(f"{'ratio':<12} {_ratio(ours['seconds'], anchor['seconds']):>11} "
          f"{_ratio(ours['peak_mb'], anchor['peak_mb']):>9}   ({name} / anchor)")
    if ours.get("loaded_mb") is not None:
        print(f"{name}'s process held {ours['loaded_mb']:,.0f} MB with its modules loaded, "
              "before reading")
    passed = ours["peak_mb"] is not None and ours["peak_mb"] <= TARGET_MB
    print(f"peak ≤ {TARGET_MB:,.0f} MB: {'PASS' if passed else 'FAIL'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_limits",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000,
                        help="data rows of the many-rows file (default 2,000,000)")
    parser.add_argument("--folder", type=Path,
                        help="build the files here and keep them (default: a temporary folder)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child
        children = {"read": child_read, "anchor": child_anchor, "import": child_import,
                    "csv-anchor": child_csv_anchor}
        print(json.dumps(children[kind](Path(path))))
        return 0
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results = []
        files: list[tuple[str, Callable[[], Path]]] = [
            ("one 400 MB text", lambda: huge_string_xlsx(folder / "string400.xlsx")),
            (f"{args.rows:,} rows", lambda: many_rows_xlsx(folder / "rows.xlsx", args.rows))]
        for label, build in files:
            started = time.perf_counter()
            path = build()
            print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
            results.append(report(label, path, in_child("read", path), in_child("anchor", path)))
            sys.stdout.flush()
        for wide in (False, True):
            started = time.perf_counter()
            path = largest_let_in(folder / f"contacts_{'wide' if wide else 'narrow'}.csv", wide)
            print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
            label = f"the {'wide' if wide else 'narrow'} contacts CSV of the most rows let in"
            results.append(report(label, path, in_child("import", path),
                                  in_child("csv-anchor", path), "import"))
            sys.stdout.flush()
    verdict = "PASS" if all(results) else "FAIL"
    print(f"\nevery reading's and import's peak ≤ {TARGET_MB:,.0f} MB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
