"""Hostile spreadsheets: peak memory and seconds of reading them for an import (read_table),
beside an anchor from the same run. Target: every import's peak memory at most 400 MB.

    python -m benchmarks.import_limits [--rows 2000000] [--folder DIR]

Builds, in a temporary folder (or DIR, kept):

1. a .xlsx of about 400 KB holding one 400 MB text (in its shared text, where Excel keeps it);
2. a .xlsx of 2,000,000 rows (a text from a list of 100,000 names and a number per row, with
   the <dimension> Excel writes).

Each reading runs in a child process of its own (the app's import modules loaded, as the
import command has them), which reports its seconds and its peak resident memory
(getrusage ru_maxrss: the whole process, the interpreter included). Anchor: openpyxl's
``load_workbook(read_only=True)`` iterating the first 1,000 rows of the same file, in a child
of its own: what a plain streaming read costs before any limit.

A report, not a test: exit code 0 whatever the figures; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
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


def report(label: str, path: Path, ours: dict[str, Any], anchor: dict[str, Any]) -> bool:
    print(f"\n== {label}: {path.name}, {path.stat().st_size / MB:,.1f} MB on disk")
    print(f"{'':<12} {'seconds':>11} {'peak':>9}   outcome")
    for name, row in (("read_table", ours), ("anchor", anchor)):
        outcome = row["outcome"] if len(row["outcome"]) < 150 else row["outcome"][:147] + "…"
        print(f"{name:<12} {_figure(row['seconds'], 's'):>11} {_figure(row['peak_mb'], 'MB'):>9}"
              f"   {outcome}")
    print(f"{'ratio':<12} {_ratio(ours['seconds'], anchor['seconds']):>11} "
          f"{_ratio(ours['peak_mb'], anchor['peak_mb']):>9}   (read_table / anchor)")
    if ours.get("loaded_mb") is not None:
        print(f"read_table's process held {ours['loaded_mb']:,.0f} MB with its modules loaded, "
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
        print(json.dumps((child_read if kind == "read" else child_anchor)(Path(path))))
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
    print(f"\nevery reading's peak ≤ {TARGET_MB:,.0f} MB: {'PASS' if all(results) else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
