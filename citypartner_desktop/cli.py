"""The command line: a product interface (office IT scripts it) and how tests drive the app.

Exit codes: 0 success; 1 the user's input or data was refused (the message says why);
2 usage error (argparse). A user mistake never ends in a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from citypartner_desktop import __version__
from citypartner_desktop.paths import resolve_database_path

# When the process got going, as far as we can see; start-up milestones count from here.
PROCESS_START = time.perf_counter()

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _add_db(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        # On sub-commands SUPPRESS keeps a --db given before the command from being reset.
        default=None if top else argparse.SUPPRESS,
        help="database file (default: $CITYPARTNER_DB, else the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citypartner",
        description="CityPartner Desktop: partner cities, partnerships, agreements, activities.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_db(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="start the desktop application (the default)")
    _add_db(gui)

    init = sub.add_parser("init", help="create or upgrade a database")
    _add_db(init)

    info = sub.add_parser("info", help="schema revision, record counts, size and health")
    _add_db(info)
    info.add_argument("--json", action="store_true", help="print machine-readable JSON")

    demo = sub.add_parser("demo", help="fill an empty database with realistic demo data")
    _add_db(demo)
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small: a working office; large: 10,000 cities, 200,000 contacts, "
        "1,000,000 activities",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")

    report = sub.add_parser("report", help="make a PDF report")
    _add_db(report)
    report.add_argument("kind", choices=("partnership", "city", "visit", "evaluation",
                                         "portfolio"),
                        help="partnership dossier, city profile, visit briefing pack, "
                             "evaluation report or annual portfolio report")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--id", help="the record's id")
    which.add_argument("--name", help="the record's name (must match exactly one record)")
    report.add_argument("--year", type=int, help="portfolio year (default: the current year)")
    report.add_argument("--office", help="office name in the page headers "
                                         "(default: the home city's office)")
    report.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="PDF file")
    export = sub.add_parser("export", help="write records to a file other programs read")
    _add_db(export)
    export.add_argument("kind", choices=tuple(EXPORT_FORMATS),
                        help="deadlines: agreement expiry and decide-by dates, evaluation and "
                             "action due dates, as a calendar (iCalendar)")
    export.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
    export.add_argument("--format", dest="file_format",
                        help="file format (deadlines: ics, the default)")
    backup = sub.add_parser(
        "backup", help="consistent backup (safe while the application is running)")
    _add_db(backup)
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="write the backup here (default: the rotated backups/ folder "
                        "beside the database)")

    restore = sub.add_parser(
        "restore", help="replace the database by a backup (the current state is backed up first)")
    restore.add_argument("backup", metavar="BACKUP", help="the backup file to restore")
    _add_db(restore)

    check = sub.add_parser(
        "check", help="full integrity and foreign-key check; exit 1 when damaged")
    _add_db(check)

    backups = sub.add_parser("backups", help="list the database's backups with record counts")
    _add_db(backups)
    return parser


# export KIND -> its formats, the first being the default; run by _EXPORTERS[kind]
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "deadlines": ("ics",),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    db_path = resolve_database_path(args.db)
    if command == "gui":
        from citypartner_desktop.ui.app import run_gui

        return run_gui(db_path, started=PROCESS_START)

    from citypartner_desktop.domain.errors import CityPartnerError

    if command != "check":
        _warn_about_storage(db_path)
    try:
        if command == "backup":
            return _backup(db_path, args.output)
        if command == "restore":
            return _restore(db_path, Path(args.backup))
        if command == "check":
            return _check(db_path)
        if command == "backups":
            return _list_backups(db_path)
        if command == "init":
            return _init(db_path)
        if command == "info":
            return _info(db_path, as_json=args.json)
        if command == "demo":
            return _demo(db_path, args.size, args.seed)
        if command == "export":
            formats = EXPORT_FORMATS[args.kind]
            file_format = (args.file_format or formats[0]).lower()
            if file_format not in formats:
                parser.error(f"export {args.kind} writes {', '.join(formats)}, "
                             f"not {args.file_format!r}")
            return _EXPORTERS[args.kind](db_path, Path(args.output).expanduser(), file_format)
        if command == "report":
            if args.kind != "portfolio" and not (args.id or args.name):
                parser.error(f"report {args.kind} needs --id ID or --name TEXT")
            if args.kind == "portfolio" and (args.id or args.name):
                parser.error("report portfolio is about a year: give --year N, not --id/--name")
            return _report(db_path, args)
    except CityPartnerError as exc:
        print(f"citypartner: {exc}", file=sys.stderr)
        _suggest_recovery(exc, db_path)
        return EXIT_REFUSED
    parser.error(f"unknown command {command!r}")
    return EXIT_USAGE


def _suggest_recovery(exc: Exception, db_path: Path) -> None:
    from citypartner_desktop.domain.errors import DatabaseDamagedError

    if not isinstance(exc, DatabaseDamagedError):
        return
    from citypartner_desktop.services.backups import newest_good_backup

    good = newest_good_backup(db_path)
    if good is None:
        print("There is no good backup of it. Do not use the file; it can still be examined.",
              file=sys.stderr)
        return
    print(f"The newest good backup is {good.path}; restore it with:\n"
          f"  citypartner restore {good.path} --db {db_path}\n"
          "(the damaged file is then moved to the recovery folder beside it, not deleted)",
          file=sys.stderr)


def _warn_about_storage(db_path: Path) -> None:
    from citypartner_desktop.services.safety import storage_warning

    warning = storage_warning(db_path)
    if warning:
        print(f"citypartner: warning: {warning}", file=sys.stderr)


def _backup(db_path: Path, output: str | None) -> int:
    from citypartner_desktop.services.backups import backup_now

    target = backup_now(db_path, Path(output).expanduser() if output else None)
    print(f"Backed up {db_path} to {target}")
    return EXIT_OK


def _restore(db_path: Path, backup: Path) -> int:
    from citypartner_desktop.services.backups import restore
    from citypartner_desktop.services.installation import current_actor

    result = restore(db_path, backup.expanduser(), current_actor())
    print(f"Restored {db_path} from {result.restored_from}")
    if result.safety_copy:
        print(f"The database as it was before is in {result.safety_copy}")
    if result.damaged_moved_to:
        print(f"The damaged database was moved to {result.damaged_moved_to}")
    return EXIT_OK


def _check(db_path: Path) -> int:
    from citypartner_desktop.services.safety import full_check

    report = full_check(db_path)
    if report.ok:
        print(f"{db_path}: ok (integrity and foreign keys checked)")
        return EXIT_OK
    print(f"{db_path} is damaged:", file=sys.stderr)
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    print("Restore a backup with: citypartner restore BACKUP --db PATH "
          "(list them with: citypartner backups --db PATH)", file=sys.stderr)
    return EXIT_REFUSED


def _list_backups(db_path: Path) -> int:
    from citypartner_desktop.services.backups import describe_all

    found = describe_all(db_path)
    if not found:
        print(f"No backups of {db_path} yet.")
    for b in found:
        when = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M") if b.taken_at else "?"
        what = ", ".join(f"{n:,} {k}" for k, n in b.counts.items()) if b.usable else \
            f"NOT USABLE: it {b.problem}"
        print(f"{when}  {b.reason:<22} {b.path}  {what}")
    return EXIT_OK


def _init(db_path: Path) -> int:
    from citypartner_desktop.services.database import open_db

    db = open_db(db_path)
    try:
        if db.lock is not None and db.lock.stale_owner is not None:
            print(f"Cleared a stale lock left by {db.lock.stale_owner.describe()}")
        if db.created:
            print(f"Created {db.path}")
        elif db.upgraded_from:
            print(f"Upgraded {db.path} from schema {db.upgraded_from} (backup: {db.backup_path})")
        else:
            print(f"{db.path} is up to date")
    finally:
        db.close()
    return EXIT_OK


def _info(db_path: Path, *, as_json: bool) -> int:
    from citypartner_desktop.domain.errors import NotFoundError
    from citypartner_desktop.services.database import info, open_db

    if not db_path.exists():
        raise NotFoundError(f"{db_path} does not exist; create it with: citypartner init --db PATH")
    db = open_db(db_path)
    try:
        facts = info(db)
    finally:
        db.close()
    if as_json:
        print(json.dumps(facts.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Database:  {facts.path}")
    print(f"Schema:    {facts.schema_revision}")
    print(f"Size:      {facts.size_bytes:,} bytes")
    print(f"Health:    {facts.health}")
    for name, n in facts.counts.items():
        print(f"  {name:<14}{n:>10,}")
    return EXIT_OK


def _report(db_path: Path, args: argparse.Namespace) -> int:
    from datetime import date

    from citypartner_desktop.domain.errors import NotFoundError
    from citypartner_desktop.reports.make import ReportRequest, make_report
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.report_data import resolve

    if not db_path.exists():
        raise NotFoundError(f"{db_path} does not exist; create it with: citypartner init --db PATH")
    db = open_db(db_path)
    try:
        record_id = (None if args.kind == "portfolio"
                     else resolve(db.uow(), args.kind, record_id=args.id, name=args.name))
        year = args.year if args.year is not None else date.today().year
        out = make_report(db.uow, ReportRequest(args.kind, record_id, year),
                          Path(args.output).expanduser(), office=args.office)
    finally:
        db.close()
    print(f"Wrote {out}")
    return EXIT_OK


def _open_existing(db_path: Path) -> Any:
    from citypartner_desktop.domain.errors import NotFoundError
    from citypartner_desktop.services.database import open_db

    if not db_path.exists():
        raise NotFoundError(f"{db_path} does not exist; create it with: citypartner init --db PATH")
    return open_db(db_path)


def _export_deadlines(db_path: Path, output: Path, _file_format: str) -> int:
    from datetime import date

    from citypartner_desktop.interop.deadlines_ics import export_deadlines

    db = _open_existing(db_path)
    try:
        count = export_deadlines(db.uow(), output, date.today())  # the user's local date
    finally:
        db.close()
    print(f"Wrote {count:,} deadlines to {output}")
    return EXIT_OK


_EXPORTERS: dict[str, Callable[[Path, Path, str], int]] = {
    "deadlines": _export_deadlines,
}


def _demo(db_path: Path, size: str, seed: int) -> int:
    import time

    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.demo import load_demo

    db = open_db(db_path)
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 1 or done == total:
            last[0] = now
            line = f"{what}: {done:,}/{total:,}"
            print(f"\r{line:<60}", end="", file=sys.stderr, flush=True)

    try:
        summary = load_demo(db, size, seed, progress=progress)  # type: ignore[arg-type]
    finally:
        db.close()
    print(file=sys.stderr)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{n:,} {k}" for k, n in summary.counts.items() if n)
    print(f"Loaded {size} demo data into {db_path} in {elapsed:.1f} s: {counts}")
    return EXIT_OK
