"""``citypartner privacy export|erase|clear``: a person's data, given to them or forgotten.

``export`` writes everything held about one contact (JSON or PDF); ``erase`` removes the
person for good (their fields, their history's values, their files, their mentions, and in a
file every byte of them) and keeps a register entry without personal data; ``clear`` finishes
the file's part when something stopped it (another program reading). Exit code 1 and
one line for an unknown id, an erased person, or a user who may not erase; nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_REFUSED = 1


def add_privacy(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                add_db: object) -> None:
    privacy = sub.add_parser("privacy", help="personal data: everything held about a person, "
                                             "or erase them")
    actions = privacy.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="everything held about one contact (subject access), as JSON or PDF")
    add_db(export)  # type: ignore[operator]
    export.add_argument("contact_id", metavar="CONTACT_ID")
    export.add_argument("-o", "--output", metavar="FILE", required=True)
    export.add_argument("--format", choices=("json", "pdf"),
                        help="json or pdf (default: from the file's extension, else json)")
    erase = actions.add_parser(
        "erase", help="erase a contact for good: fields, history values, files, mentions",
        description="The contact becomes \"Erased contact\" (counts and stories stay true); "
                    "what they were is removed from the history, the search index and the "
                    "file. An erasure register keeps the id, date, who and why. On an office "
                    "server only administrators may erase. Cannot be undone.")
    add_db(erase)  # type: ignore[operator]
    erase.add_argument("contact_id", metavar="CONTACT_ID")
    erase.add_argument("--reason", help="why (kept in the erasure register; the person's name "
                                        "or address in it is removed)")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    clear = actions.add_parser(
        "clear", help="rewrite the database file without free pages and empty its log (what "
                      "an erasure does last; run it when it could not finish)")
    add_db(clear)  # type: ignore[operator]


def run_privacy(location: Path | str, args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(location, args)
    if args.action == "clear":
        return _clear(location)
    return _erase(location, args)


def _export(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.reports.subject_access import write_pdf
    from citypartner_desktop.services import subject_access
    from citypartner_desktop.services.database import open_store

    out = Path(args.output).expanduser()
    kind = args.format or ("pdf" if out.suffix.lower() == ".pdf" else "json")
    db = open_store(location, read_only_ok=True)
    try:  # the files' bytes are read while the JSON is written: the database stays open
        access = subject_access.gather(db.uow(), args.contact_id)
        written = (write_pdf(access, out) if kind == "pdf"
                   else subject_access.write_json(access, out))
    finally:
        db.close()
    print(f"Wrote {written}")
    return EXIT_OK


def _erase(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services import erasure
    from citypartner_desktop.services.database import open_store

    db = open_store(location)
    try:
        erasure.check_may_erase(db)
        name = erasure.name_to_erase(db, args.contact_id)
        if not args.yes and not _confirmed(name, args.contact_id):
            return EXIT_REFUSED
        is_server = db.is_server
        done = erasure.erase(db, args.contact_id, args.reason)
    finally:
        db.close()
    print(f"Erased contact {done.contact_id}: {done.history_rows:,} history entries emptied, "
          f"{done.attachments:,} files deleted, {done.mentions:,} mentions elsewhere replaced.")
    return _said_where(is_server, done.file_problem)


def _said_where(is_server: bool, problem: str | None) -> int:
    if is_server:
        print("What SQL reads holds nothing of them; the server's own VACUUM reclaims the old "
              "row versions.")
    elif problem is None:
        print("The database file holds nothing of them (free pages and log cleared).")
    else:
        print(f"citypartner: the erasure is saved, but {problem}; until that is done the file "
              "may still hold their old bytes. Close other programs using it and run: "
              "citypartner privacy clear", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _clear(location: Path | str) -> int:
    from citypartner_desktop.services import erasure
    from citypartner_desktop.services.database import open_store

    db = open_store(location)
    try:
        is_server = db.is_server
        problem = erasure.clear_file(db)
    finally:
        db.close()
    return _said_where(is_server, problem)


def _confirmed(name: str, contact_id: str) -> bool:
    if not sys.stdin.isatty():
        print(f"citypartner: erasing {name} ({contact_id}) cannot be undone; add --yes to "
              "erase without asking. Nothing was changed.", file=sys.stderr)
        return False
    answer = input(f"Erase {name} ({contact_id}) for good? This cannot be undone. "
                   "Type 'erase' to confirm: ")
    if answer.strip().lower() != "erase":
        print("Nothing was changed.", file=sys.stderr)
        return False
    return True
