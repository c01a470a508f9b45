"""Crash safety of merging a visit pack: kill (SIGKILL) the merge at random moments and check
after every kill that the office database is exactly as it was before the merge or exactly as
a complete merge leaves it — never anything in between.

    python -m benchmarks.pack_merge_crash [--trials 200] [--partnerships 6 | --all]
                                          [--via service|cli] [--seed 1]

Prepared once: an office database (the small demo) and a visit pack of several of its
partnerships (or ``--all``) in which a few thousand rows were changed or added on the visit
(every packed activity's title and summary and every contact's notes changed, new activities,
contacts and participants, a few actions deleted, a contact that the office already has), while
the office changed some records too (the same activities' titles: conflicts, settled with
``--prefer pack``; other fields of others; one of the visit's activities deleted). Then:

- the state before: a fingerprint of the office (below);
- the reference: the same merge run to the end, uninterrupted, in a child process (three runs,
  which must agree; their median time is the measured merge duration).

Per trial, on fresh copies of the office and the pack, a child process merges (``--via
service``: ``open_pack``, ``analyse``, ``apply`` as ``citypartner pack merge`` calls them; ``--via
cli``: the command itself, in-process); the parent kills it at a random moment within the
measured duration (plus 10 %, so some kills land after the end), then opens the office the way
the application does (``open_db``: the child's stale lock must be taken over) and checks:

- it opens; ``PRAGMA integrity_check`` says ok and ``PRAGMA foreign_key_check`` finds nothing;
- its fingerprint is the state before the merge or the merged reference (and the pack file is
  unchanged: a merge only reads it);
- merging the pack again completes and gives the reference (killed before the commit), or says
  it was merged already and changes nothing (killed after the commit).

The fingerprint is a SHA-256 per record table (``repositories.archive.tables()``) over each row's
id, version, creation time, deletion (as yes/no) and the columns a merge compares
(``visit_packs.canon``: derived columns, search keys and a file's bytes left out), plus the
``pack_merges`` ledger without its times. Left out because they legitimately differ from run to
run: ``updated_at`` (and ``deleted_at``'s time), the time (``changed_at``) and the id of the
history entries the merge itself writes (the visit's own entries keep theirs), the time of the
merge, and the backups folder.

SIGKILL ends the process but not the operating system: this proves the application's part
(one transaction, the lock, the order of backup and write), not the disk's honesty on power
loss.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from citypartner_desktop.db.base import Base  # noqa: E402
from citypartner_desktop.db.uow import Actor  # noqa: E402
from citypartner_desktop.domain.records import ListQuery  # noqa: E402
from citypartner_desktop.repositories import archive  # noqa: E402
from citypartner_desktop.services import records  # noqa: E402
from citypartner_desktop.services.database import open_db  # noqa: E402
from citypartner_desktop.services.demo import load_demo  # noqa: E402
from citypartner_desktop.services.visit_packs import canon  # noqa: E402
from citypartner_desktop.services.visit_packs.create import create  # noqa: E402
from citypartner_desktop.services.visit_packs.scope import Scope  # noqa: E402

Via = Literal["service", "cli"]
State = Literal["before", "after"]
Fingerprint = dict[str, str]  # table -> SHA-256 of its meaningful contents

PARTNERSHIPS = 6  # of the small demo's 18
NEW_ACTIVITIES = 150
NEW_CONTACTS = 50
NEW_PARTICIPANTS = 100
DELETED_ACTIONS = 3
OFFICE_TITLE_EDITS = 8  # activities whose title both sides change: conflicts
OFFICE_COST_EDITS = 12  # activities the office changes elsewhere: no conflict
PREFER: Literal["pack"] = "pack"  # conflicts settled with the visit's values
INSTALLATION_ID = "00000000-0000-4000-8000-0000000c4a5e"  # the merging laptop, every run
OFFICE_ACTOR = Actor("office@desk", "00000000-0000-4000-8000-00000000beef")
VISIT_ACTOR = Actor("visitor@laptop", "00000000-0000-4000-8000-0000000b1517")
PHASES = ("ready", "opened", "analysed", "backed-up", "applied", "closed")
_ENV_DIRS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


# -- the child ------------------------------------------------------------------------------
def _phase(name: str) -> None:
    print(name, flush=True)


def wait_for_go() -> None:
    """Imports done: say so, then wait for the parent's go (the measured window starts)."""
    _phase("ready")
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(3)


def child(via: Via, office_path: Path, pack_path: Path) -> int:
    """Merge ``pack_path`` into ``office_path`` as ``citypartner pack merge --prefer pack``
    does, saying on stdout how far it got."""
    if via == "cli":
        from citypartner_desktop import cli

        wait_for_go()
        code = cli.main(["pack", "merge", str(pack_path), "--db", str(office_path),
                         "--prefer", PREFER])
        _phase(f"exit {code}")
        return 0 if code in (0, 2) else code
    from citypartner_desktop.services import backups
    from citypartner_desktop.services.visit_packs import merge

    original = backups.backup_before

    def noted_backup(*args: Any, **kwargs: Any) -> Path | None:
        made = original(*args, **kwargs)
        _phase("backed-up")
        return made

    backups.backup_before = noted_backup  # in this process only
    wait_for_go()
    pack = merge.open_pack(pack_path)
    office = open_db(office_path)
    _phase("opened")
    analysis = merge.analyse(office, pack)
    _phase("analysed")
    merge.apply(office, analysis, prefer=PREFER)
    _phase("applied")
    office.close()
    pack.close()
    _phase("closed")
    return 0


# -- an isolated home: the same installation (the merge's actor) in every process -----------
def home_env(home: Path) -> dict[str, str]:
    """XDG folders on Linux; HOME for macOS, where the user folders hang off the home."""
    return {"HOME": str(home), **{var: str(home / var.lower()) for var in _ENV_DIRS}}


def make_home(home: Path) -> None:
    from citypartner_desktop import paths

    with isolated(home):
        folder = paths.user_config_dir()
    if not folder.is_relative_to(home):
        raise RuntimeError(f"the user folders cannot be moved here ({folder})")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "installation-id").write_text(INSTALLATION_ID, encoding="ascii")


@contextmanager
def isolated(home: Path) -> Iterator[None]:
    """This process's user folders in ``home`` for a while (the merge's installation id, the
    backup settings), so that nothing of the real user's is read or written."""
    saved = {var: os.environ.get(var) for var in ("HOME", *_ENV_DIRS, "CITYPARTNER_DB")}
    os.environ.update(home_env(home))
    os.environ.pop("CITYPARTNER_DB", None)
    try:
        yield
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


# -- preparing the office and the pack ------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    office: Path
    pack: Path
    pack_records: int
    changes: dict[str, int]  # what the visit and the office did, for the report


def _ids(db: Any, kind: str, **query: Any) -> list[str]:
    return [row.id for row in records.iter_list(db.uow(), kind, ListQuery(**query))]


def prepare(folder: Path, *, partnerships: int = PARTNERSHIPS, everything: bool = False
            ) -> Prepared:
    """The office (small demo) and its pack, both edited since the pack was made; closed."""
    folder.mkdir(parents=True, exist_ok=True)
    office_path, pack_path = folder / "office.db", folder / "visit.cpack"
    office = open_db(office_path, OFFICE_ACTOR)
    try:
        load_demo(office, "small", seed=1)
        chosen = _ids(office, "partnership", sort_field="title")[:partnerships]
        scope = Scope(everything=True) if everything else Scope(partnerships=tuple(chosen))
        made = create(office, scope, pack_path)
        visit = _edit_pack(pack_path)
        done = _edit_office(office, visit["activity ids"])
    finally:
        office.close()
    for path in (office_path, pack_path):
        if path.with_name(path.name + "-wal").exists():
            raise RuntimeError(f"{path.name} left a write-ahead log after closing")
    changes = {k: len(v) if isinstance(v, list) else v for k, v in visit.items()
               if k != "activity ids"}
    return Prepared(office_path, pack_path, made.records, {**changes, **done})


def _edit_pack(pack_path: Path) -> dict[str, Any]:
    """What a visitor does on the laptop: every activity and contact changed, new ones added,
    some actions deleted; one new contact is one the office already has."""
    pack = open_db(pack_path, VISIT_ACTOR)
    try:
        activities = _ids(pack, "activity", sort_field="title")
        contacts = _ids(pack, "contact", sort_field="full_name")
        cities = _ids(pack, "city", sort_field="name")
        partnerships = _ids(pack, "partnership", sort_field="title")
        actions = _ids(pack, "action", sort_field="title")
        known = records.get(pack.uow(), "contact", contacts[0])
        day = date(2025, 5, 1)
        with pack.uow() as uow:
            for n, record_id in enumerate(activities):
                records.update_in(uow, "activity", record_id, {
                    "title": f"Visit follow-up {n}", "summary": f"Notes from the visit, {n}"})
            for n, record_id in enumerate(contacts):
                records.update_in(uow, "contact", record_id, {"notes": f"Met on the visit ({n})"})
            new_activities = [str(records.create_in(uow, "activity", {
                "partnership_id": partnerships[n % len(partnerships)], "kind": "meeting",
                "title": f"Meeting on the visit {n}", "start_date": day + timedelta(days=n % 90),
                "city_id": cities[n % len(cities)], "participant_count": n % 40,
                "summary": f"Agreed next steps, item {n}"}).id)
                for n in range(NEW_ACTIVITIES)]
            new_contacts = [str(records.create_in(uow, "contact", {
                "full_name": f"Visit Contact {n:03d}", "city_id": cities[n % len(cities)],
                "email": f"visit.contact.{n}@example.org", "position": "Project officer"},
                confirm_duplicate=True).id) for n in range(NEW_CONTACTS)]
            again = str(records.create_in(uow, "contact", {
                "full_name": known.values["full_name"], "email": known.values.get("email"),
                "position": known.values.get("position") or "Met again on the visit"},
                confirm_duplicate=True).id)
            people = [*new_contacts, again]
            for n in range(NEW_PARTICIPANTS):
                records.create_in(uow, "participant", {
                    "activity_id": new_activities[n % len(new_activities)],
                    "contact_id": people[(n * 7) % len(people)], "role": "guest"})
            for record_id in actions[:DELETED_ACTIONS]:
                records.delete_in(uow, "action", record_id)
            uow.commit()
    finally:
        pack.close()
    return {"activity ids": activities, "updated activities": activities,
            "updated contacts": contacts, "new activities": NEW_ACTIVITIES,
            "new contacts": NEW_CONTACTS + 1, "new participants": NEW_PARTICIPANTS,
            "deleted actions": DELETED_ACTIONS}


def _edit_office(office: Any, visited: list[str]) -> dict[str, int]:
    """Meanwhile in the office: titles the visit changed too (conflicts), other fields of
    other activities, one of the visit's activities deleted, a new contact, a city."""
    titles = visited[:OFFICE_TITLE_EDITS]
    costs = visited[OFFICE_TITLE_EDITS:OFFICE_TITLE_EDITS + OFFICE_COST_EDITS]
    deleted = visited[OFFICE_TITLE_EDITS + OFFICE_COST_EDITS:][:1]
    city = _ids(office, "city", sort_field="name")[0]
    with office.uow() as uow:
        for n, record_id in enumerate(titles):
            records.update_in(uow, "activity", record_id, {"title": f"Renamed in the office {n}"})
        for n, record_id in enumerate(costs):
            records.update_in(uow, "activity", record_id, {"cost": 250.0 + n})
        for record_id in deleted:
            records.delete_in(uow, "activity", record_id)
        records.create_in(uow, "contact", {"full_name": "Office Newcomer",
                                           "email": "newcomer@example.org"})
        records.update_in(uow, "city", city, {"population": 123_456})
        uow.commit()
    return {"office title edits": len(titles), "office cost edits": len(costs),
            "office deletions": len(deleted)}


# -- fingerprints and checks ----------------------------------------------------------------
def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def _digest(rows: list[list[Any]]) -> str:
    text = json.dumps(sorted(rows, key=lambda r: json.dumps(r, default=str)), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def history_ids(path: Path) -> set[str]:
    """The ids of a database's history entries (known before a merge: kept in fingerprints)."""
    conn = _connect(path)
    try:
        return {str(r[0]) for r in conn.execute("SELECT id FROM changes")}
    finally:
        conn.close()


def fingerprint(path: Path, known_history: frozenset[str] | set[str] = frozenset()
                ) -> Fingerprint:
    """Table -> SHA-256 of what the merge may change, read straight from the file.

    History entries whose id is not in ``known_history`` were written by the merge itself:
    their id and time are left out (they differ from run to run)."""
    result: Fingerprint = {}
    conn = _connect(path)
    try:
        for table in archive.tables():
            columns = [c.name for c in Base.metadata.tables[table].c]
            kept = [c for c in columns if c not in canon.skipped(table)]
            extra = [c for c in ("version", "created_at") if c in columns and table != "changes"]
            select = ", ".join(f'"{c}"' for c in ["id", *extra, *kept])
            rows: list[list[Any]] = []
            names = ["id", *extra, *kept, "deleted"]
            for row in conn.execute(f'SELECT {select}, deleted_at IS NOT NULL FROM "{table}"'):
                values = dict(zip(names, (_plain(v) for v in row), strict=True))
                if table == "changes" and str(values["id"]) not in known_history:
                    _merge_time_entry(values)
                rows.append(list(values.values()))
            result[table] = _digest(rows)
        result["pack_merges"] = _digest([list(r) for r in conn.execute(
            "SELECT pack_id, title, merged_by, summary, undo, undone_at IS NOT NULL "
            "FROM pack_merges")])
    finally:
        conn.close()
    return result


def _merge_time_entry(values: dict[str, Any]) -> None:
    """A history entry the merge wrote: its id (and time) are new in every run, and so is a
    deletion's or restoration's moment, which is the entry's old or new value."""
    values["id"] = values["changed_at"] = "(written by the merge)"
    if values["field"] == "deleted_at":
        values["old_value"] = values["old_value"] is not None
        values["new_value"] = values["new_value"] is not None


def differing(one: Fingerprint, other: Fingerprint) -> list[str]:
    return sorted(t for t in set(one) | set(other) if one.get(t) != other.get(t))


def database_problems(path: Path) -> list[str]:
    """integrity_check and foreign_key_check, straight from SQLite."""
    problems: list[str] = []
    conn = _connect(path)
    try:
        integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            problems.append(f"foreign_key_check: {len(dangling)} rows, e.g. {dangling[:3]}")
    finally:
        conn.close()
    return problems


@dataclass(frozen=True)
class Expected:
    before: Fingerprint
    after: Fingerprint
    known_history: frozenset[str]  # the office's before the merge and the pack's
    pack: Fingerprint  # the pack file's own (a merge must not change it)


@dataclass
class Verdict:
    state: State | None = None
    failures: list[str] = field(default_factory=list)


def verify(office_path: Path, expected: Expected, pack_path: Path | None = None) -> Verdict:
    """Open the office as the application does, then check it (and the pack, if given)."""
    verdict = Verdict()
    try:
        open_db(office_path).close()
    except Exception as exc:  # any refusal after a kill is a failure of the merge
        verdict.failures.append(f"office does not open: {type(exc).__name__}: {exc}")
        return verdict
    verdict.failures.extend(database_problems(office_path))
    now = fingerprint(office_path, expected.known_history)
    if now == expected.before:
        verdict.state = "before"
    elif now == expected.after:
        verdict.state = "after"
    else:
        verdict.failures.append(
            "office is neither as before the merge nor as merged: differs from before in "
            f"{', '.join(differing(now, expected.before))}; from merged in "
            f"{', '.join(differing(now, expected.after))}")
    if pack_path is not None:
        verdict.failures.extend(f"pack {p}" for p in database_problems(pack_path))
        changed = differing(fingerprint(pack_path, expected.known_history), expected.pack)
        if changed:
            verdict.failures.append(f"the merge changed the pack file: {', '.join(changed)}")
    return verdict


def merge_again(office_path: Path, pack_path: Path, state: State, expected: Expected
                ) -> list[str]:
    """Merge the pack again after the kill: it completes (state "before") or says it was
    merged already and changes nothing ("after"); either way the office ends as merged."""
    from citypartner_desktop.services.visit_packs import merge

    failures: list[str] = []
    try:
        pack = merge.open_pack(pack_path)
        try:
            office = open_db(office_path)
            try:
                analysis = merge.analyse(office, pack)
                result = merge.apply(office, analysis, prefer=PREFER)
            finally:
                office.close()
        finally:
            pack.close()
    except Exception as exc:
        return [f"merging again failed: {type(exc).__name__}: {exc}"]
    already = analysis.merged_before is not None
    if state == "before" and already:
        failures.append("merging again says already merged, but nothing was")
    if state == "after" and not already:
        failures.append("merging again merged a second time")
    if state == "after" and not any("already merged" in line for line in result.refused):
        failures.append(f"merging again did not say already merged: {result.refused[:2]}")
    failures.extend(database_problems(office_path))
    changed = differing(fingerprint(office_path, expected.known_history), expected.after)
    if changed:
        failures.append(f"merged again, differs from the reference in {', '.join(changed)}")
    return failures


# -- the parent -----------------------------------------------------------------------------
@dataclass
class Results:
    trials: int = 0
    killed_during: int = 0  # the child had not finished when it was killed
    states: Counter[str] = field(default_factory=Counter)  # "before" / "after"
    phases: Counter[str] = field(default_factory=Counter)  # how far the child had got
    failures: list[str] = field(default_factory=list)
    merge_seconds: float = 0.0  # an uninterrupted merge, ready to exit (median)
    prepared: Prepared | None = None
    seconds: float = 0.0


def _spawn(via: Via, office_path: Path, pack_path: Path, home: Path
           ) -> subprocess.Popen[str]:
    env = {**os.environ, **home_env(home)}
    env.pop("CITYPARTNER_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.pack_merge_crash", "--child", via, str(office_path),
         str(pack_path)], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def start_child(proc: subprocess.Popen[str]) -> None:
    """Wait until the child has done its imports, then let it merge."""
    assert proc.stdout is not None and proc.stdin is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        _out, err = proc.communicate()
        raise RuntimeError(f"merge child did not start: {line!r} {err}")
    proc.stdin.write("go\n")
    proc.stdin.flush()


def _copy(template: Prepared, folder: Path) -> tuple[Path, Path]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    office, pack = folder / template.office.name, folder / template.pack.name
    shutil.copyfile(template.office, office)
    shutil.copyfile(template.pack, pack)
    return office, pack


def _trial_child(template: Prepared, folder: Path, via: Via, home: Path
                 ) -> tuple[subprocess.Popen[str], Path, Path]:
    office, pack = _copy(template, folder)
    return _spawn(via, office, pack, home), office, pack


def calibrate(template: Prepared, work: Path, home: Path, via: Via, known: frozenset[str],
              runs: int = 3) -> tuple[float, Fingerprint]:
    """The uninterrupted merge: its duration from "ready" to exit (median of ``runs``; the
    first is often slower, with cold caches) and the office it leaves (every run alike)."""
    times: list[float] = []
    merged: list[Fingerprint] = []
    for n in range(runs):
        office, pack = _copy(template, work / "reference")
        proc = _spawn(via, office, pack, home)
        start_child(proc)
        started = time.perf_counter()
        out, err = proc.communicate(timeout=600)
        times.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise RuntimeError(f"the reference merge failed ({proc.returncode}): {out} {err}")
        problems = database_problems(office)
        if problems:
            raise RuntimeError(f"the reference merge left a damaged office: {problems}")
        merged.append(fingerprint(office, known))
        if merged[n] != merged[0]:
            raise RuntimeError("two uninterrupted merges left different offices (the "
                               "fingerprint is not deterministic?): "
                               f"{', '.join(differing(merged[n], merged[0]))}")
    return statistics.median(times), merged[0]


@dataclass(frozen=True)
class Reference:
    """What the kill trials need (valid while ``reference`` is open): the prepared office and
    pack, the two allowed states, and the uninterrupted merge's duration."""

    template: Prepared
    expected: Expected
    duration: float
    work: Path
    home: Path
    via: Via


@contextmanager
def reference(report: Callable[[str], None] = print, *, partnerships: int = PARTNERSHIPS,
              everything: bool = False, via: Via = "service", runs: int = 3
              ) -> Iterator[Reference]:
    """Prepare the office and its pack and take the reference merge, in a scratch folder and
    an isolated home (both gone, and this process's user folders back, when the block ends)."""
    with tempfile.TemporaryDirectory(prefix="pack-merge-crash-") as tmp:
        work = Path(tmp)
        home = work / "home"
        make_home(home)
        with isolated(home):
            template = prepare(work / "template", partnerships=partnerships,
                               everything=everything)
            # Open and close once as a trial's check will (nothing may change on opening).
            open_db(template.office).close()
            known = frozenset(history_ids(template.office) | history_ids(template.pack))
            before = fingerprint(template.office, known)
            duration, after = calibrate(template, work, home, via, known, runs)
            if after == before:
                raise RuntimeError("the merge changes nothing: no test")
            expected = Expected(before, after, known, fingerprint(template.pack, known))
            report(f"pack of {template.pack_records:,} records; visit and office changes: "
                   + ", ".join(f"{k} {v:,}" for k, v in template.changes.items()))
            report(f"reference merge (uninterrupted, via {via}): {duration:.2f} s, changes "
                   f"{', '.join(differing(before, after))}")
            yield Reference(template, expected, duration, work, home, via)


@dataclass(frozen=True)
class Trial:
    """One killed merge, checked. ``office`` and ``pack`` stay as the check left them until
    the trial after next (two folders are used in turn)."""

    number: int
    killed_during: bool  # the child had not finished when it was killed
    phase: str  # the last step the child reported
    office: Path
    pack: Path
    verdict: Verdict
    again: list[str]  # what merging again after the kill found wrong

    @property
    def failures(self) -> list[str]:
        return [*self.verdict.failures, *self.again]


def kill_trials(ref: Reference, trials: int, rng: random.Random) -> Iterator[Trial]:
    """``trials`` merges, each killed at a random moment within the reference's duration (plus
    10 %, so some kills land after the end), then checked. The next trial's child is started
    (its imports done) while this one's office is checked: two folders, used in turn."""
    pending = _trial_child(ref.template, ref.work / "trial-0", ref.via, ref.home)
    try:
        for trial in range(trials):
            proc, office, pack = pending
            start_child(proc)
            time.sleep(rng.uniform(0, ref.duration * 1.1))
            killed_during = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            out, _err = proc.communicate()
            if trial + 1 < trials:
                pending = _trial_child(ref.template, ref.work / f"trial-{(trial + 1) % 2}",
                                       ref.via, ref.home)
            steps = [p for p in out.split() if p in PHASES]
            verdict = verify(office, ref.expected, pack)
            again = ([] if verdict.state is None
                     else merge_again(office, pack, verdict.state, ref.expected))
            yield Trial(trial, killed_during, steps[-1] if steps else "ready", office, pack,
                        verdict, again)
    finally:
        if pending[0].poll() is None:  # a run that stopped half-way
            pending[0].kill()
            pending[0].communicate()


def run(trials: int, report: Callable[[str], None] = print, *, seed: int = 1,
        partnerships: int = PARTNERSHIPS, everything: bool = False,
        via: Via = "service") -> Results:
    """Prepare, take the reference, then ``trials`` kills, each checked."""
    started = time.perf_counter()
    rng = random.Random(seed)
    results = Results()
    with reference(report, partnerships=partnerships, everything=everything, via=via) as ref:
        results.prepared, results.merge_seconds = ref.template, ref.duration
        for trial in kill_trials(ref, trials, rng):
            results.trials += 1
            results.killed_during += trial.killed_during
            results.phases[trial.phase] += 1
            if trial.verdict.state is not None:
                results.states[trial.verdict.state] += 1
            results.failures.extend(f"trial {trial.number}: {f}" for f in trial.failures)
    results.seconds = time.perf_counter() - started
    report(f"trials {results.trials}  killed mid-merge {results.killed_during}  office found "
           f"as before {results.states['before']}, as merged {results.states['after']}  "
           f"failures {len(results.failures)}  ({results.seconds:.0f} s)")
    report("last step the child reported before the kill: " + ", ".join(
        f"{p} {results.phases[p]}" for p in PHASES if results.phases[p]))
    for failure in results.failures[:10]:
        report(f"    {failure}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200, help="kills (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--partnerships", type=int, default=PARTNERSHIPS,
                       help=f"partnerships in the pack (default {PARTNERSHIPS})")
    which.add_argument("--all", action="store_true", help="pack every record")
    parser.add_argument("--via", choices=("service", "cli"), default="service",
                        help="the child merges through the services (default) or the command")
    parser.add_argument("--child", nargs=3, metavar=("VIA", "OFFICE", "PACK"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]), Path(args.child[2]))
    if sys.platform == "win32":
        print("needs SIGKILL (Linux or macOS)", file=sys.stderr)
        return 2
    print(f"visit pack merge crash safety: {args.trials} SIGKILLs, seed {args.seed}")
    results = run(args.trials, seed=args.seed, partnerships=args.partnerships,
                  everything=args.all, via=args.via)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
