"""Record of processing activities (GDPR Art. 30): who processes which personal data of whom,
why, on which legal basis, how long it is kept and where it goes — with the figures of the
database on the report's day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.platypus import Flowable

from citypartner_desktop.reports.document import ReportInfo
from citypartner_desktop.reports.parts import (
    day,
    facts,
    gap,
    heading,
    number,
    para,
    subheading,
    table,
)
from citypartner_desktop.services.processing_record import ProcessingRecordData

TITLE = "Record of processing activities"
SUBJECT = "Partnership contacts"

PURPOSES = (
    "Managing the city's partnerships with other cities (twinning, friendship, cooperation, "
    "project partnerships and city networks).",
    "Keeping in contact with the staff of partner cities and of the organisations there.",
    "Planning and recording activities and visits: meetings, delegation visits, exchanges, "
    "events, and who took part in them.",
    "Preparing, signing and following up agreements, including who signed them.",
    "Evaluating the partnerships and following up their recommendations.",
)
WAYS_OUT = (
    ("Exports", "Lists exported to CSV, Excel and vCard files, and whole archives of the "
                "database, written where the user chooses."),
    ("Visit packs", "A copy of the records for one trip, taken on a laptop; a pack protected "
                    "with a passphrase (encrypted) is recommended."),
    ("PDF reports", "Dossiers, city profiles, visit briefings, evaluation and portfolio "
                    "reports, which name the contacts involved."),
)


def _counts(rows: Sequence[tuple[str, int]]) -> list[list[str]]:
    return [[label, number(n)] for label, n in rows]


def _people(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _share(part: int, whole: int) -> str:
    return "—" if not whole else f"{round(100 * part / whole)} %"


def build(data: ProcessingRecordData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    info = ReportInfo(TITLE, SUBJECT, office, generated,
                      (f"GDPR Art. 30 · as of {generated.isoformat()} · "
                       f"{_people(data.contacts, 'contact', 'contacts')} · "
                       f"{data.erased:,} erased",))
    story: list[Flowable] = [gap(6)]

    story.append(heading("Controller"))
    story.append(facts([("Controller", office),
                        ("Municipality", data.home_city or "—"),
                        ("Processing", "Contacts and records of the city partnerships"),
                        ("Record as of", generated.isoformat())], width, columns=1))

    story.append(heading("Purposes of the processing"))
    story += [para(f"• {purpose}") for purpose in PURPOSES]

    story.append(heading("Categories of data subjects"))
    story.append(para(
        f"People in partner cities and their organisations, and the office's own staff: "
        f"{data.contacts:,} contacts are recorded (not counting deleted or erased ones)."))
    story.append(subheading("By country"))
    story.append(table(["Country", "Contacts"], _counts(data.by_country), [0.6, 0.2],
                       total_width=width * 0.8, empty="contacts"))
    story.append(subheading("By their part in the partnerships"))
    story.append(para("A contact can have several parts and is then counted in each.", "small"))
    story.append(table(["Linked as", "Contacts"], _counts(data.by_link), [0.6, 0.2],
                       total_width=width * 0.8))
    story.append(gap(4))
    erased = ("No one has been erased" if not data.erased else
              f"{_people(data.erased, 'person has', 'people have')} been erased")
    if data.last_erasure is not None:
        erased += f" (the latest on {day(data.last_erasure)})"
    story.append(para(f"{erased}; the erasure register keeps only who was erased, when, by "
                      "whom and why, so that an erasure can be repeated on a restored copy."))

    story.append(heading("Categories of personal data"))
    story.append(table(
        ["Personal data", "Contacts with it", "Share"],
        [[label, number(n), _share(n, data.contacts)] for label, n in data.fields],
        [0.5, 0.25, 0.15], total_width=width * 0.9))

    story.append(heading("Legal bases"))
    story.append(table(
        ["Legal basis", "Contacts", "Share"],
        [[b.label, number(b.contacts), _share(b.contacts, data.contacts)]
         for b in data.legal_bases],
        [0.5, 0.25, 0.15], total_width=width * 0.9))
    story.append(gap(4))
    story.append(para(f"Consent withdrawn: "
                      f"{_people(data.consent_withdrawn, 'contact', 'contacts')}."))
    story.append(subheading("Sources of the data"))
    story.append(table(["Source", "Contacts"], _counts(data.data_sources), [0.6, 0.2],
                       total_width=width * 0.8, empty="contacts"))

    story.append(heading("Retention"))
    rule = data.inactivity
    setting = ("the office's setting" if rule.from_setting
               else "the default; no office setting is recorded")
    story.append(table(
        ["Rule", "Contacts now"],
        [[f"Review date reached (on or before {generated.isoformat()})",
          number(data.review_due)],
         [f"Review date passed (before {generated.isoformat()})", number(data.review_overdue)],
         ["No review date recorded", number(data.no_review_date)],
         [f"No activity for {rule.years} years ({setting}): no part in an activity since "
          f"{rule.since.isoformat()} and recorded before then, except {rule.exceptions} — "
          "candidates for erasure", number(rule.candidates)]],
        [0.75, 0.2], total_width=width))
    story.append(gap(4))
    b = data.backups
    story.append(para(
        f"Backups of a database file are rotated: one copy per day for {b.daily} days, per "
        f"week for {b.weekly} weeks and per month for {b.monthly} months, and the last "
        f"{b.before_operation} copies made before an operation (upgrade, import, merge, "
        f"restore). Personal data deleted or erased remains in older backups until they are "
        f"rotated away." + (" On an office server, the server's own backups apply."
                            if data.storage.on_server else "")))

    story.append(heading("Where the data is kept and where it goes"))
    merged = f"{data.pack_merges:,}"
    if data.last_pack_merge is not None:
        merged += f" (the latest on {day(data.last_pack_merge)})"
    story.append(facts([("Stored in", data.storage.description),
                        ("Visit packs merged", merged),
                        ("People erased", f"{data.erased:,}")], width, columns=1))
    story.append(subheading("Ways the data leaves the database"))
    story.append(table(["Way", "What"], [list(w) for w in WAYS_OUT], [0.2, 0.8],
                       total_width=width, bold_first=True))

    story.append(heading("Deleted records still kept"))
    story.append(para(
        f"{_people(data.soft_deleted, 'deleted contact is', 'deleted contacts are')} kept as "
        "deleted records (so that copies of the database learn of the deletion) until they "
        "are erased."))
    return info, story
