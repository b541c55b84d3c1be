from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tahaluf.test import BaseTestCase


class SearchPageTests(BaseTestCase):
    def test_it_shows_ranked_results_with_counts_and_highlights(self) -> None:
        response = self.client_for("anonymous").get("/search/", {"q": "للمراكز الثقافيه"})
        page = response.content.decode()
        self.assertIn("<mark>للمراكز</mark>", page)
        self.assertIn('data-type="organization"', page)
        self.assertIn(f'href="/organizations/{self.cast.gucc.pk}/"', page)

    def test_it_escapes_what_was_typed(self) -> None:
        response = self.client_for("anonymous").get("/search/", {"q": "<script>alert(1)</script>"})
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;")

    def test_it_hides_unpublished_records_from_the_public_but_not_from_amal(self) -> None:
        query = {"q": "منظمة غير منشورة"}
        self.assertNotContains(
            self.client_for("dina").get("/search/", query), f"/organizations/{self.cast.hidden.pk}/"
        )
        self.assertContains(
            self.client_for("amal").get("/search/", query), f"/organizations/{self.cast.hidden.pk}/"
        )

    def test_it_filters_by_kind_of_record(self) -> None:
        response = self.client_for("anonymous").get("/search/", {"q": "درويش", "type": "person"})
        self.assertContains(response, f"/people/{self.cast.yousri.pk}/")
        response = self.client_for("anonymous").get("/search/", {"q": "درويش", "type": "nonsense"})
        self.assertEqual(response.status_code, 200)

    def test_it_survives_nonsense_paging(self) -> None:
        for page in ("0", "-1", "x", "99999999999999999999"):
            response = self.client_for("anonymous").get("/search/", {"q": "الاتحاد", "page": page})
            self.assertEqual(response.status_code, 200)


class SearchApiTests(BaseTestCase):
    def test_it_answers_with_items_counts_and_highlights(self) -> None:
        body = self.client_for("anonymous").get("/api/v1/search", {"q": "Maat"}).json()
        self.assertEqual(body["items"][0]["id"], self.cast.maat.pk)
        self.assertEqual(body["counts"]["organization"], body["total"])
        self.assertIn("<mark>", body["items"][0]["highlight"])

    def test_it_respects_permissions_for_token_holders(self) -> None:
        query = {"q": "Unpublished Organization"}
        public = self.api("carim").get("/api/v1/search", query).json()
        self.assertNotIn(self.cast.hidden.pk, [item["id"] for item in public["items"]])
        secretariat = self.api("amal").get("/api/v1/search", query).json()
        self.assertEqual(secretariat["items"][0]["id"], self.cast.hidden.pk)

    def test_it_refuses_bad_parameters_with_field_messages(self) -> None:
        client = self.client_for("anonymous")
        for params, field in (
            ({}, "q"),
            ({"q": "x", "limit": "1000"}, "limit"),
            ({"q": "x", "colour": "red"}, "colour"),
        ):
            response = client.get("/api/v1/search", params)
            self.assertEqual(response.status_code, 422, params)
            self.assertIn(field, str(response.json()["detail"]))


class SearchCommandLineTests(BaseTestCase):
    def test_it_searches_rebuilds_and_checks_from_the_command_line(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                "TAHALUF_DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                "PATH": "/usr/bin:/bin",
                "TAHALUF_VAR_DIR": folder,
            }

            def run(*args: str) -> subprocess.CompletedProcess[str]:
                return subprocess.run(
                    [sys.executable, "-m", "tahaluf.cli", *args],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )

            self.assertEqual(run("manage", "migrate", "-v0").returncode, 0)
            csv = Path(folder) / "orgs.csv"
            csv.write_text(
                "external_id,name_ar,name_en,kind\n"
                "a,الاتحاد العام للمراكز الثقافية,General Union of Cultural Centers,union\n"
                "b,بلدية الخليل,Hebron Municipality,local_authority\n",
                encoding="utf-8",
            )
            self.assertEqual(run("import", "organizations", str(csv), "--publish").returncode, 0)
            found = run("search", "للمراكز", "الثقافيه")
            self.assertIn("الاتحاد العام للمراكز الثقافية", found.stdout)
            self.assertEqual(run("search", "check").returncode, 0)
            index = Path(folder) / "search"
            for part in index.iterdir() if index.exists() else []:
                if part.is_file() and not part.name.startswith("."):
                    part.unlink()  # the index loses its files: check must say so
            self.assertEqual(run("search", "check").returncode, 1)
            rebuilt = run("search", "rebuild")
            self.assertIn("2 records indexed", rebuilt.stdout)
            self.assertEqual(run("search", "check").returncode, 0)
