"""A second process, and scratch files it writes rows into: how a large import on SQLite
uses both processors.

Checking rows, making them and binding their values to SQLite statements is Python work,
and holds Python's lock: a second thread cannot share it (measured: it made the import
slower). A forked child process can (`Child`). For the CSV import it reads and checks the
second half of the file while the parent does the first, then writes rows into scratch
SQLite files (`write_scratch`: its half's organizations, then the history and links of
both halves) while the parent writes its own organizations and builds the indexes. The
parent's connection has the files attached (`scratch_staging`) and copies each table in
with one `INSERT … SELECT` (`Staging.copy_in`), which runs in SQLite without binding
anything.

Each scratch file is written once, then copied: a file the parent has read stays locked
until the parent's commit.

Only where forking is safe (`fork_possible`): a system with fork(), and a process with no
other thread (a thread holding a lock at the fork would leave that lock held for ever in
the child). Scratch files also need SQLite, and no transaction open when they are attached
(`staging_possible`). Elsewhere the caller does the work itself.

The child (multiprocessing's fork start method) touches nothing of the parent's: not its
database connection (it opens its own, on scratch files only), not its progress bar; it
ends with os._exit, so nothing of the parent's is flushed or closed twice. Its failure is
raised in the parent (StagingFailed, with the child's traceback), in the parent's
transaction, which then rolls back: nothing is half-written."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from django.db import DatabaseError, connection, transaction

from tahaluf.lib.bulk import BulkInsert, stage_rows


class StagingFailed(RuntimeError):
    """The child process failed or ended too soon (its traceback is the message)."""


def fork_possible() -> bool:
    """A system with fork(), and no other thread in this process."""
    return hasattr(os, "fork") and threading.active_count() == 1


def staging_possible() -> bool:
    return fork_possible() and connection.vendor == "sqlite" and not connection.in_atomic_block


@dataclass
class _Failure:
    traceback: str


class Child:
    """A forked process running `work(channel)`; the two exchange Python objects through
    the channel (`send`, `recv` there; `send`, `receive` here). Use only where
    `fork_possible()`: the child inherits this process's memory, nothing is pickled but
    the messages."""

    def __init__(self, work: Callable[[Connection], object]) -> None:
        context = multiprocessing.get_context("fork")
        self.channel, child_end = context.Pipe()
        self.process = context.Process(target=_run, args=(work, child_end), daemon=True)
        self.process.start()
        child_end.close()
        self.failure: str | None = None

    def send(self, message: Any) -> None:
        try:
            self.channel.send(message)
        except OSError:  # the child has ended: why is in the channel, or in its status
            self.receive()
            raise StagingFailed("The child process ended before it was told what to do.") from None

    def receive(self) -> Any:
        try:
            message = self.channel.recv()
        except EOFError:
            self.wait()
            raise StagingFailed("The child process ended before it said what it did.") from None
        if isinstance(message, _Failure):
            self.failure = message.traceback
            self.wait()
            raise StagingFailed(message.traceback)
        return message

    def wait(self) -> None:
        """Wait for the child to end; StagingFailed, with its traceback, if it failed."""
        self.process.join()
        self.channel.close()
        if self.process.exitcode != 0:
            raise StagingFailed(
                self.failure or f"The child process ended with status {self.process.exitcode}."
            )

    def stop(self) -> None:
        """End the child if it still runs (its work is no longer wanted)."""
        if self.process.is_alive():
            self.process.kill()
        with suppress(StagingFailed):
            self.wait()


def _run(work: Callable[[Connection], object], channel: Connection) -> None:
    try:
        work(channel)
    except BaseException:  # noqa: BLE001 - whatever it was, the parent must hear of it
        with suppress(OSError):
            channel.send(_Failure(traceback.format_exc()))
        sys.exit(1)


class Staging:
    """Scratch SQLite files attached to the connection, as staged0, staged1, …"""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = list(paths)
        self.schemas = [f"staged{number}" for number in range(len(self.paths))]

    def copy_in(self, number: int, tables: Mapping[str, BulkInsert]) -> dict[str, int]:
        """Copy the tables written into scratch file `number` (by `write_scratch`) into the
        database, in the connection's current transaction; how many rows each received."""
        schema = self.schemas[number]
        return {name: insert.copy_from(f'{schema}."{name}"') for name, insert in tables.items()}


@contextmanager
def scratch_staging(*, wanted: bool, files: int) -> Iterator[Staging | None]:
    """A Staging of `files` new scratch files, or None when not wanted or not possible.
    Open it outside the transaction that copies from it (see `atomic`); leaving the block
    detaches the files and deletes them."""
    if not wanted or not staging_possible():
        yield None
        return
    with ExitStack() as cleanup:
        paths = []
        for _ in range(files):
            descriptor, path = tempfile.mkstemp(prefix="tahaluf-staging-", suffix=".sqlite3")
            os.close(descriptor)
            cleanup.callback(_remove, path)
            paths.append(path)
        staging = Staging(paths)
        with connection.cursor() as cursor:
            for schema, path in zip(staging.schemas, paths, strict=True):
                cursor.execute(f"ATTACH DATABASE %s AS {schema}", [path])
                cleanup.callback(_detach, schema)
        yield staging


@contextmanager
def atomic(staging: Staging | None) -> Iterator[None]:
    """transaction.atomic(), leaving the scratch files unlocked for their writers.

    Django begins SQLite transactions IMMEDIATE (tahaluf/lib/env.py), which takes the write
    lock of every attached file as well: no one else could write the scratch files. So
    with a staging, the transaction begins deferred and takes the main database's write
    lock alone, at once, as IMMEDIATE would have (by a write that changes nothing)."""
    if staging is None:
        with transaction.atomic():
            yield
        return
    mode = connection.transaction_mode  # type: ignore[attr-defined]
    connection.transaction_mode = None  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            connection.transaction_mode = mode  # type: ignore[attr-defined]
            with connection.cursor() as cursor:
                cursor.execute("UPDATE main.sqlite_sequence SET seq = seq WHERE 0")
            yield
    finally:
        connection.transaction_mode = mode  # type: ignore[attr-defined]


def write_scratch(
    path: str,
    rows: Mapping[str, Iterable[Sequence[Any]]],
    shapes: Mapping[str, tuple[int, int]],
) -> None:
    """Write each table's rows into the scratch file, on a connection of its own (from the
    child, or from a thread of the parent while its connection is busy)."""
    # A scratch file read once and deleted: no journal, no waiting for the disk.
    scratch = sqlite3.connect(path, isolation_level=None)
    try:
        scratch.execute("PRAGMA journal_mode = OFF")
        scratch.execute("PRAGMA synchronous = OFF")
        scratch.execute("BEGIN")
        for table, table_rows in rows.items():
            stage_rows(scratch, table, table_rows, shapes[table])
        scratch.execute("COMMIT")
    finally:
        scratch.close()


def _detach(schema: str) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DETACH DATABASE {schema}")
    except DatabaseError:
        # The connection is in a bad way (the error that brought us here): closing it lets
        # go of the file too, without hiding that error behind this one.
        connection.close()


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)
