"""The embedded backend: LadybugDB, an on-disk property graph with Cypher.

**The store is never written in place.** A write builds the new state in a
working copy beside the store (``findings-db.next``) and, once that copy is
committed, checkpointed, closed and verified, swaps it in with one
``rename``. A process killed at any instant, or a disk that fills at any
point, therefore leaves the store file exactly as it was before or exactly
as it is after; readers (the explorer) never see anything in between, and a
store always opens read-only. This does not lean on the engine's
write-ahead log, and must not: measured on ladybug 0.22, rows added with
``COPY ... FROM`` inside a transaction are not in the WAL, so a process that
dies after ``COMMIT`` and before the checkpoint loses them on recovery while
keeping the rest of the transaction; and a WAL that cannot be written on a
full disk aborts the process and leaves a torn WAL the store cannot open
with. A working copy left by a killed writer is removed by the next one.

One writer at a time: a writer holds ``findings-db.lock`` (an advisory
``flock``) from open to close, and a second one is refused in one line.
The price is one file copy per write transaction (about 0.1 s per 100 MB).

Large inserts go in through ``COPY ... FROM`` an Arrow table typed from the
schema (about ten times faster per row than ``UNWIND ... CREATE``); an
untyped pandas column of missing values and text makes the engine store
"nan" or crash. Each ``COPY`` costs a fixed ~10 ms, so small inserts use
``UNWIND`` instead. ``COPY`` aborts the process on a duplicate primary key,
so callers only ever insert keys they have checked are new; the loader
does that.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

from graph import faults
from graph.schema import KEY, NODES, RELATIONSHIPS, create_nodes_statement, create_relationships_statement
from graph.store import GraphStore, QueryResult, Rows, StoreError, Transaction, as_records, free_space

__all__ = ["COPY_FROM_ROWS", "WORKING_SUFFIX", "LOCK_SUFFIX", "ENGINE_SIDECARS", "schema_statements", "LadybugStore"]

# Measured: COPY's fixed cost equals UNWIND ... CREATE of about a thousand rows.
COPY_FROM_ROWS = 1000

WORKING_SUFFIX = ".next"
LOCK_SUFFIX = ".lock"
# Files the engine keeps beside a database while it writes or checkpoints (seen on ladybug 0.22).
ENGINE_SIDECARS = (".wal", ".shadow", ".wal.checkpoint", ".checkpoint.apply.lock", ".checkpoint.intent.lock")

# Arrow types of the schema's property types, by name (pyarrow is imported only by bulk inserts).
_ARROW_TYPES = {"STRING": "string", "INT64": "int64", "DOUBLE": "float64", "BOOL": "bool_"}


def schema_statements() -> list[str]:
    """DDL for every node and relationship table of the schema."""
    statements = []
    for node in NODES.values():
        columns = ", ".join(f"{name} {kind}" for name, kind in [(KEY, "STRING"), *node.properties.items()])
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}({columns}, PRIMARY KEY({KEY}))")
    for rel in RELATIONSHIPS.values():
        props = "".join(f", {name} {kind}" for name, kind in rel.properties.items())
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}(FROM {rel.source} TO {rel.target}{props})")
    return statements


def _plain(value: Any) -> Any:
    """Turn LadybugDB node/relationship values into plain dicts without internals."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in {"_ID", "_SRC", "_DST"}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return " ".join(text.splitlines()[:1]) if text else type(exc).__name__


def _is_disk_full(exc: BaseException) -> bool:
    return (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in str(exc)


class _Engine:
    """One open LadybugDB database and its connection; engine errors become :class:`StoreError`."""

    def __init__(self, path: Path, *, read_only: bool) -> None:
        self.path = path
        try:
            self._db = ladybug.Database(str(path), read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            message = _first_line(exc)
            if "Could not set lock" in message:
                message = "another program has it open for writing"
            raise StoreError(f"{path}: cannot open database ({message})") from None

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            result = self._conn.execute(cypher, params or {})
        except RuntimeError as exc:
            raise StoreError(_first_line(exc)) from None
        columns = result.get_column_names()
        return QueryResult(columns, [[_plain(v) for v in row] for row in result.get_all()])

    def tables(self) -> set[str]:
        return {row[0] for row in self.run("CALL show_tables() RETURN name").rows}

    def missing_properties(self) -> list[tuple[str, str, str]]:
        """(label, property, type) of every schema property the database's node tables lack."""
        tables = self.tables()
        missing = []
        for node in NODES.values():
            if node.label in tables:
                present = {row[1] for row in self.run(f"CALL table_info('{node.label}') RETURN *").rows}
                missing += [(node.label, name, kind) for name, kind in node.properties.items() if name not in present]
        return missing

    def counts(self) -> dict[str, int]:
        """Rows of every schema table: what a verified copy must hold."""
        tables = self.tables()
        counts = {n: self.run(f"MATCH (x:{n}) RETURN count(x)").scalar() for n in NODES if n in tables}
        for name, rel in RELATIONSHIPS.items():
            if name in tables:
                counts[name] = self.run(f"MATCH (:{rel.source})-[r:{name}]->(:{rel.target}) RETURN count(r)").scalar()
        return counts

    def close(self) -> None:
        self._conn.close()
        self._db.close()


class _WriterLock:
    """An exclusive advisory lock on ``<store>.lock``, holding the writer's pid for the message a second writer gets."""

    def __init__(self, store: Path) -> None:
        path = Path(f"{store}{LOCK_SUFFIX}")
        try:
            self._file = path.open("a+")
        except OSError as exc:
            raise StoreError(f"{store}: cannot take the writer lock {path} ({exc.strerror or exc})") from None
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "unknown"
            self._file.close()
            raise StoreError(
                f"{store}: another findings process (pid {holder}) is writing to this database; "
                "wait for it to finish and try again"
            ) from None
        self._file.truncate(0)
        self._file.write(str(os.getpid()))
        self._file.flush()

    def release(self) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()


def _remove_working_files(work: Path) -> None:
    for path in [work, *work.parent.glob(f"{work.name}.*")]:
        path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    if kind.endswith("[]"):
        return pa.list_(_arrow_type(kind[:-2]))
    return getattr(pa, _ARROW_TYPES[kind])()


def _arrow_table(table: str, columns: list[str], kinds: list[str], records: list[dict[str, Any]]) -> Any:
    """``records`` as an Arrow table whose column types come from the schema, so missing values stay NULL."""
    import pyarrow as pa

    arrays = []
    for column, kind in zip(columns, kinds):
        try:
            arrays.append(pa.array([record[column] for record in records], type=_arrow_type(kind)))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise StoreError(f"{table}.{column}: a value does not fit the column's type {kind} ({exc})") from None
    return pa.Table.from_arrays(arrays, names=columns)


class _LadybugTransaction(Transaction):
    def __init__(self, engine: _Engine) -> None:
        self._engine = engine

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._engine.run(cypher, params)

    def insert_nodes(self, label: str, rows: Rows) -> None:
        node = NODES[label]
        kinds = ["STRING", *node.properties.values()]
        self._insert(label, node.columns, kinds, create_nodes_statement(label), rows)

    def insert_relationships(self, name: str, rows: Rows) -> None:
        rel = RELATIONSHIPS[name]
        columns = ["source", "target", *rel.properties]
        kinds = ["STRING", "STRING", *rel.properties.values()]
        self._insert(name, columns, kinds, create_relationships_statement(name), rows)

    def _insert(self, table: str, columns: list[str], kinds: list[str], create: str, rows: Rows) -> None:
        records = as_records(rows, columns)
        if len(records) >= COPY_FROM_ROWS:
            self._engine.run(f"COPY {table} FROM $rows", {"rows": _arrow_table(table, columns, kinds, records)})
        elif records:
            self._engine.run(create, {"rows": records})


class LadybugStore(GraphStore):
    """A LadybugDB database in one file on disk (``./findings-db`` by default).

    Opened read-only it reads the store file. Opened for writing it takes the
    writer lock; reads see the store file, each :meth:`transaction` runs on a
    fresh working copy and swaps it in on commit. Writes go through
    :meth:`transaction` only: outside one, the store file is read-only.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        self.read_only = read_only
        self._path = Path(path)
        self._work_path = Path(f"{path}{WORKING_SUFFIX}")
        self._reader: _Engine | None = None
        self._work: _Engine | None = None
        self._lock: _WriterLock | None = None
        if read_only:
            self._reader = self._open_reader()
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _WriterLock(self._path)
        try:
            faults.reach("locked")
            _remove_working_files(self._work_path)  # left by a writer that was killed
            self._recover_interrupted_write()
            if not self._path.exists() or self._schema_out_of_date():
                # A new store, or one from an earlier version: the schema goes in with the next swap.
                self._open_work()
        except BaseException as exc:  # noqa: BLE001 - whatever failed (a kill too), clean up, then say it
            self._abandon()
            raise self._write_failure(exc) from None

    # --- reading -----------------------------------------------------------------------------------

    def _open_reader(self) -> _Engine:
        reader = _Engine(self._path, read_only=True)
        missing = [f"{t}.{p}" for t, p, _ in reader.missing_properties()]
        tables = reader.tables()
        if tables:
            # A table the schema has gained since (SUGGESTED_AS) would fail the first query that names it.
            missing += sorted({*NODES, *RELATIONSHIPS} - tables)
        if missing and self.read_only:
            reader.close()
            raise StoreError(
                f"{self.location}: written by an earlier version (no {', '.join(missing)}); "
                f"open it once for writing to upgrade it, e.g. findings centrality --write --db {self.location}"
            )
        return reader

    def _schema_out_of_date(self) -> bool:
        reader = self._current_reader()
        return bool(reader.missing_properties()) or not {*NODES, *RELATIONSHIPS} <= reader.tables()

    def _current_reader(self) -> _Engine:
        if self._reader is None:
            self._reader = self._open_reader()
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> QueryResult:
        if self._work is not None:
            return self._work.run(cypher, params)  # a new or upgraded store, before its first swap
        return self._current_reader().run(cypher, params)

    # --- writing -----------------------------------------------------------------------------------

    def _recover_interrupted_write(self) -> None:
        """Let the engine replay a WAL left beside the store file by a writer that wrote in place.

        No findings writer does since the working copy; an older version, or
        another program, may have.
        """
        if not any(Path(f"{self._path}{suffix}").exists() for suffix in ENGINE_SIDECARS):
            return
        try:
            _Engine(self._path, read_only=False).close()
        except StoreError as exc:
            raise StoreError(
                f"{exc} (an interrupted write left {self._path}.wal; moving that file away opens the database "
                "as of its last checkpoint)"
            ) from None

    def _open_work(self) -> None:
        """A working copy of the store file, open for writing, with the current schema."""
        self._close_reader()
        try:
            if self._path.exists():
                shutil.copyfile(self._path, self._work_path)
            faults.reach("copied")
            self._work = _Engine(self._work_path, read_only=False)
            for statement in schema_statements():
                self._work.run(statement)
            for label, name, kind in self._work.missing_properties():
                # A store made by an earlier version gains the properties the schema has gained since.
                self._work.run(f"ALTER TABLE {label} ADD {name} {kind}")
        except BaseException as exc:  # noqa: BLE001 - whatever failed (a kill too), clean up, then say it
            self._discard_work()
            raise self._write_failure(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self.read_only:
            raise StoreError(f"{self.location}: database is open read-only")
        if self._work is None:
            self._open_work()
        assert self._work is not None
        try:
            self._work.run("BEGIN TRANSACTION")
            yield _LadybugTransaction(self._work)
            faults.reach("derived")
            self._work.run("COMMIT")
            faults.reach("committed")
            self._publish()
        except BaseException as exc:  # noqa: BLE001 - whatever failed (a kill too), clean up, then say it
            self._discard_work()
            raise self._write_failure(exc) from None

    def _publish(self) -> None:
        """Checkpoint, close and verify the working copy, then swap it in for the store file."""
        work = self._work
        assert work is not None
        expected = work.counts()
        work.run("CHECKPOINT")
        faults.reach("checkpointed")
        work.close()
        self._work = None
        faults.reach("closed")
        leftovers = [s for s in ENGINE_SIDECARS if Path(f"{self._work_path}{s}").exists()]
        if leftovers:
            raise StoreError(f"{self._work_path}: the engine did not finish its checkpoint ({', '.join(leftovers)} left)")
        check = _Engine(self._work_path, read_only=True)
        try:
            found = check.counts()
        finally:
            check.close()
        if found != expected:
            tables = expected.keys() | found.keys()
            wrong = {t: (expected.get(t), found.get(t)) for t in tables if expected.get(t) != found.get(t)}
            raise StoreError(f"{self._work_path}: the engine wrote an incomplete copy (rows expected, found: {wrong})")
        faults.reach("verified")
        _fsync(self._work_path)
        faults.reach("synced")
        os.replace(self._work_path, self._path)
        faults.reach("swapped")
        _fsync(self._path.parent)
        faults.reach("published")

    def _write_failure(self, exc: BaseException) -> BaseException:
        """The error to raise for a write that failed: a full disk in one line, others unchanged."""
        if _is_disk_full(exc):
            size = self._path.stat().st_size / 2**20 if self._path.exists() else 0.0
            return StoreError(
                f"{self.location}: no space left on the disk ({free_space(self._path)} once the working copy "
                f"is removed; a write needs room for a copy of the {size:.1f} MB store and the new rows); "
                "the write was abandoned and the database is as it was"
            )
        return exc

    def _discard_work(self) -> None:
        if self._work is not None:
            try:
                self._work.close()
            except RuntimeError:
                pass  # the copy is deleted next; its engine's complaints about closing do not matter
            self._work = None
        _remove_working_files(self._work_path)

    def _abandon(self) -> None:
        """Close without publishing: the store file stays as it was."""
        try:
            self._discard_work()
            self._close_reader()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def close(self) -> None:
        try:
            if self._work is not None:
                self._publish()  # a new or upgraded store that no transaction has swapped in yet
        except BaseException as exc:  # noqa: BLE001 - whatever failed (a kill too), clean up, then say it
            self._discard_work()
            raise self._write_failure(exc) from None
        finally:
            self._abandon()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            self._abandon()  # a failure inside the block: nothing of it reaches the store file
        else:
            self.close()
