"""The CSV import reports likely duplicates of existing records before writing: new rows
(not matched by external_id) that are probably organizations already in the registry."""

from __future__ import annotations

import io
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tahaluf import cli
from tahaluf.audit.models import Change
from tahaluf.organizations.importing import (
    ImportNeedsConfirmation,
    import_organizations,
    likely_duplicates,
)
from tahaluf.organizations.models import ImportJob, Organization
from tahaluf.test import BaseTestCase

HEADER = (
    "external_id,name_ar,name_en,acronym,kind,country,city,founded_year,member_count,"
    "partner_count,website,focus_areas\n"
)
# Row 2 is GUCC spelled as in seed 000; row 3 is new; row 4 is Maat known by its English name.
FILE = HEADER + (
    "scraped-1,الاتحاد العام للمراكز للثقافية,,,union,PS,غزة,,,,,\n"
    "scraped-2,جمعية الزيتون للتنمية الريفية,Olive Rural Development Society,,ngo,PS,سلفيت,,,,,\n"
    "scraped-3,,Maat Foundation for Peace and Development,,ngo,EG,,,,,,\n"
)


class ImportDuplicateTests(BaseTestCase):
    def counts(self) -> tuple[int, int]:
        return Organization.objects.count(), Change.objects.count()

    def test_it_reports_likely_duplicates_and_writes_nothing(self) -> None:
        before = self.counts()
        with self.assertRaises(ImportNeedsConfirmation) as caught:
            import_organizations(FILE.encode(), actor=self.cast.amal)
        found = {(item.row, item.organization_id) for item in caught.exception.duplicates}
        self.assertEqual(found, {(2, self.cast.gucc.pk), (4, self.cast.maat.pk)})
        self.assertEqual(self.counts(), before)
        gucc = next(item for item in caught.exception.duplicates if item.row == 2)
        self.assertEqual(gucc.external_id, "scraped-1")
        self.assertTrue(gucc.reason_texts())

    def test_it_writes_anyway_when_allowed(self) -> None:
        report = import_organizations(FILE.encode(), actor=self.cast.amal, allow_duplicates=True)
        self.assertEqual(report.created, 3)

    def test_it_does_not_check_rows_matched_by_external_id(self) -> None:
        text = HEADER + (
            "cast-gucc,الاتحاد العام للمراكز الثقافية,General Union of Cultural "
            "Centers,,union,PS,غزة,1997,55,120+,,\n"
        )
        report = import_organizations(text.encode(), actor=self.cast.amal)
        self.assertEqual(report.total, 1)

    def test_it_costs_nothing_against_an_empty_registry(self) -> None:
        Organization.objects.all().delete()
        rows = [
            {
                "external_id": f"x-{n}",
                "name_ar": "الاتحاد العام للمراكز الثقافية",
                "name_en": "",
                "acronym": "",
                "city": "",
                "country": "",
            }
            for n in range(10)
        ]
        with self.assertNumQueries(1):
            self.assertEqual(likely_duplicates(rows), [])

    def test_the_command_line_refuses_and_exits_3(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "file.csv"
            path.write_text(FILE, encoding="utf-8")
            before = self.counts()
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                code = cli.main(["import", "organizations", str(path)])
            self.assertEqual(code, 3)
            self.assertEqual(self.counts(), before)
            self.assertIn("--allow-duplicates", err.getvalue())
            self.assertIn(f"#{self.cast.gucc.pk}", err.getvalue())
            self.assertIn("row 2 (scraped-1)", err.getvalue())
            with redirect_stdout(out), redirect_stderr(err):
                code = cli.main(["import", "organizations", str(path), "--allow-duplicates"])
            self.assertEqual(code, 0)
            self.assertEqual(self.counts()[0], before[0] + 3)


class ImportPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.media = tempfile.TemporaryDirectory()
        self.enterContext(override_settings(MEDIA_ROOT=self.media.name))
        self.addCleanup(self.media.cleanup)

    def test_it_waits_for_confirmation_then_imports_anyway(self) -> None:
        client = self.client_for("amal")
        before = Organization.objects.count()
        response = client.post(
            reverse("organizations:import"),
            {"file": SimpleUploadedFile("scraped.csv", FILE.encode(), "text/csv")},
        )
        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("organizations:import_status", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.NEEDS_CONFIRMATION)
        self.assertEqual(Organization.objects.count(), before)
        page = client.get(reverse("organizations:import_status", args=[job.pk]))
        html = page.content.decode()
        self.assertIn(reverse("organizations:import_confirm", args=[job.pk]), html)
        self.assertIn(reverse("organizations:detail", args=[self.cast.gucc.pk]), html)
        self.assertIn("scraped-1", html)
        self.assertNotIn("hx-trigger", html)  # the page stops refreshing itself
        response = client.post(reverse("organizations:import_confirm", args=[job.pk]))
        self.assertRedirects(response, reverse("organizations:import_status", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.status, job.created_count), (ImportJob.Status.DONE, 3))
        self.assertEqual(Organization.objects.count(), before + 3)

    def test_only_the_secretariat_confirms(self) -> None:
        job = ImportJob.objects.create(
            original_name="x.csv",
            file="imports/x.csv",
            created_by=self.cast.amal,
            status=ImportJob.Status.NEEDS_CONFIRMATION,
        )
        for name in ("dina", "badr", "carim"):
            response = self.client_for(name).post(
                reverse("organizations:import_confirm", args=[job.pk])
            )
            self.assertEqual(response.status_code, 404)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.NEEDS_CONFIRMATION)
