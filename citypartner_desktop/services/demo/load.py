"""``load_demo``: fill an empty database with demo data in one transaction, then write the
audit summary (one Change row per kind of record, see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from citypartner_desktop.db.base import new_id
from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.repositories import bulk
from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.activities import load_activities
from citypartner_desktop.services.demo.cities import load_cities
from citypartner_desktop.services.demo.contacts import load_contacts
from citypartner_desktop.services.demo.partnerships import load_partnerships, load_programmes
from citypartner_desktop.services.demo.progress import Progress, Run
from citypartner_desktop.services.demo.sizes import SIZES, DemoSize, Sizes
from citypartner_desktop.services.demo.state import DemoLoad
from citypartner_desktop.services.demo.tables import CHANGE_COLUMNS, KIND_OF_TABLE, DemoSummary


def load_demo(
    db: Database,
    size: DemoSize = "small",
    seed: int = 1,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    today: date | None = None,
    _sizes: Sizes | None = None,
) -> DemoSummary:
    """Fill an empty database with demo data, all in one transaction.

    ``progress(done, total, message)`` is called between chunks; ``should_cancel()`` is checked
    there too, and when it returns True the load stops with DemoCancelled and nothing is written.
    ``today`` anchors every relative date (default: the local date).

    Raises ValidationError (field "database") when the database already holds cities, contacts,
    programmes or partnerships (deleted ones included, whose ids a seeded load could reuse): demo
    data goes only into a new, empty database, so a second ``demo`` never doubles the data.
    """
    if _sizes is None:
        if size not in SIZES:
            raise ValidationError.single("size", f'"{size}" is not one of: small, large')
        _sizes = SIZES[size]
    sizes = _sizes
    curated = len(data.curated_cities())
    if sizes.cities < curated:
        raise ValueError(f"the demo needs at least {curated} cities")
    run = Run(sizes.cities + sizes.contacts + sizes.partnerships + sizes.activities, progress,
              should_cancel)
    with db.uow() as uow:
        present = {t: n for t, n in bulk.row_counts(
            uow.session, ("cities", "contacts", "programmes", "partnerships")).items() if n}
        if present:
            what = ", ".join(f"{n} {t}" for t, n in present.items())
            raise ValidationError.single(
                "database", f"already holds data ({what}); demo data is loaded only into a new, "
                            "empty database")
        run.check()
        with bulk.large_page_cache(uow.session), bulk.indexes_suspended(uow.session):
            demo = DemoLoad(uow, sizes, seed, today or date.today(), run)
            load_cities(demo)
            load_contacts(demo)
            load_programmes(demo)
            load_partnerships(demo)
            load_activities(demo)
            _write_audit(demo)
        run.check()  # the last moment a cancel can still undo everything
        if progress is not None:
            progress(run.total, run.total, "Saving")
        uow.commit()
    with db.uow() as uow:
        bulk.checkpoint(uow.session)
    return DemoSummary(**{table: sink.count for table, sink in demo.sinks.items()})


def _write_audit(demo: DemoLoad) -> None:
    """One summary Change row per kind (see the package docstring), not one per record."""
    writer = bulk.RowWriter(demo.session, "changes", CHANGE_COLUMNS, demo.now)
    batch = new_id()
    rows = [(new_id(), KIND_OF_TABLE[table], batch, "demo", None,
             f"{sink.count} records loaded", demo.now, demo.actor.user,
             demo.actor.installation_id)
            for table, sink in demo.sinks.items() if sink.count]
    writer.write(rows)
