"""The second process and its scratch files (tahaluf/lib/staging.py), on their own."""

from __future__ import annotations

import os
import sqlite3
import time
from multiprocessing.connection import Connection
from typing import Any
from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase

from tahaluf.lib import staging
from tahaluf.lib.bulk import BulkInsert
from tahaluf.lib.staging import Child, StagingFailed
from tahaluf.search.models import PendingChange


class ChildTests(SimpleTestCase):
    def test_it_exchanges_messages_with_its_parent_in_order(self) -> None:
        def work(channel: Connection) -> None:
            numbers = channel.recv()
            channel.send(("pid", os.getpid()))
            channel.send(sum(numbers))

        child = Child(work)
        child.send(list(range(100_000)))  # more than a pipe holds at once
        label, pid = child.receive()
        self.assertEqual(label, "pid")
        self.assertNotEqual(pid, os.getpid())
        self.assertEqual(child.receive(), sum(range(100_000)))
        child.wait()

    def test_its_failure_reaches_the_parent_with_the_traceback(self) -> None:
        def work(channel: Connection) -> None:
            raise ValueError("جمعية without a name")

        child = Child(work)
        with self.assertRaisesRegex(StagingFailed, "ValueError: جمعية without a name"):
            child.receive()

    def test_a_child_that_dies_without_a_word_is_a_failure_too(self) -> None:
        child = Child(lambda channel: os._exit(3))  # as if killed, or out of memory
        with self.assertRaisesRegex(StagingFailed, "status 3"):
            child.receive()

    def test_stop_ends_a_child_that_waits_for_ever(self) -> None:
        child = Child(lambda channel: time.sleep(600))
        started = time.monotonic()
        child.stop()
        self.assertLess(time.monotonic() - started, 30)
        self.assertFalse(child.process.is_alive())


@skipUnless(connection.vendor == "sqlite", "scratch files are attached on SQLite only")
class ScratchFileTests(TransactionTestCase):
    def test_rows_written_elsewhere_arrive_with_the_shared_values(self) -> None:
        marks = BulkInsert(PendingChange, varying=["type", "object_id"], fixed={})
        rows = [("organization", pk) for pk in range(1, 5001)]
        with staging.scratch_staging(wanted=True, files=1) as scratch:
            assert scratch is not None
            path = scratch.paths[0]
            child = Child(
                lambda channel: staging.write_scratch(
                    path, {"marks": rows}, {"marks": channel.recv()}
                )
            )
            child.send(marks.scratch_shape())
            child.wait()
            with staging.atomic(scratch):
                copied = scratch.copy_in(0, {"marks": marks})
        self.assertEqual(copied, {"marks": 5000})
        self.assertEqual(
            list(PendingChange.objects.order_by("pk").values_list("type", "object_id")), rows
        )
        self.assertFalse(os.path.exists(path))
        self.assertFalse(self.attached())

    def test_the_transaction_leaves_the_scratch_files_to_their_writers(self) -> None:
        with staging.scratch_staging(wanted=True, files=1) as scratch:
            assert scratch is not None
            with staging.atomic(scratch):
                self.assertTrue(connection.in_atomic_block)
                other = sqlite3.connect(scratch.paths[0], timeout=0.1, isolation_level=None)
                other.execute("CREATE TABLE t (c1)")  # would be "database is locked"
                other.execute("INSERT INTO t VALUES ('written')")
                other.close()
                with connection.cursor() as cursor:
                    cursor.execute('SELECT c1 FROM staged0."t"')
                    self.assertEqual(cursor.fetchall(), [("written",)])

    def test_it_is_not_used_inside_a_transaction(self) -> None:
        from django.db import transaction

        with transaction.atomic():
            with staging.scratch_staging(wanted=True, files=1) as scratch:
                self.assertIsNone(scratch)

    @staticmethod
    def attached() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA database_list")
            return [row for row in cursor.fetchall() if row[1].startswith("staged")]
