"""``citypartner pack create|merge|info``: visit packs from the command line.

Exit codes of ``pack merge`` (scripts rely on them): 0 merged (or merged before: nothing to
do); 1 refused (no pack, another office's pack, a newer schema, a damaged file; nothing
written); 2 merged, with conflicts left as the office had them (listed); with ``--dry-run`` the
same codes say what a merge would do, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from citypartner_desktop.services.visit_packs.merge import Analysis
    from citypartner_desktop.services.visit_packs.plan import FieldConflict

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_CONFLICTS = 2
_LISTED = 50


def add_pack(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             add_db: object) -> None:
    pack = sub.add_parser("pack", help="visit packs: take records on a visit, merge them back")
    actions = pack.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", help="write a visit pack: chosen partnerships (or a city's, or all) with "
                       "what a visitor needs around them")
    add_db(create)  # type: ignore[operator]
    which = create.add_mutually_exclusive_group(required=True)
    which.add_argument("--partnership", action="append", metavar="ID", default=[],
                       help="a partnership to take (repeat for more)")
    which.add_argument("--city", action="append", metavar="ID", default=[],
                       help="a city: its partnerships and contacts (repeat for more)")
    which.add_argument("--all", action="store_true", help="every record")
    create.add_argument("-o", "--output", metavar="FILE.cpack", required=True)
    create.add_argument("--no-attachments", action="store_true",
                        help="leave files (photos, scans) in the office")
    create.add_argument("--minimal-contacts", action="store_true",
                        help="leave contacts' private details in the office: e-mail, phone, "
                             "notes, languages, source of data, consent, review and withdrawal "
                             "dates, and their attachments (name, title, position, "
                             "organisation, city and legal basis go along)")
    _add_passphrase(create, "encrypt the pack with the passphrase in this file (its first "
                            "line)")
    merge = actions.add_parser(
        "merge", help="merge a visit pack back into its office database",
        description="Exit codes: 0 merged, 1 refused (nothing written), 2 merged with "
                    "conflicts left as the office has them (listed).")
    add_db(merge)  # type: ignore[operator]
    merge.add_argument("file", metavar="FILE.cpack")
    merge.add_argument("--dry-run", action="store_true", help="say what would change; write "
                                                              "nothing")
    merge.add_argument("--prefer", choices=("office", "pack"),
                       help="settle every conflict with this side's value")
    info = actions.add_parser("info", help="what a pack holds and where it came from")
    info.add_argument("file", metavar="FILE.cpack")
    undo = actions.add_parser("undo", help="take a merged pack back out of the office")
    add_db(undo)  # type: ignore[operator]
    undo.add_argument("file", metavar="FILE.cpack")
    for parser in (merge, info, undo):
        _add_passphrase(parser, "the passphrase of an encrypted pack, in this file (its "
                                "first line)")


def _add_passphrase(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                        help=text)


def read_passphrase(path: str) -> str:
    """The first line of a passphrase file (not echoed anywhere, never stored)."""
    from citypartner_desktop.domain.errors import ValidationError

    try:
        text = Path(path).expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError.single("passphrase file", f"{path} cannot be read ({exc})"
                                     ) from None
    passphrase = text.splitlines()[0] if text.splitlines() else ""
    if not passphrase:
        raise ValidationError.single("passphrase file", f"{path} is empty")
    return passphrase


def run_pack(location: Path | str, args: argparse.Namespace) -> int:
    passphrase = getattr(args, "passphrase_file", None)
    if passphrase is not None and args.action != "create":
        from citypartner_desktop.services.database import remember_passphrase

        remember_passphrase(Path(args.file), read_passphrase(passphrase))
    if args.action == "create":
        return _create(location, args)
    if args.action == "info":
        return _info(Path(args.file))
    if args.action == "undo":
        return _undo(location, Path(args.file))
    return _merge(location, args)


def _create(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.services.visit_packs.scope import Scope

    scope = Scope(tuple(args.partnership), tuple(args.city), args.all,
                  attachments=not args.no_attachments, minimal_contacts=args.minimal_contacts)
    given = getattr(args, "passphrase_file", None)
    passphrase = read_passphrase(given) if given is not None else None
    office = open_store(location)
    try:
        made = create(office, scope, Path(args.output), passphrase=passphrase)
    finally:
        office.close()
    encrypted = ", encrypted" if passphrase is not None else ""
    minimal = ", contacts without e-mail, phone and notes" if made.minimal_contacts else ""
    print(f"Wrote {made.path}: visit pack for {made.title}, {made.records:,} records, "
          f"{made.attachments:,} attachments{minimal}{encrypted} ({made.seconds:.1f} s).")
    if passphrase is None and made.contacts:
        print(f"This pack holds personal data of {made.contacts:,} contacts and is not "
              "encrypted; use --passphrase-file (encrypt it with a passphrase) for a laptop "
              "that leaves the office.", file=sys.stderr)
    return EXIT_OK


def _info(path: Path) -> int:
    from citypartner_desktop.services.visit_packs.merge import facts, open_pack

    pack = open_pack(path.expanduser())
    try:
        about = facts(pack)
    finally:
        pack.close()
    assert about is not None
    print(about.banner)
    print(f"{about.records:,} records, made by {about.made_by}; pack id {about.pack_id}")
    return EXIT_OK


def _merge(location: Path | str, args: argparse.Namespace) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.visit_packs.merge import analyse, apply, open_pack

    pack = open_pack(Path(args.file).expanduser())
    try:
        office = open_store(location)
        try:
            analysis = analyse(office, pack, back_up=not args.dry_run)
            if analysis.merged_before is not None:
                when, who = analysis.merged_before
                print(f"{analysis.facts.title}: already merged on "
                      f"{when.astimezone():%Y-%m-%d %H:%M} by {who}; nothing changed.")
                return EXIT_OK
            if args.dry_run:
                print(f"Would merge {analysis.facts.title}: {analysis.describe()}.")
                conflicts = analysis.plan.conflicts if args.prefer is None else []
                _list_conflicts(analysis, conflicts)
                return EXIT_CONFLICTS if conflicts else EXIT_OK
            result = apply(office, analysis, prefer=args.prefer)
        finally:
            office.close()
    finally:
        pack.close()
    print(f"Merged {analysis.facts.title}: {analysis.describe()}; "
          f"{len(result.conflicts_left)} conflicts left as the office has them "
          f"({result.seconds:.1f} s).")
    if result.backup is not None:
        print(f"Backup before the merge: {result.backup}")
    if result.erased_again:
        print(f"Erased again: {result.erased_again} people erased in the office whom the pack "
              "brought back (the erasure register).")
    for line in result.refused[:_LISTED]:
        print(f"Not merged: {line}")
    for duplicate in analysis.duplicates[:_LISTED]:
        print(f"Merged into the office's record: {analysis.kind_label(duplicate.table)} "
              f"“{duplicate.label}” (the visit's {duplicate.pack_id} is the office's "
              f"{duplicate.office_id})")
    _list_conflicts(analysis, list(result.conflicts_left))
    return EXIT_CONFLICTS if result.conflicts_left else EXIT_OK


def _list_conflicts(analysis: Analysis, conflicts: Sequence[FieldConflict]) -> None:
    from citypartner_desktop.services.visit_packs.plan import DELETED

    for conflict in conflicts[:_LISTED]:
        key = (conflict.table, conflict.record_id)
        what = f"{analysis.kind_label(conflict.table)} “{analysis.label(key)}”"
        if conflict.field == DELETED:
            office, pack = (("deleted", "changed") if conflict.office is True
                            else ("changed", "deleted"))
            print(f"Conflict: {what}: {office} in the office, {pack} on the visit")
        else:
            print(f"Conflict: {what}, {analysis.field_label(conflict.table, conflict.field)}: "
                  f"office {conflict.office!r}{_by(analysis, conflict, 'office')}, "
                  f"visit {conflict.pack!r}{_by(analysis, conflict, 'pack')}")
    if len(conflicts) > _LISTED:
        print(f"… and {len(conflicts) - _LISTED} more conflicts")


def _by(analysis: Analysis, conflict: FieldConflict, side: Literal["office", "pack"]) -> str:
    who = analysis.who(conflict, side)
    return f" ({who})" if who else ""


def _undo(location: Path | str, path: Path) -> int:
    from citypartner_desktop.services.database import open_store
    from citypartner_desktop.services.visit_packs.merge import facts, open_pack, undo

    pack = open_pack(path.expanduser())
    try:
        about = facts(pack)
    finally:
        pack.close()
    assert about is not None
    office = open_store(location)
    try:
        steps = undo(office, about.pack_id)
    finally:
        office.close()
    print(f"Undid the merge of {about.title}: {steps:,} changes taken back.")
    return EXIT_OK
