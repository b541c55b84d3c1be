"""A large import shares its work with a second process (tahaluf/lib/staging.py): what it
writes must be exactly what one process writes, and its failures must write nothing."""

from __future__ import annotations

import glob
import os
import tempfile
import threading
from typing import Any
from unittest import mock, skipUnless

from django.db import connection
from django.test import TransactionTestCase

from tahaluf.audit.models import Change
from tahaluf.lib.staging import StagingFailed
from tahaluf.organizations import importing
from tahaluf.organizations.importing import ImportInvalid, import_organizations
from tahaluf.organizations.models import Organization
from tahaluf.search.models import PendingChange

HEADER = ",".join(importing.COLUMNS) + "\n"
ROWS = 60  # split 30 / 30 with the threshold lowered to 10


def csv_bytes(rows: list[str]) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


def sample_rows(count: int = ROWS) -> list[str]:
    kinds = ["ngo", "union", "local_authority", "academic"]
    return [
        f'x-{n},جمعية "الأمل" {n},"Hope, Society {n}",H{n},{kinds[n % 4]},PS,غزة,'
        f"{1950 + n},{n}+,{n % 7 or ''},https://hope{n}.example.org/,"
        + ("شباب|advocacy" if n % 3 else "")
        for n in range(count)
    ]


def registry_contents() -> dict[str, Any]:
    """What an import wrote, keyed by external_id rather than by database key."""
    organizations = {
        values[0]: values
        for values in Organization.objects.values_list(
            "external_id", *importing.IMPORTED_FIELDS, "sort_ar", "sort_en", "is_published"
        )
    }
    focus = {
        external_id: sorted(
            Organization.objects.get(external_id=external_id).focus_areas.values_list(
                "key", flat=True
            )
        )
        for external_id in organizations
    }
    external_id_of = dict(Organization.objects.values_list("pk", "external_id"))
    history = {
        external_id_of[change.object_id]: (change.action, change.object_repr, change.changes)
        for change in Change.objects.filter(action="import")
    }
    marked = sorted(
        str(external_id_of[pk])
        for pk in PendingChange.objects.filter(type="organization").values_list(
            "object_id", flat=True
        )
    )
    return {"organizations": organizations, "focus": focus, "history": history, "marks": marked}


def staging_files() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "tahaluf-staging-*")))


@skipUnless(connection.vendor == "sqlite", "scratch files are attached on SQLite only")
class TwoProcessImportTests(TransactionTestCase):
    """Outside any transaction, as from the command line: the only place it applies."""

    def import_in(self, processes: int, data: bytes, **options: Any) -> mock.MagicMock:
        threshold = 10 if processes == 2 else 10**9
        with (
            mock.patch.object(importing, "SECOND_PROCESS_FROM", threshold),
            mock.patch.object(importing, "REBUILD_INDEXES_FROM", 10),
            mock.patch.object(
                importing, "_create_in_two_processes", wraps=importing._create_in_two_processes
            ) as two_processes,
        ):
            import_organizations(data, actor=None, publish=True, **options)
        return two_processes

    def test_it_writes_exactly_what_one_process_writes(self) -> None:
        self.assertEqual(threading.active_count(), 1, threading.enumerate())
        files_before = staging_files()
        two_processes = self.import_in(2, csv_bytes(sample_rows()))
        self.assertTrue(two_processes.called)
        written_by_two = registry_contents()
        self.assertEqual(len(written_by_two["organizations"]), ROWS)
        self.assertEqual(len(written_by_two["history"]), ROWS)
        self.assertEqual(len(written_by_two["marks"]), ROWS)
        self.assertEqual(staging_files(), files_before)  # the scratch files are gone

        Organization.objects.all().delete()
        Change.objects.all().delete()
        PendingChange.objects.all().delete()
        one_process = self.import_in(1, csv_bytes(sample_rows()))
        self.assertFalse(one_process.called)
        self.assertEqual(registry_contents(), written_by_two)

    def test_keys_and_history_follow_the_file_s_order(self) -> None:
        self.import_in(2, csv_bytes(sample_rows()))
        by_key = list(Organization.objects.order_by("pk").values_list("external_id", flat=True))
        self.assertEqual(by_key, [f"x-{n}" for n in range(ROWS)])
        history = list(Change.objects.order_by("pk").values_list("object_id", flat=True))
        self.assertEqual(
            history, list(Organization.objects.order_by("pk").values_list("pk", flat=True))
        )

    def test_it_reports_a_problem_in_the_second_half_and_writes_nothing(self) -> None:
        rows = sample_rows()
        rows[49] = rows[49].replace(",union,", ",unicorn,")
        with self.assertRaises(ImportInvalid) as raised:
            self.import_in(2, csv_bytes(rows))
        self.assertEqual(
            [(problem.row, problem.column) for problem in raised.exception.problems],
            [(51, "kind")],  # the header is row 1
        )
        self.assertFalse(Organization.objects.exists())

    def test_it_finds_an_external_id_used_in_both_halves(self) -> None:
        rows = sample_rows()
        rows[55] = rows[55].replace("x-55,", "x-5,", 1)
        with self.assertRaises(ImportInvalid) as raised:
            self.import_in(2, csv_bytes(rows))
        [problem] = raised.exception.problems
        self.assertEqual((problem.row, problem.code), (57, "duplicate_id"))
        self.assertEqual(problem.params["other_row"], 7)
        self.assertFalse(Organization.objects.exists())

    def test_each_half_keeps_the_file_s_row_numbers_across_blank_lines(self) -> None:
        rows = sample_rows()
        rows.insert(45, "")
        rows.insert(10, "")
        data = csv_bytes(rows)
        one_process, _ = importing.read_and_validate(data)
        with mock.patch.object(importing, "SECOND_PROCESS_FROM", 10):
            two, _ = importing.read_and_validate(data, second_process=True)
        try:
            self.assertIsNotNone(two.second_half)
            self.assertEqual(len(two), ROWS)
            two.take_back()  # this process reads and checks the second half itself
        finally:
            if two.second_half is not None:
                two.second_half.stop()
        self.assertEqual(two.dicts(), one_process.dicts())
        self.assertEqual(two.dicts()[-1]["_row"], ROWS + 3)  # the header, two blank lines

    def test_a_cell_across_the_middle_of_the_file_keeps_it_in_one_process(self) -> None:
        # Cells of many lines: the line break after the middle of the file is inside one.
        rows = [
            row.replace(f'"Hope, Society {n}"', '"' + "Hope\n" * 20 + f'Society {n}"')
            for n, row in enumerate(sample_rows())
        ]
        data = csv_bytes(rows)
        text = data.decode()
        body_start = text.index("\n") + 1
        split = text.find("\n", (body_start + len(text)) // 2) + 1
        self.assertEqual(text.count('"', 0, split) % 2, 1)  # inside a quoted cell
        with mock.patch.object(importing, "_SecondHalf", wraps=importing._SecondHalf) as half:
            two_processes = self.import_in(2, data)
        self.assertTrue(half.called)  # it tried, and found it could not split there
        self.assertFalse(two_processes.called)
        self.assertEqual(
            Organization.objects.get(external_id="x-33").name_en, "Hope\n" * 20 + "Society 33"
        )
        self.assertEqual(Organization.objects.count(), ROWS)

    def test_a_line_the_second_half_cannot_read_is_reported_with_its_number(self) -> None:
        rows = sample_rows()
        rows[50] = "x-50,مركز,,,ngo,,,,,," + "x" * 200_000 + ","  # beyond csv's cell size
        with self.assertRaises(ImportInvalid) as raised:
            self.import_in(2, csv_bytes(rows))
        self.assertEqual([(p.row, p.code) for p in raised.exception.problems], [(52, "csv")])
        self.assertFalse(Organization.objects.exists())

    def test_a_failure_in_the_second_process_writes_nothing(self) -> None:
        parent = os.getpid()
        real = importing._history_and_link_rows

        def failing_in_the_child(*args: Any) -> Any:
            if os.getpid() != parent:
                raise RuntimeError("disk full in the second process")
            return real(*args)

        files_before = staging_files()
        indexes_before = self.index_names()
        with mock.patch.object(importing, "_history_and_link_rows", failing_in_the_child):
            with self.assertRaisesRegex(StagingFailed, "disk full in the second process"):
                self.import_in(2, csv_bytes(sample_rows()))
        self.assertFalse(Organization.objects.exists())
        self.assertFalse(Change.objects.exists())
        self.assertEqual(self.index_names(), indexes_before)
        self.assertEqual(staging_files(), files_before)
        # The connection works on: the scratch files are detached.
        self.import_in(1, csv_bytes(sample_rows(12)))
        self.assertEqual(Organization.objects.count(), 12)

    def test_it_works_alone_when_the_registry_has_organizations(self) -> None:
        Organization.objects.create(name_ar="قائمة من قبل", external_id="old-1")
        with mock.patch.object(importing, "_SecondHalf", wraps=importing._SecondHalf) as half:
            two_processes = self.import_in(2, csv_bytes(sample_rows()), allow_duplicates=True)
        self.assertFalse(half.called)
        self.assertFalse(two_processes.called)
        self.assertEqual(Organization.objects.count(), ROWS + 1)
        self.assertEqual(Change.objects.filter(action="import").count(), ROWS)

    def test_it_takes_the_second_half_back_when_it_cannot_write_scratch_files(self) -> None:
        with (
            mock.patch("tahaluf.lib.staging.staging_possible", return_value=False),
            mock.patch.object(importing, "_SecondHalf", wraps=importing._SecondHalf) as half,
        ):
            two_processes = self.import_in(2, csv_bytes(sample_rows()))
        self.assertTrue(half.called)  # it checked half of the rows
        self.assertFalse(two_processes.called)  # and this process wrote them all
        written = registry_contents()
        self.assertEqual(len(written["organizations"]), ROWS)
        self.assertEqual(len(written["history"]), ROWS)
        self.assertEqual(written["focus"]["x-59"], ["advocacy", "شباب"])

    def test_it_does_not_fork_while_another_thread_runs(self) -> None:
        release = threading.Event()
        other = threading.Thread(target=release.wait)
        other.start()
        try:
            with mock.patch("tahaluf.lib.staging.os.fork") as fork:
                self.import_in(2, csv_bytes(sample_rows()))
            fork.assert_not_called()
        finally:
            release.set()
            other.join()
        self.assertEqual(Organization.objects.count(), ROWS)
        self.assertEqual(Change.objects.filter(action="import").count(), ROWS)

    @staticmethod
    def index_names() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {name for (name,) in cursor.fetchall()}
