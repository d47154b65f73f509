"""A killed or starved ingest leaves the store exactly as it was before, or exactly as it is after.

Each test runs the real ``findings ingest`` in a process of its own and
ends it the hard way: SIGKILL at every named point of the write path
(:mod:`graph.faults`: before and after COMMIT, the checkpoint, the swap),
SIGKILL at random instants, an injected "no space left" at every point
before the swap, and a real full disk (a small tmpfs). Afterwards the store
must open read-only and hold, row for row and property for property, the
state before the ingest or the state after it; after a kill, the same
ingest run again must reach the state after, with nothing duplicated.

The ingest adds 1,200 paragraphs, so excerpts and their links go through
the bulk ``COPY`` path, whose rows the engine's WAL does not hold.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bench_scale import write_delve_markdown
from benchmarks.synthetic import generate_study
from graph import faults
from graph.ladybug_store import WORKING_SUFFIX
from graph.schema import NODES, RELATIONSHIPS
from graph.store import open_store
from tests.conftest import REPO

STUDY = generate_study(7, seed=11, coders=2)
BEFORE_SWAP = faults.POINTS[: faults.POINTS.index("swapped")]
# Points reached in the writer child; "parsed" is reached by the command itself.
IN_WRITER = faults.POINTS[faults.POINTS.index("locked") :]


def dump(db: Path) -> dict[str, list[str]]:
    """Every node and relationship of the store with all its properties, in a stable order."""
    with open_store(db, read_only=True) as store:
        state = {
            label: sorted(repr(row) for row in store.run(f"MATCH (n:{label}) RETURN n ORDER BY n.id").rows)
            for label in NODES
        }
        for name, rel in RELATIONSHIPS.items():
            rows = store.run(f"MATCH (a:{rel.source})-[r:{name}]->(b:{rel.target}) RETURN a.id, b.id, r").rows
            state[name] = sorted(repr(row) for row in rows)
    return state


def ingest(folder: Path, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `findings ingest` in a session of its own, so a test can kill it with everything it started."""
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "ingest", str(folder), "--db", str(db), "--format", "json"],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finished(child: subprocess.Popen) -> tuple[int, str]:
    _, stderr = child.communicate(timeout=300)
    return child.returncode, stderr


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A store holding interviews 1-3, the folder of interviews 4-7, and the store's state before and after."""
    root = tmp_path_factory.mktemp("durability")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for record in STUDY:
        write_delve_markdown(record, first if int(record.interview.split()[-1]) <= 3 else second)
    base = root / "base" / "findings-db"
    assert finished(ingest(first, base))[0] == 0
    after = root / "after" / "findings-db"
    after.parent.mkdir()
    shutil.copyfile(base, after)
    start = time.perf_counter()
    code, stderr = finished(ingest(second, after))
    assert code == 0, stderr
    seconds = time.perf_counter() - start
    states = {"before": dump(base), "after": dump(after)}
    assert states["before"] != states["after"] and len(states["after"]["Excerpt"]) == 7 * 2 * 150
    return {"base": base, "folder": second, "seconds": seconds, **states}


def fresh_copy(study, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "findings-db"
    shutil.copyfile(study["base"], db)
    return db


def state_of(study, db: Path) -> str:
    """'before' or 'after'; anything else fails the test."""
    current = dump(db)
    for name in ("before", "after"):
        if current == study[name]:
            return name
    differing = sorted(t for t in current if current[t] != study["before"][t] and current[t] != study["after"][t])
    pytest.fail(f"the store is neither before nor after the ingest (tables: {differing})")


def assert_recovers(study, db: Path) -> None:
    """The same ingest, run again, completes the store exactly once and leaves no working files."""
    code, stderr = finished(ingest(study["folder"], db))
    assert code == 0, stderr
    assert state_of(study, db) == "after"
    assert not list(db.parent.glob(f"{db.name}{WORKING_SUFFIX}*"))


@pytest.mark.parametrize("point", faults.POINTS)
def test_kill_at_each_point_leaves_before_or_after(study, tmp_path, point):
    db = fresh_copy(study, tmp_path)
    code, stderr = finished(ingest(study["folder"], db, {faults.CRASH_AT: point}))
    if point in IN_WRITER:
        # The writer died; the command says so in one line and names the store.
        assert code == 1 and stderr.count("\n") == 1, stderr
        assert f"findings: error: {db}: the process writing the database died (killed by SIGKILL" in stderr
    else:
        assert code == -signal.SIGKILL
    expected = "after" if point in ("swapped", "published") else "before"
    assert state_of(study, db) == expected
    if point in IN_WRITER:
        assert f"the database is {'as it was' if expected == 'before' else 'holding the whole write'}" in stderr
    assert_recovers(study, db)


def test_kills_at_random_instants_leave_before_or_after(study, tmp_path):
    """The whole command (its writer too) killed at seeded random instants over an ingest's duration."""
    rng = random.Random(20261201)
    seen = []
    for attempt in range(6):
        db = fresh_copy(study, tmp_path / str(attempt))
        child = ingest(study["folder"], db)
        time.sleep(rng.uniform(0.0, study["seconds"] * 1.1))
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it finished first
        finished(child)
        seen.append(state_of(study, db))
        assert_recovers(study, db)
    assert "before" in seen, seen  # the kills did land inside the ingest


@pytest.mark.parametrize("point", BEFORE_SWAP[BEFORE_SWAP.index("locked") :])
def test_no_space_left_at_each_point_leaves_before(study, tmp_path, point):
    db = fresh_copy(study, tmp_path)
    code, stderr = finished(ingest(study["folder"], db, {faults.FAIL_AT: point}))
    assert code == 1 and stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"findings: error: {db}: no space left on the disk (")
    assert stderr.rstrip().endswith("the write was abandoned and the database is as it was")
    assert state_of(study, db) == "before"
    assert not list(tmp_path.glob(f"findings-db{WORKING_SUFFIX}*")), "a failed write left its working copy"


def _mount_small_disk(folder: Path, size: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return mount.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """Mounts a tmpfs of a given size under tmp_path; unmounted at the end."""
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        folder = tmp_path / f"disk-{len(mounted)}"
        if not _mount_small_disk(folder, size):
            pytest.skip("cannot mount a small tmpfs here (needs root); the injected no-space tests still ran")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_real_full_disk_leaves_before_with_one_line(study, small_disk):
    """Disks too small for the working copy, for the new rows, for the checkpoint: each fails cleanly."""
    before = study["base"].stat().st_size
    grown = max(dump_size(study) - before, 1 << 20)
    outcomes, refusals = [], []
    shares = (1.02, 1.4, 1.8, 2.1, 3.0)
    for share in shares:
        disk = small_disk(int(before * share + grown * max(share - 1, 0)) + (256 << 10))
        db = disk / "findings-db"
        try:
            shutil.copyfile(study["base"], db)
        except OSError:
            outcomes.append("no room for the store itself")
            continue
        code, stderr = finished(ingest(study["folder"], db))
        if code == 0:
            outcomes.append(state_of(study, db))
            assert outcomes[-1] == "after"
            continue
        assert code == 1 and stderr.count("\n") == 1, stderr
        assert stderr.startswith(f"findings: error: {db}: "), stderr
        assert "no space left on the disk" in stderr or "the process writing the database died" in stderr, stderr
        refusals.append(stderr.strip())
        assert state_of(study, db) == "before"
        assert not list(disk.glob(f"findings-db{WORKING_SUFFIX}*")), "a failed write left its working copy"
        outcomes.append("refused")
    print(f"\ndisk sizes as shares of the store: {dict(zip(shares, outcomes))}", *refusals, sep="\n")
    assert "refused" in outcomes and outcomes[-1] == "after", outcomes


def dump_size(study) -> int:
    """Size of the store after the ingest (the 'after' fixture's file)."""
    return (study["base"].parent.parent / "after" / "findings-db").stat().st_size


def test_a_second_writer_is_refused_in_words_while_readers_go_on(study, tmp_path):
    db = fresh_copy(study, tmp_path)
    with open_store(db) as writer:
        code, stderr = finished(ingest(study["folder"], db))
        assert code == 1 and stderr == (
            f"findings: error: {db}: another findings process (pid {os.getpid()}) is writing to this database; "
            "wait for it to finish and try again\n"
        )
        with open_store(db, read_only=True) as reader:  # readers are never locked out
            assert reader.run("MATCH (i:Interview) RETURN count(i)").scalar() == 3
        assert writer.run("MATCH (i:Interview) RETURN count(i)").scalar() == 3
    # Closed: the lock is free again.
    code, stderr = finished(ingest(study["folder"], db))
    assert code == 0, stderr and state_of(study, db) == "after"


def test_a_wal_left_by_an_in_place_writer_is_recovered_by_the_next_writer(tmp_path):
    """A store written in place (an older findings, another program) and killed before its checkpoint."""
    db = tmp_path / "findings-db"
    with open_store(db) as store, store.transaction() as tx:
        tx.run("CREATE (:Interview {id: 'interview-1', name: 'Interview 1'})")
    child = subprocess.run([sys.executable, "-c", IN_PLACE_WRITE_THEN_DIE, str(db)], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert Path(f"{db}.wal").exists()
    with open_store(db) as store:  # the engine replays the WAL into the store file, then the write proceeds
        assert store.run("MATCH (i:Interview) RETURN i.name ORDER BY i.name").rows == [["Interview 1"], ["Interview 2"]]
    assert not Path(f"{db}.wal").exists()
    with open_store(db, read_only=True) as store:
        assert store.run("MATCH (i:Interview) RETURN count(i)").scalar() == 2


IN_PLACE_WRITE_THEN_DIE = """
import os, signal, sys, ladybug
connection = ladybug.Connection(ladybug.Database(sys.argv[1]))
connection.execute("CALL auto_checkpoint=false")
connection.execute("CREATE (:Interview {id: 'interview-2', name: 'Interview 2'})")
os.kill(os.getpid(), signal.SIGKILL)
"""
