"""Moving a large SQLite commit's pages into the database file after the commit, not in it.

In WAL mode a commit appends the changed pages to the write-ahead log; by default the
connection that commits then also copies the log into the database file (a checkpoint)
whenever the log holds more than 1,000 pages. For a bulk import that is the import's whole
size a second time, fsync included: at 100,000 organizations about 190 MB and a second,
nearly all of the commit's time. The commit itself is already safe in the log (readers read
it there), so `checkpoint_later` turns the automatic checkpoint off for the block and runs it
in a thread of its own once the block is over, on its own connection: readers and writers go
on meanwhile (a passive checkpoint waits for nobody), as SQLite's documentation suggests for
applications that do not want a commit to pay for the checkpoint.

`wait_for_checkpoints()` waits for them (the benchmark uses it to time them apart). A
process does not exit before its checkpoints end (the threads are not daemons); should one
be cut short all the same, nothing is lost: the log stays, and the next checkpoint copies it."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

logger = logging.getLogger(__name__)
_threads: list[threading.Thread] = []
_lock = threading.Lock()
# How long the last background checkpoint took (seconds), for the benchmark's report.
last_seconds: float | None = None


@contextmanager
def checkpoint_later() -> Iterator[None]:
    """Within the block, this connection's commits do not checkpoint; after it, one
    checkpoint runs in the background. Elsewhere than a file-backed SQLite database in WAL
    mode (PostgreSQL; the tests' in-memory database) it does nothing."""
    path = _wal_database_path()
    if path is None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {previous}")
        thread = threading.Thread(target=_checkpoint, args=(path,), name="sqlite-checkpoint")
        with _lock:
            _threads.append(thread)
        thread.start()


def wait_for_checkpoints() -> None:
    with _lock:
        threads = list(_threads)
        _threads.clear()
    for thread in threads:
        thread.join()


def _wal_database_path() -> str | None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # Inside an enclosing transaction the commit is not ours to follow.
        return None
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() != "wal":
            return None
    return name


def _checkpoint(path: str) -> None:
    global last_seconds
    started = time.perf_counter()
    try:
        raw: Any = sqlite3.connect(path, timeout=30)
        try:
            raw.execute("PRAGMA synchronous = NORMAL")  # as the application's connections
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
    except sqlite3.Error:
        # The next automatic checkpoint (any commit past 1,000 pages) does it instead.
        logger.exception("background checkpoint of %s failed", path)
    last_seconds = time.perf_counter() - started
