"""The command line: a product interface (office IT scripts it) and how tests drive the app.

Exit codes: 0 success; 1 the user's input or data was refused (the message says why);
2 usage error (argparse). A user mistake never ends in a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from citypartner_desktop import __version__
from citypartner_desktop.paths import resolve_database_location

if TYPE_CHECKING:
    from citypartner_desktop.domain.records import ListQuery

# When the process got going, as far as we can see; start-up milestones count from here.
PROCESS_START = time.perf_counter()

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_VERSION_MOVED = 3  # set --if-version: the record was saved since that version


def _add_db(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        # On sub-commands SUPPRESS keeps a --db given before the command from being reset.
        default=None if top else argparse.SUPPRESS,
        help="database file, or an office server as postgresql://user@host/database "
             "(default: $CITYPARTNER_DB, else the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citypartner",
        description="CityPartner Desktop: partner cities, partnerships, agreements, activities.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_db(parser, top=True)
    parser.add_argument("--passphrase-file", metavar="FILE", default=None,
                        help="the passphrase of an encrypted visit pack given as --db, in this "
                             "file (its first line)")
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
                                         "portfolio", "processing"),
                        help="partnership dossier, city profile, visit briefing pack, "
                             "evaluation report, annual portfolio report or the record of "
                             "processing of personal data")
    which = report.add_mutually_exclusive_group()
    which.add_argument("--id", help="the record's id")
    which.add_argument("--name", help="the record's name (must match exactly one record)")
    report.add_argument("--year", type=int, help="portfolio year (default: the current year)")
    report.add_argument("--office", help="office name in the page headers "
                                         "(default: the home city's office)")
    report.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="PDF file")
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
        "check", help="full integrity, foreign-key and attachment checksum check; exit 1 "
                      "when damaged")
    _add_db(check)

    backups = sub.add_parser("backups", help="list the database's backups with record counts")
    _add_db(backups)
    _add_import(sub)
    _add_export(sub)
    _add_get_set(sub)
    _add_server(sub)
    from citypartner_desktop.cli_packs import add_pack

    add_pack(sub, _add_db)
    from citypartner_desktop.cli_privacy import add_privacy

    add_privacy(sub, _add_db)
    _add_duplicates(sub)
    return parser


def _add_duplicates(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    find = sub.add_parser("duplicates", help="list possible duplicate cities or contacts")
    _add_db(find)
    find.add_argument("kind", choices=("cities", "contacts"), metavar="KIND",
                      help="cities or contacts")
    find.add_argument("--threshold", type=int, default=90, metavar="0-100",
                      help="how similar names must be (default 90)")
    merge = sub.add_parser("merge", help="merge two cities or contacts into one (links move "
                                         "to the kept one; the other is deleted)")
    _add_db(merge)
    merge.add_argument("kind", choices=("cities", "contacts"), metavar="KIND",
                       help="cities or contacts")
    merge.add_argument("keep", metavar="KEEP_ID", help="the record to keep")
    merge.add_argument("drop", metavar="OTHER_ID", help="the record merged into it")
    merge.add_argument("--take", action="extend", nargs="+", default=[], metavar="FIELD",
                       help="fields whose value comes from OTHER_ID (default: the kept "
                            "record's, or the other's where the kept one is empty)")


def _duplicates(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.duplicates import find_duplicates

    db = open_store(db_path, read_only_ok=True)
    try:
        pairs = find_duplicates(db, "city" if args.kind == "cities" else "contact",
                                args.threshold)
    finally:
        db.close()
    for pair in pairs:
        print(f"{pair.score:>3}  {pair.first_label}  ~  {pair.second_label}  ({pair.reason})\n"
              f"     citypartner merge {args.kind} {pair.first_id} {pair.second_id}")
    print(f"{len(pairs):,} possible duplicates.")
    return EXIT_OK


def _merge(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.duplicates import merge

    kind = "city" if args.kind == "cities" else "contact"
    db = open_store(db_path)
    try:
        from citypartner_desktop.services.backups import backup_before

        moved = merge(db, kind, args.keep, args.drop, dict.fromkeys(args.take, "drop"),
                      before=lambda: backup_before(db, "merge"))
    finally:
        db.close()
    links = ", ".join(f"{n} {k}" for k, n in moved.items()) or "no links"
    print(f"Merged {args.drop} into {args.keep}; moved {links}.")
    return EXIT_OK

IMPORT_KINDS = ("cities", "contacts", "partnerships", "activities", "all")


def _add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import", help="import cities, contacts, partnerships (pairs of cities) or activities "
                       "from CSV or Excel (.xlsx)",
        description="Checks every row first; writes nothing when a row is refused (unless "
                    "--valid-only), and backs up the database before writing. Exit code 1 when "
                    "rows were refused.")
    _add_db(parser)
    parser.add_argument("kind", choices=IMPORT_KINDS, metavar="KIND",
                        help="one of: " + ", ".join(IMPORT_KINDS))
    parser.add_argument("file", metavar="FILE",
                        help="a .csv, .xlsx or .vcf file; for all: an archive made by "
                             "export all (into an empty database)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check and show what would happen; write nothing")
    parser.add_argument("--valid-only", action="store_true",
                        help="import the valid rows even when others are refused")
    parser.add_argument("--map", action="extend", nargs="+", default=[],
                        metavar="COLUMN=FIELD",
                        help="read COLUMN as FIELD (COLUMN=- skips a column)")
    parser.add_argument("--date-format", metavar="FMT",
                        help="how dates are written, e.g. %%d/%%m/%%Y (needed for 03/04/2025)")
    parser.add_argument("--all-rows", action="store_true",
                        help="list every row's outcome, not only the refused ones")
    parser.add_argument("--sheet", metavar="NAME",
                        help="the worksheet to read (default: the sheet the workbook opens "
                             "on)")
    parser.add_argument("--language", metavar="LANG", default="",
                        help="the language of the file's city names (e.g. de): a spelling "
                             "such as Krakau is kept as the city's name in it")
    parser.add_argument("--partnership", metavar="TITLE",
                        help="activities: the partnership of rows that name none (a "
                             "calendar's events)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    location = resolve_database_location(args.db)
    on_server = isinstance(location, str)
    if on_server and command not in SERVER_COMMANDS:
        from citypartner_desktop.db.server import shown

        print(f"citypartner: {command} works on a database file; on an office server "
              f"({shown(str(location))}) this version offers {', '.join(SERVER_COMMANDS)}.",
              file=sys.stderr)
        return EXIT_REFUSED
    if command == "gui":
        from citypartner_desktop.ui.app import run_gui

        return run_gui(location, started=PROCESS_START)

    from citypartner_desktop.domain.errors import CityPartnerError, VersionMovedError

    if isinstance(location, Path) and command != "check":
        _warn_about_storage(location)
    try:
        if args.passphrase_file is not None and isinstance(location, Path):
            from citypartner_desktop.cli_packs import read_passphrase
            from citypartner_desktop.services.database import remember_passphrase

            remember_passphrase(location, read_passphrase(args.passphrase_file))
        return _run(command, location, args, parser)
    except VersionMovedError as exc:
        print(f"citypartner: {exc}", file=sys.stderr)
        return EXIT_VERSION_MOVED
    except CityPartnerError as exc:
        print(f"citypartner: {exc}", file=sys.stderr)
        if isinstance(location, Path):
            _suggest_recovery(exc, location)
        return EXIT_REFUSED
    except BrokenPipeError:  # the reader left (`citypartner info | head`): nothing to say
        _quiet_stdout()
        return EXIT_REFUSED
    except OSError as exc:  # the disk or the file system said no: one line, not a traceback
        from citypartner_desktop.db.file_errors import describe_error

        where = f" ({exc.filename})" if exc.filename else ""
        print(f"citypartner: {describe_error(exc)}{where}; nothing was changed.",
              file=sys.stderr)
        return EXIT_REFUSED


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit does not fail again on the
    closed pipe (the way Python's documentation gives for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


# What works on an office server so far; the rest needs a database file (see README).
SERVER_COMMANDS = ("init", "info", "get", "set", "demo", "export", "report", "duplicates",
                   "merge", "import", "server", "pack", "privacy", "gui")
# What only a file has: its backups, its integrity check.
FILE_COMMANDS = ("backup", "restore", "check", "backups")


def _run(command: str, location: Path | str, args: argparse.Namespace,
         parser: argparse.ArgumentParser) -> int:
    if command in FILE_COMMANDS:
        assert isinstance(location, Path)  # main refused a server
        if command == "backup":
            return _backup(location, args.output)
        if command == "restore":
            return _restore(location, Path(args.backup))
        if command == "check":
            return _check(location)
        return _list_backups(location)
    if command == "init":
        return _init(location)
    if command == "info":
        return _info(location, as_json=args.json)
    if command == "demo":
        return _demo(location, args.size, args.seed)
    if command == "report":
        if args.kind == "processing" and (args.id or args.name or args.year is not None):
            parser.error("report processing is about the whole database: no --id, --name or "
                         "--year")
        if args.kind not in ("portfolio", "processing") and not (args.id or args.name):
            parser.error(f"report {args.kind} needs --id ID or --name TEXT")
        if args.kind == "portfolio" and (args.id or args.name):
            parser.error("report portfolio is about a year: give --year N, not --id/--name")
        return _report(location, args)
    if command == "import":
        return _import(location, args)
    if command == "export":
        return _export(location, args, parser)
    if command == "duplicates":
        return _duplicates(location, args)
    if command == "merge":
        return _merge(location, args)
    if command in ("get", "set"):
        return _get_or_set(location, args)
    if command == "server":
        return _server(location, args)
    if command == "pack":
        from citypartner_desktop.cli_packs import run_pack

        return run_pack(location, args)
    if command == "privacy":
        from citypartner_desktop.cli_privacy import run_privacy

        return run_privacy(location, args)
    parser.error(f"unknown command {command!r}")
    return EXIT_USAGE


def _require_existing(location: Path | str) -> None:
    """A file that is not there is not created by a command that only reads (a server's
    database is there, or its address says so itself)."""
    if isinstance(location, Path):
        from citypartner_desktop.services.safety import check_path

        check_path(location)
    if isinstance(location, Path) and not location.exists():
        from citypartner_desktop.domain.errors import NotFoundError

        raise NotFoundError(
            f"{location} does not exist; create it with: citypartner init --db PATH")


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
    if result.erased_again:
        print(f"Erased again: {result.erased_again} people erased since the backup was taken "
              "(the erasure register).")
    return EXIT_OK


def _check(db_path: Path) -> int:
    from citypartner_desktop.services.safety import full_check

    report = full_check(db_path)
    if report.ok:
        print(f"{db_path}: ok (integrity, foreign keys and attachment checksums checked)")
        return EXIT_OK
    if report.not_usable:
        print(f"citypartner: {report.not_usable}", file=sys.stderr)
        return EXIT_REFUSED
    if report.unchecked:
        print(f"{db_path} could not be checked: {report.unchecked}. This says nothing about "
              "the file itself: do not restore a backup because of it. Free some space, or "
              "check a copy in a folder you can write to.", file=sys.stderr)
        return EXIT_REFUSED
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
        mark = "verified" if b.verified and b.usable else "        "
        print(f"{when}  {b.reason:<22} {mark}  {b.path}  {what}")
    return EXIT_OK


def _init(location: Path | str) -> int:
    from citypartner_desktop.services.database import open_store

    db = open_store(location, set_up=True)
    try:
        if db.lock is not None and db.lock.stale_owner is not None:
            print(f"Cleared a stale lock left by {db.lock.stale_owner.describe()}")
        if db.created:
            print(f"Created {db.location}")
        elif db.upgraded_from:
            backup = f" (backup: {db.backup_path})" if db.backup_path else ""
            print(f"Upgraded {db.location} from schema {db.upgraded_from}{backup}")
        else:
            print(f"{db.location} is up to date")
    finally:
        db.close()
    return EXIT_OK


def _info(location: Path | str, *, as_json: bool) -> int:
    from citypartner_desktop.services.database import info, open_store

    _require_existing(location)
    db = open_store(location, read_only_ok=True)
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


def _report(db_path: Path | str, args: argparse.Namespace) -> int:
    from datetime import date

    from citypartner_desktop.reports.make import ReportRequest, make_report
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.report_data import resolve

    _require_existing(db_path)
    db = open_store(db_path, read_only_ok=True)
    try:
        record_id = (None if args.kind in ("portfolio", "processing")
                     else resolve(db.uow(), args.kind, record_id=args.id, name=args.name))
        year = args.year if args.year is not None else date.today().year
        out = make_report(db.uow, ReportRequest(args.kind, record_id, year),
                          Path(args.output).expanduser(), office=args.office)
    finally:
        db.close()
    print(f"Wrote {out}")
    return EXIT_OK


# What `export` can write: kind -> (formats, function). A dispatch table, so a kind (e.g.
# "deadlines") is added with one entry; the first format is the default.
ExportFunction = Callable[[Path | str, argparse.Namespace], int]
LIST_EXPORTS = {"cities": "city", "contacts": "contact", "partnerships": "partnership",
                "agreements": "agreement", "activities": "activity", "evaluations": "evaluation",
                "actions": "action", "programmes": "programme"}


def _export_list(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.interop.export import export_list
    from citypartner_desktop.services.database import open_store

    kind = LIST_EXPORTS[args.kind]
    query = _query(args)
    db = open_store(db_path, read_only_ok=True)
    try:
        if args.fields in ("outlook", "google"):
            from citypartner_desktop.interop.contact_export import export_for_program

            out = export_for_program(db, args.fields, Path(args.output).expanduser(), query)
        else:
            out = export_list(db, kind, Path(args.output).expanduser(), args.format, query,
                              fields=args.fields or "shown")
    finally:
        db.close()
    print(f"Wrote {out}")
    return EXIT_OK


def _query(args: argparse.Namespace) -> ListQuery:
    from citypartner_desktop.domain.records import ListQuery

    return ListQuery(search=args.search or "", sort_field=args.sort, descending=args.descending)


def _export_cards(db_path: Path | str, args: argparse.Namespace) -> int:
    """contacts --format vcf, activities --format ics; other formats are lists."""
    from citypartner_desktop.interop.export import export_calendar, export_vcards
    from citypartner_desktop.services.database import open_store

    if args.format not in ("vcf", "ics"):
        return _export_list(db_path, args)
    write = export_vcards if args.format == "vcf" else export_calendar
    db = open_store(db_path, read_only_ok=True)
    try:
        out = write(db, Path(args.output).expanduser(), _query(args))
    finally:
        db.close()
    print(f"Wrote {out}")
    return EXIT_OK


def _export_all(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.interop.archive import export_archive
    from citypartner_desktop.services.database import open_store

    if args.search or args.sort:
        print("citypartner: export all writes the whole database; --search and --sort do not "
              "apply", file=sys.stderr)
        return EXIT_USAGE
    db = open_store(db_path, read_only_ok=True)
    try:
        out = Path(args.output).expanduser()
        counts = export_archive(db, out)
    finally:
        db.close()
    print(f"Wrote {out}: {sum(counts.values()):,} rows of {len(counts)} tables")
    return EXIT_OK


def _export_deadlines(db_path: Path | str, args: argparse.Namespace) -> int:
    """Agreement expiry and decide-by dates, evaluation and action due dates, as a calendar."""
    from datetime import date

    from citypartner_desktop.interop.deadlines_ics import export_deadlines
    from citypartner_desktop.services.database import open_store

    output = Path(args.output).expanduser()
    db = open_store(db_path, read_only_ok=True)
    try:
        count = export_deadlines(db.uow(), output, date.today())  # the user's local date
    finally:
        db.close()
    print(f"Wrote {count:,} deadlines to {output}")
    return EXIT_OK


EXPORTS: dict[str, tuple[tuple[str, ...], ExportFunction]] = {
    **{name: (("csv", "xlsx"), _export_list) for name in LIST_EXPORTS},
    "all": (("json",), _export_all),
    "contacts": (("csv", "xlsx", "vcf"), _export_cards),
    "activities": (("csv", "xlsx", "ics"), _export_cards),
    "deadlines": (("ics",), _export_deadlines),
}


def _add_get_set(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    get = sub.add_parser("get", help="print one record with every field, its id and version")
    _add_db(get)
    get.add_argument("kind", metavar="KIND", help="city, contact, partnership, … (or cities, …)")
    which = get.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", metavar="ID", help="the record's id")
    which.add_argument("--first", action="store_true", help="the record its page lists first")
    get.add_argument("--json", action="store_true", help="print JSON")
    put = sub.add_parser("set", help="change fields of one record",
                         description="Values are read as a dialog reads typed text. Exit code "
                                     "3 when --if-version is given and the record moved on.")
    _add_db(put)
    put.add_argument("kind", metavar="KIND", help="city, contact, partnership, … (or cities, …)")
    put.add_argument("id", metavar="ID", help="the record's id")
    put.add_argument("fields", nargs="+", metavar="FIELD=VALUE",
                     help="the data model's field name (e.g. aims, lead_department)")
    put.add_argument("--if-version", type=int, metavar="N",
                     help="change only if the record is still at version N")
    put.add_argument("--json", action="store_true", help="print the changed record as JSON")


def _get_or_set(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services import scripting
    from citypartner_desktop.services.database import open_store

    kind = scripting.kind_named(args.kind)
    db = open_store(location)
    try:
        if args.command == "get":
            record_id = scripting.first_id(db.uow(), kind) if args.first else args.id
            record = scripting.get_record(db.uow(), kind, record_id)
        else:
            record = scripting.set_fields(db.uow(), kind, args.id, args.fields,
                                          args.if_version)
    finally:
        db.close()
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    elif args.command == "set":
        print(f"Saved {kind} {record['id']}: version {record['version']}.")
    else:
        for name, value in record.items():
            print(f"{name}: {'' if value is None else value}")
    return EXIT_OK


def _add_server(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = sub.add_parser("server", help="an office server: run one, its roles and users")
    actions = server.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser(
        "start", help="start an office server on this computer (set up at the first start)")
    start.add_argument("--data", required=True, metavar="DIR", help="the server's folder")
    start.add_argument("--listen", default="localhost", metavar="ADDRESS",
                       help="address to listen on: localhost (default), an IP address of this "
                            "computer, or * for every network")
    start.add_argument("--port", type=int, default=5432, metavar="N")
    start.add_argument("--password-file", metavar="FILE",
                       help="the administrator's password (needed at the first start)")
    for name, text in (("stop", "stop the office server of this folder"),
                       ("status", "say whether the office server of this folder runs")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--data", required=True, metavar="DIR", help="the server's folder")
    setup = actions.add_parser(
        "setup", help="create the viewer, editor and administrator roles and grant them the "
                      "database (as its owner, after init)")
    _add_db(setup)
    user = actions.add_parser("user", help="give a user a role (creating the user if new)")
    _add_db(user)
    user.add_argument("name", metavar="NAME", help="the user's PostgreSQL name")
    user.add_argument("--role", required=True, choices=("viewer", "editor", "administrator"))
    user.add_argument("--password-file", metavar="FILE",
                      help="a file holding the new user's password (never on the command line)")


def _server(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.domain.errors import ValidationError
    from citypartner_desktop.services import server_admin
    from citypartner_desktop.services.database import open_store

    if args.action in ("start", "stop", "status"):
        return _server_process(args, password_file=getattr(args, "password_file", None))
    if isinstance(location, Path):  # refused before the file could be created
        raise ValidationError.single(
            "db", "roles belong to an office server; a database file is its user's alone")
    password_file = getattr(args, "password_file", None)
    password = _read_password(password_file) if password_file else None
    db = open_store(location)
    try:
        if args.action == "setup":
            name = server_admin.set_up_roles(db)
            print(f"Roles {', '.join(server_admin.ROLE_NAMES)} may now use {name}: "
                  "give users one with: citypartner server user NAME --role ROLE")
        else:
            new = server_admin.add_user(db, args.name, args.role, password)
            print(f"{'Created' if new else 'Changed'} {args.name}: {args.role}.")
    finally:
        db.close()
    return EXIT_OK


def _read_password(file: str) -> str:
    from citypartner_desktop.domain.errors import ValidationError

    try:
        password = Path(file).expanduser().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError.single("--password-file", f"cannot be read ({exc})") from None
    if not password:
        raise ValidationError.single("--password-file", "holds no password")
    return password


def _server_process(args: argparse.Namespace, *, password_file: str | None) -> int:
    from citypartner_desktop.services import office_server

    data = Path(args.data).expanduser()
    if args.action == "start":
        password = _read_password(password_file) if password_file else None
        running = office_server.start(data, args.listen, args.port, password)
        print(f"The office server runs: {running.address()} (data in {running.data}); set it "
              f"up with: citypartner init --db {running.address()}")
        return EXIT_OK
    if args.action == "stop":
        stopped = office_server.stop(data)
        print(f"Stopped the office server of {data}." if stopped
              else f"No office server runs from {data}.")
        return EXIT_OK
    now = office_server.status(data)
    print(f"Running: {now.address()}" if now.running else f"Not running ({data}).")
    return EXIT_OK if now.running else EXIT_REFUSED


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export", help="export a list (as its page shows it) to CSV or Excel",
        description="Formats per kind: " + "; ".join(
            f"{kind}: {', '.join(formats)}" for kind, (formats, _f) in EXPORTS.items()))
    _add_db(parser)
    parser.add_argument("kind", choices=tuple(EXPORTS), metavar="KIND",
                        help="one of: " + ", ".join(EXPORTS))
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
    parser.add_argument("--format", help="file format (default: from the file name's suffix)")
    parser.add_argument("--search", metavar="TEXT",
                        help="only the records a page search for TEXT shows")
    parser.add_argument("--sort", metavar="FIELD", help="sort by this field (default: the "
                                                         "first column)")
    parser.add_argument("--descending", action="store_true", help="sort in descending order")
    parser.add_argument("--fields", choices=("shown", "all", "outlook", "google"),
                        help="csv and xlsx lists: the page's columns as it shows them (shown, "
                             "the default) or every field, as the importer reads it back (all); "
                             "contacts to csv also in the columns Outlook or Google Contacts "
                             "import (outlook, google)")


def _export(db_path: Path | str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    formats, function = EXPORTS[args.kind]
    suffix = Path(args.output).suffix.lstrip(".").lower()
    if args.format is None and len(formats) == 1:
        args.format = formats[0]  # one format only: no need to say it
    if args.format is None and suffix not in formats:
        parser.error(f"say the format: --format {'|'.join(formats)} (or name the file "
                     f".{formats[0]})")
    args.format = (args.format or suffix).lower()
    if args.format not in formats:
        parser.error(f"export {args.kind} writes {', '.join(formats)}, not {args.format}")
    if args.sort and args.kind in LIST_EXPORTS:
        from citypartner_desktop.domain.specs import spec_for

        fields = spec_for(LIST_EXPORTS[args.kind]).list_fields
        if args.sort not in fields:
            parser.error(f"--sort {args.sort}: sort by one of {', '.join(fields)}")
    if args.fields is not None and (args.kind not in LIST_EXPORTS
                                    or args.format not in ("csv", "xlsx")):
        parser.error(f"--fields is for the csv and xlsx lists, not export {args.kind} "
                     f"--format {args.format}")
    if args.fields in ("outlook", "google") and (args.kind, args.format) != ("contacts", "csv"):
        parser.error(f"--fields {args.fields} is for export contacts to csv, not export "
                     f"{args.kind} --format {args.format}")
    _require_existing(db_path)  # exporting must not create an empty database
    return function(db_path, args)


_LISTED = 200  # refused rows and cities to review printed in full; the rest are counted


def _import_all(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.interop.archive import import_archive
    from citypartner_desktop.services.database import open_store

    db = open_store(db_path)
    try:
        counts = import_archive(db, Path(args.file).expanduser(),
                                notes=lambda note: print(f"Note: {note}"))
    finally:
        db.close()
    print(f"Restored {sum(counts.values()):,} rows of {len(counts)} tables into {db.location}")
    return EXIT_OK


def _import(db_path: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.interop.importer import ImportOptions, import_file

    if args.kind == "all":
        if (args.dry_run or args.valid_only or args.map or args.date_format or args.all_rows
                or args.sheet or args.partnership or args.language):
            print("citypartner: import all restores a whole archive; --dry-run, --valid-only, "
                  "--map, --date-format, --all-rows, --sheet, --partnership and --language do "
                  "not apply",
                  file=sys.stderr)
            return EXIT_USAGE
        return _import_all(db_path, args)
    if args.partnership and args.kind != "activities":
        print("citypartner: --partnership is for importing activities", file=sys.stderr)
        return EXIT_USAGE
    from citypartner_desktop.interop.mapping import parse_map_options
    from citypartner_desktop.services.database import open_store

    defaults = {"partnership": args.partnership} if args.partnership else {}
    options = ImportOptions(parse_map_options(args.map), args.date_format, args.sheet,
                            defaults, args.language)
    path = Path(args.file).expanduser()
    db = open_store(db_path)
    try:
        prepared, report = import_file(db, args.kind, path, options, dry_run=args.dry_run,
                                       valid_only=args.valid_only, progress=_progress_line())
    finally:
        db.close()
        if sys.stderr.isatty():
            print(file=sys.stderr)
    print(f"{path.name}: {prepared.table.described}; "
          f"{len(prepared.columns.fields)} columns used.")
    if extra := prepared.columns.extra:  # a file may have 100,000 columns: name 20, count the rest
        print("Ignored columns: " + ", ".join(f'"{c}"' for c in extra[:20])
              + (f" … and {len(extra) - 20:,} more" if len(extra) > 20 else ""))
    for note in prepared.table.notes:
        print(f"Note: {note}")
    if args.all_rows:
        for outcome in report.outcomes:
            problems = "; ".join(outcome.problems)
            print(f"line {outcome.line}: {outcome.action} {outcome.text} {problems}".rstrip())
    _print_limited(f"Refused rows ({len(report.refused):,})",
                   [m for o in report.refused for m in o.messages(path.name)])
    warned = [f"line {o.line}, {w}" for o in report.outcomes for w in o.warnings]
    _print_limited(f"Kept with a warning ({len(warned):,})", warned)
    _print_limited(f"New cities to review, not linked to the world gazetteer "
                   f"({len(report.review):,})", report.review)
    print(report.summary())
    if report.backup is not None:
        print(f"Backup before the import: {report.backup}")
    return EXIT_REFUSED if report.refused else EXIT_OK


def _progress_line() -> Callable[[int, int, str], None] | None:
    """A progress line on stderr, at most once a second (only on a terminal)."""
    if not sys.stderr.isatty():
        return None
    return _stderr_progress(" ", 70)


def _stderr_progress(separator: str, width: int) -> Callable[[int, int, str], None]:
    """Progress written over one line of stderr ("what<separator>done/total", padded to
    ``width``), at most once a second and always at the end."""
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 1 or done == total:
            last[0] = now
            line = f"{what}{separator}{done:,}/{total:,}"
            print(f"\r{line:<{width}}", end="", file=sys.stderr, flush=True)

    return progress


def _print_limited(title: str, lines: list[str]) -> None:
    if not lines:
        return
    print(f"{title}:")
    for line in lines[:_LISTED]:
        print(f"  {line}")
    if len(lines) > _LISTED:
        print(f"  … and {len(lines) - _LISTED:,} more (--all-rows lists every row)")


def _demo(db_path: Path | str, size: str, seed: int) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.demo import load_demo

    db = open_store(db_path)
    started = time.perf_counter()
    progress = _stderr_progress(": ", 60)
    try:
        summary = load_demo(db, size, seed, progress=progress)  # type: ignore[arg-type]
    finally:
        db.close()
    print(file=sys.stderr)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{n:,} {k}" for k, n in summary.counts.items() if n)
    print(f"Loaded {size} demo data into {db.location} in {elapsed:.1f} s: {counts}")
    return EXIT_OK
