from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import translation

from tahaluf import cli
from tahaluf.audit.models import Change
from tahaluf.audit.services import history_for
from tahaluf.lib.staging import StagingFailed
from tahaluf.organizations.importing import (
    COLUMNS,
    ImportInvalid,
    export_csv,
    import_organizations,
)
from tahaluf.organizations.models import ImportJob, Organization
from tahaluf.test import BaseTestCase

HEADER = ",".join(COLUMNS) + "\n"
GOOD = HEADER + (
    "ex-1,الاتحاد الفلسطيني للصم,Palestinian Union of the Deaf,,union,PS,رام الله,1990,12,,"
    "https://deaf.example.org,disability|advocacy\n"
    "ex-2,جمعية الشبان,Youth Society,YS,ngo,JO,عمّان,,,30+,,youth\n"
)


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


class ImportTests(BaseTestCase):
    def test_it_imports_arabic_rows_with_or_without_bom(self) -> None:
        for bom, prefix in ((False, "a"), (True, "b")):
            text = GOOD.replace("ex-", f"{prefix}-")
            # The second file names the same organizations under new ids: likely duplicates.
            report = import_organizations(
                csv_bytes(text, bom=bom), actor=self.cast.amal, allow_duplicates=prefix == "b"
            )
            self.assertEqual((report.created, report.updated, report.unchanged), (2, 0, 0))
        deaf = Organization.objects.get(external_id="b-1")
        self.assertEqual(deaf.name_ar, "الاتحاد الفلسطيني للصم")
        self.assertEqual((deaf.kind, deaf.country, deaf.founded_year), ("union", "PS", 1990))
        self.assertEqual(
            sorted(deaf.focus_areas.values_list("key", flat=True)), ["advocacy", "disability"]
        )
        youth = Organization.objects.get(external_id="b-2")
        self.assertEqual((youth.partner_count, youth.partner_count_at_least), (30, True))
        self.assertEqual(history_for(deaf)[0].action, "import")

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self) -> None:
        import_organizations(csv_bytes(GOOD), actor=self.cast.amal)
        counts = (Organization.objects.count(), Change.objects.count())
        report = import_organizations(csv_bytes(GOOD), actor=self.cast.amal)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 2))
        self.assertEqual((Organization.objects.count(), Change.objects.count()), counts)

    def test_it_updates_matched_rows_and_records_the_difference(self) -> None:
        import_organizations(csv_bytes(GOOD), actor=self.cast.amal)
        changed = GOOD.replace("رام الله,1990,12", "نابلس,1990,14")
        report = import_organizations(csv_bytes(changed), actor=self.cast.amal)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 1))
        deaf = Organization.objects.get(external_id="ex-1")
        self.assertEqual(
            history_for(deaf)[0].changes,
            {"city": ["رام الله", "نابلس"], "member_count": [12, 14]},
        )

    def test_it_reports_every_problem_with_row_and_column_and_writes_nothing(self) -> None:
        bad = HEADER + (
            "ok-1,منظمة سليمة,,,ngo,PS,,,,,,\n"
            "bad-1,,,,ngo,PS,,,,,,\n"
            "bad-2,اسم,,,club,XX,,3000,many,,notaurl,\n"
            "ok-1,تكرار,,,ngo,PS,,,,,,\n"
        )
        before = (Organization.objects.count(), Change.objects.count())
        with self.assertRaises(ImportInvalid) as raised:
            import_organizations(csv_bytes(bad), actor=self.cast.amal)
        found = {(p.row, p.column, p.code) for p in raised.exception.problems}
        self.assertEqual(
            found,
            {
                (3, "name_ar", "name_required"),
                (4, "kind", "kind"),
                (4, "country", "country"),
                (4, "founded_year", "year"),
                (4, "member_count", "count"),
                (4, "website", "url"),
                (5, "external_id", "duplicate_id"),
            },
        )
        self.assertEqual((Organization.objects.count(), Change.objects.count()), before)

    def test_it_explains_problems_in_the_readers_language(self) -> None:
        bad = HEADER + "x,اسم,,,club,PS,,,,,,\n"
        with self.assertRaises(ImportInvalid) as raised:
            import_organizations(csv_bytes(bad), actor=self.cast.amal)
        problem = raised.exception.problems[0]
        with translation.override("en"):
            self.assertIn("is not a kind", problem.message())
        with translation.override("ar"):
            arabic = problem.message()
        self.assertNotIn("is not a kind", arabic)
        self.assertIn("club", arabic)

    def test_it_refuses_a_file_that_is_not_utf8_or_lacks_columns(self) -> None:
        with self.assertRaises(ImportInvalid) as raised:
            import_organizations(
                "external_id,name_ar,kind\nx,منظمة,ngo\n".encode("cp1256"), actor=self.cast.amal
            )
        self.assertEqual(raised.exception.problems[0].code, "encoding")
        with self.assertRaises(ImportInvalid) as raised:
            import_organizations(b"name_ar,colour\n", actor=self.cast.amal)
        codes = {p.code for p in raised.exception.problems}
        self.assertEqual(codes, {"unknown_column", "missing_column"})

    def test_it_round_trips_export_then_import_exactly(self) -> None:
        import_organizations(csv_bytes(GOOD), actor=self.cast.amal)
        first = io.StringIO()
        export_csv(first)
        Organization.objects.all().delete()
        report = import_organizations(first.getvalue().encode("utf-8"), actor=self.cast.amal)
        self.assertEqual(report.created, 5)
        second = io.StringIO()
        export_csv(second)
        self.assertEqual(first.getvalue(), second.getvalue())
        self.assertIn("120+", first.getvalue())


class ImportCommandLineTests(BaseTestCase):
    """The command runs in a subprocess against its own database file."""

    def run_cli(self, *args: str, database: Path) -> subprocess.CompletedProcess[str]:
        env = {
            "TAHALUF_DATABASE_URL": f"sqlite:///{database}",
            "PATH": "/usr/bin:/bin",
            "TAHALUF_VAR_DIR": str(database.parent),
        }
        return subprocess.run(
            [sys.executable, "-m", "tahaluf.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_it_imports_exports_and_fails_cleanly_from_the_command_line(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            database = root / "db.sqlite3"
            self.assertEqual(
                self.run_cli("manage", "migrate", "-v0", database=database).returncode, 0
            )
            good = root / "good.csv"
            good.write_bytes(csv_bytes(GOOD, bom=True))
            result = self.run_cli("import", "organizations", str(good), database=database)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("2 created", result.stdout)
            self.assertIn("100.0%", result.stderr)  # the progress bar reached the end
            again = self.run_cli("import", "organizations", str(good), database=database)
            self.assertIn("0 created, 0 updated, 2 unchanged", again.stdout)
            exported = root / "out.csv"
            self.assertEqual(
                self.run_cli(
                    "export", "organizations", str(exported), database=database
                ).returncode,
                0,
            )
            self.assertEqual(
                exported.read_bytes(),
                csv_bytes(GOOD, bom=True).replace(b"disability|advocacy", b"advocacy|disability"),
            )  # keys are sorted
            bad = root / "bad.csv"
            bad.write_bytes(csv_bytes(HEADER + "z,اسم,,,club,PS,,,,,,\n"))
            failed = self.run_cli(
                "import", "organizations", str(bad), "--lang", "ar", database=database
            )
            self.assertEqual(failed.returncode, 1)
            self.assertIn("الصف 2، العمود kind", failed.stderr)


class ImportCommandLineErrorTests(BaseTestCase):
    def test_a_failed_second_process_is_one_clear_message_and_exit_status_1(self) -> None:
        failure = StagingFailed(
            "Traceback (most recent call last):\n  ...\n"
            "sqlite3.OperationalError: database or disk is full\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "orgs.csv"
            path.write_bytes(csv_bytes(GOOD))
            args = argparse.Namespace(
                file=str(path), lang="en", as_user=None, publish=False, allow_duplicates=False
            )
            stderr = io.StringIO()
            with (
                mock.patch(
                    "tahaluf.organizations.importing.import_organizations", side_effect=failure
                ),
                contextlib.redirect_stderr(stderr),
            ):
                status = cli.cmd_import(args)
        self.assertEqual(status, 1)
        self.assertIn("Nothing was imported: the import's second process", stderr.getvalue())
        self.assertIn("  sqlite3.OperationalError: database or disk is full", stderr.getvalue())
        self.assertNotIn("Traceback", stderr.getvalue())


class ImportPageTests(BaseTestCase):
    def upload(self, who: str, text: str):  # type: ignore[no-untyped-def]
        upload = SimpleUploadedFile("orgs.csv", csv_bytes(text), content_type="text/csv")
        return self.client_for(who).post("/organizations/import/", {"file": upload}, follow=True)

    def test_it_imports_an_upload_and_shows_the_result(self) -> None:
        response = self.upload("amal", GOOD)
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "done")
        self.assertContains(response, 'value="100"')
        self.assertContains(response, "2")
        self.assertTrue(Organization.objects.filter(external_id="ex-1").exists())

    def test_it_lists_problems_with_row_and_column_in_arabic(self) -> None:
        response = self.upload("amal", HEADER + "z,,,,ngo,PS,,,,,,\n")
        self.assertEqual(ImportJob.objects.get().status, "failed")
        self.assertContains(response, "<td>2</td>", html=False)
        self.assertContains(response, "<code>name_ar</code>", html=False)
        self.assertFalse(Organization.objects.filter(external_id="z").exists())

    def test_it_shows_only_the_progress_fragment_to_htmx(self) -> None:
        self.upload("amal", GOOD)
        job = ImportJob.objects.get()
        response = self.client_for("amal").get(
            f"/organizations/import/{job.pk}/", headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="import-progress"')
        self.assertNotContains(response, "<html")

    def test_an_error_on_the_server_ends_the_job_and_says_so(self) -> None:
        with (
            mock.patch(
                "tahaluf.organizations.tasks.import_organizations",
                side_effect=DatabaseError("database or disk is full"),
            ),
            self.assertLogs("tahaluf.organizations.tasks", "ERROR") as logged,
        ):
            response = self.upload("amal", GOOD)
        job = ImportJob.objects.get()
        self.assertEqual(job.status, "error")
        self.assertTrue(job.is_finished)  # the page stops asking for progress
        self.assertNotContains(response, "hx-trigger")
        self.assertContains(response, "ولم يُكتب شيء")
        self.assertIn("database or disk is full", "\n".join(logged.output))
        self.assertFalse(Organization.objects.filter(external_id="ex-1").exists())
        client = self.client_for("amal")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(f"/organizations/import/{job.pk}/")
        self.assertContains(english, "stopped on an error on the server and wrote nothing")

    def test_it_refuses_editors_and_viewers(self) -> None:
        for who in ("badr", "dina"):
            self.assertEqual(self.client_for(who).get("/organizations/import/").status_code, 403)
        self.assertEqual(self.upload("badr", GOOD).status_code, 403)
        self.assertFalse(ImportJob.objects.exists())

    def test_it_bounds_the_upload_size(self) -> None:
        with self.settings(TAHALUF_IMPORT_MAX_BYTES=100):
            response = self.upload("amal", GOOD)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ImportJob.objects.exists())
