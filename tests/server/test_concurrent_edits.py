"""Several people saving the same records at once on the office server: 8 processes × 500
edits on 5 shared records, each guarded by the version it read. Every acknowledged save is
there, in the history, exactly once; every refused one was reported and left no trace; no
save overwrote another it had not seen."""

from __future__ import annotations

import multiprocessing
import random
from collections import Counter

from sqlalchemy import text

from citypartner_desktop.db.database import open_server
from citypartner_desktop.domain.errors import ConflictError
from citypartner_desktop.services import records
from tests.conftest import TEST_ACTOR

PROCESSES = 8
EDITS = 500
RECORDS = 5


def _editor(address: str, ids: list[str], seed: int) -> list[tuple[str, str, str, int]]:
    """One colleague: read a record, change its notes to a value of its own, save with the
    version it read. Returns what happened: (outcome, record id, value, version)."""
    pick = random.Random(seed)
    db = open_server(address, TEST_ACTOR)
    outcomes = []
    try:
        for i in range(EDITS):
            record_id = pick.choice(ids)
            seen = records.get(db.uow(), "city", record_id)
            value = f"p{seed}-e{i}"
            try:
                saved = records.update(db.uow(), "city", record_id, {"notes": value},
                                       expected_version=seen.version)
            except ConflictError:
                outcomes.append(("refused", record_id, value, seen.version))
            else:
                outcomes.append(("saved", record_id, value, saved.version))
    finally:
        db.close()
    return outcomes


def test_every_acknowledged_save_is_there_and_no_refused_one(pg_address: str) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    try:
        ids = [records.create(db.uow(), "city", {"name": f"Shared {n}", "country": "DE"}).id
               for n in range(RECORDS)]
        with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
            results = pool.starmap(_editor, [(pg_address, ids, seed)
                                             for seed in range(PROCESSES)])
        outcomes = [o for result in results for o in result]
        saved = [o for o in outcomes if o[0] == "saved"]
        refused = [o for o in outcomes if o[0] == "refused"]
        assert len(outcomes) == PROCESSES * EDITS
        assert saved and refused  # they really did meet
        with db.engine.connect() as connection:
            history = connection.execute(text(
                "SELECT record_id, new_value FROM changes WHERE field = 'notes'")).all()
        written = Counter((record_id, value) for record_id, value in history)
        for record_id in ids:
            mine = sorted((o for o in saved if o[1] == record_id), key=lambda o: o[3])
            final = records.get(db.uow(), "city", record_id)
            # One version step per acknowledged save, none skipped or shared: no lost update.
            assert [o[3] for o in mine] == list(range(2, len(mine) + 2))
            assert final.version == len(mine) + 1
            assert final.values["notes"] == mine[-1][2]
        assert written == Counter((o[1], o[2]) for o in saved)  # each saved value once
        assert not any((o[1], o[2]) in written for o in refused)  # no refused value stored
    finally:
        db.close()


def test_a_deadlock_is_run_again_not_shown(pg_address: str) -> None:
    """Two saves lock the same two records in opposite orders: the server undoes one of them
    (a deadlock); it is run again and both saves are there."""
    import threading

    from citypartner_desktop.db.models import MODELS
    from citypartner_desktop.services.retrying import retried

    db = open_server(pg_address, TEST_ACTOR)
    try:
        first, second = (records.create(db.uow(), "city", {"name": n, "country": "PL"}).id
                         for n in ("Gdańsk", "Toruń"))
        meet = threading.Barrier(2, timeout=30)
        attempts: list[str] = []

        colleagues = {value: open_server(pg_address, TEST_ACTOR) for value in "ab"}

        @retried
        def save_both(order: tuple[str, str], value: str) -> None:
            attempts.append(value)
            uow = colleagues[value].uow()
            with uow:
                for n, record_id in enumerate(order):
                    row = uow.session.get(MODELS["city"], record_id)
                    assert row is not None
                    row.notes = f"{row.notes or ''} {value}".strip()
                    uow.flush()
                    if n == 0 and attempts.count(value) == 1:
                        meet.wait()  # both hold their first record now
                uow.commit()

        threads = [threading.Thread(target=save_both, args=(order, value)) for order, value in
                   (((first, second), "a"), ((second, first), "b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for colleague in colleagues.values():
            colleague.close()
        assert len(attempts) == 3  # one of the two ran again
        for record_id in (first, second):
            assert sorted(records.get(db.uow(), "city", record_id).values["notes"].split()
                          ) == ["a", "b"]
    finally:
        db.close()


def test_retried_gives_up_after_a_few_tries() -> None:
    import pytest

    from citypartner_desktop.domain.errors import TryAgainError
    from citypartner_desktop.services.retrying import ATTEMPTS, retried

    calls: list[int] = []

    @retried
    def always_undone() -> None:
        calls.append(1)
        raise TryAgainError("undone")

    with pytest.raises(TryAgainError):
        always_undone()
    assert len(calls) == ATTEMPTS
