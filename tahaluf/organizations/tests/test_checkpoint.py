"""The background checkpoint after a large import (tahaluf/lib/checkpoint.py)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TransactionTestCase

from tahaluf.lib import checkpoint


class BackgroundCheckpointTests(SimpleTestCase):
    def test_it_moves_committed_pages_from_the_log_into_the_database_file(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "registry.sqlite3")
            writer = sqlite3.connect(path, isolation_level=None)
            writer.execute("PRAGMA journal_mode = WAL")
            writer.execute("PRAGMA wal_autocheckpoint = 0")
            writer.execute("CREATE TABLE t (name TEXT)")
            writer.executemany("INSERT INTO t VALUES (?)", [("جمعية",)] * 5000)
            self.assertEqual(self.rows_in_the_file_alone(path), None)  # only in the log
            checkpoint._checkpoint(path)
            self.assertEqual(self.rows_in_the_file_alone(path), 5000)
            self.assertIsNotNone(checkpoint.last_seconds)
            writer.close()

    @staticmethod
    def rows_in_the_file_alone(path: str) -> int | None:
        """Rows of t as the database file holds them, without the write-ahead log."""
        reader = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return int(reader.execute("SELECT count(*) FROM t").fetchone()[0])
        except sqlite3.OperationalError:  # no such table: not checkpointed yet
            return None
        finally:
            reader.close()


class OutsideWalFilesTests(TransactionTestCase):
    def test_it_does_nothing_on_the_tests_database(self) -> None:
        # In memory on SQLite, or PostgreSQL: no log to checkpoint.
        self.assertIsNone(checkpoint._wal_database_path())
        with checkpoint.checkpoint_later():
            pass
        checkpoint.wait_for_checkpoints()
